// Worker-thread entry of an API backtest: the kernel's replay is synchronous, so it runs here to keep the
// server's event loop free. It gets a checked spec (and the bars, when they come from the store: the store
// may be an embedded PGlite that only the main thread can open), runs the kernel, and posts progress, then
// the §12 result JSON, the metrics and the rendered HTML report.

import { parentPort, workerData } from 'node:worker_threads';
import { renderHtmlReport } from '../report/html.js';
import { resultJsonChunks } from '../report/json.js';
import { isPi5Error } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { runBacktest } from '../../engine/backtestRunner.js';
import { findBuiltin } from '../../strategy/registry.js';
import type { WorkerInput, WorkerMessage } from './backtestRequest.js';
import { runInputOf } from './runInput.js';

function post(m: WorkerMessage): void {
  parentPort?.postMessage(m);
}

function run(input: WorkerInput): void {
  const { spec } = input;
  const strategy = findBuiltin(spec.strategy);
  if (strategy === undefined) throw new Error(`unknown strategy ${spec.strategy}`);
  const result = runBacktest({
    ...runInputOf(spec, input.series),
    strategy,
    params: spec.params,
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
