// Worker-thread entry of an API backtest: the kernel's replay is synchronous, so it runs here to keep the
// server's event loop free. It gets a checked spec (and the bars, when they come from the store: the store
// may be an embedded PGlite that only the main thread can open), runs the kernel, and posts progress, then
// the §12 result JSON, the metrics and the rendered HTML report.

import { parentPort, workerData } from 'node:worker_threads';
import { renderHtmlReport } from '../report/html.js';
import { resultJsonChunks } from '../report/json.js';
import { isPi5Error } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { generateSyntheticBars } from '../../data/synthetic.js';
import { runBacktest } from '../../engine/backtestRunner.js';
import { parseTradingSpecs } from '../../engine/specs.js';
import type { BarSeries } from '../../model/barSeries.js';
import { findBuiltin } from '../../strategy/registry.js';
import type { BacktestSpec, WorkerInput, WorkerMessage } from './backtestRequest.js';

const DEMO_START = Date.UTC(2015, 0, 1);

/** A stable seed per symbol, so the same demo request always sees the same bars. */
function seedOf(symbol: string): number {
  let h = 2166136261;
  for (let i = 0; i < symbol.length; i++) h = Math.imul(h ^ symbol.charCodeAt(i), 16777619);
  return h >>> 0;
}

function demoSeries(spec: BacktestSpec): BarSeries[] {
  return spec.symbols.map((symbol) =>
    generateSyntheticBars({ symbol, seed: seedOf(symbol), bars: spec.demoBars, timeframe: spec.timeframe, start: DEMO_START, startPrice: 20 + (seedOf(symbol) % 180) }),
  );
}

function post(m: WorkerMessage): void {
  parentPort?.postMessage(m);
}

function run(input: WorkerInput): void {
  const { spec } = input;
  const strategy = findBuiltin(spec.strategy);
  if (strategy === undefined) throw new Error(`unknown strategy ${spec.strategy}`);
  const series = spec.source === 'demo' ? demoSeries(spec) : (input.series ?? []);
  const result = runBacktest({
    series,
    strategy,
    params: spec.params,
    cash: spec.cash,
    // The spec crossed the thread as text (as it is stored in backtest_runs.config): parsed here, at the worker's edge.
    ...parseTradingSpecs(spec),
    ...(spec.from === null ? {} : { from: spec.from }),
    ...(spec.to === null ? {} : { to: spec.to }),
    dataSources: [spec.source === 'demo' ? 'demo' : 'store'],
    adjustment: spec.adjust,
    log: createLogger('error'),
    onProgress: (done, total) => post({ kind: 'progress', done, total }),
  });
  const metrics: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(result.metrics)) metrics[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  post({ kind: 'done', resultJson: [...resultJsonChunks(result)].join(''), metrics, html: renderHtmlReport(result) });
}

try {
  run(workerData as WorkerInput);
} catch (e) {
  const code = isPi5Error(e) ? e.code : 'PI5_ERR_INTERNAL';
  post({ kind: 'failed', code, message: e instanceof Error ? e.message : String(e) });
}
