// Worker-thread side of the trial pool: views the shared bars, loads the strategy once, then backtests
// each batch of points it is sent and posts back their parameters and metrics (the main thread scores them).

import { parentPort, workerData } from 'node:worker_threads';
import { isPi5Error } from '../core/errors.js';
import { createLogger } from '../core/log.js';
import { replayBacktest } from '../engine/backtestRunner.js';
import { replayMetrics } from '../engine/backtestResult.js';
import { parseTradingSpecs } from '../engine/specs.js';
import { loadStrategy } from '../strategy/loader.js';
import type { BarSeries } from '../model/barSeries.js';
import { packMetrics, type BarCut, type ChunkRequest, type PoolSetup, type WorkerReply } from './poolProtocol.js';
import type { Metrics } from '../backtest/types.js';
import { returnsOfEquity } from './barReturns.js';
import { viewSeries } from './sharedSeries.js';
import { cutSeries } from './walkForward.js';
import type { ParamPoint } from './space.js';

function post(m: WorkerReply): void {
  // The packed metrics (or returns) move to the main thread instead of being copied.
  const moved = m.kind === 'done' ? [m.values.buffer as ArrayBuffer, m.nulls.buffer as ArrayBuffer] : m.kind === 'returns' ? [m.returns.buffer as ArrayBuffer] : [];
  parentPort?.postMessage(m, moved);
}

function fail(e: unknown): void {
  post({ kind: 'failed', code: isPi5Error(e) ? e.code : 'PI5_ERR_INTERNAL', message: e instanceof Error ? e.message : String(e) });
}

async function main(setup: PoolSetup): Promise<void> {
  const strategy = await loadStrategy(setup.strategy);
  const series = setup.series.map(viewSeries);
  // The same specs as the main thread's, parsed here: each run still builds its own commission model.
  const specs = parseTradingSpecs(setup.specs, series.length);
  const log = createLogger('silent');
  const { from: _from, to: _to, ...unranged } = setup.base;
  // One cut per walk-forward window: later bars are not reachable from it, as on the main thread.
  let cutKey = '';
  let cutBars = series;
  const barsFor = (cut: BarCut): BarSeries[] => {
    const key = `${cut.from}:${cut.to}`;
    if (key !== cutKey) [cutKey, cutBars] = [key, cutSeries(series, cut.from, cut.to)];
    return cutBars;
  };
  const uncut = { ...setup.base, series };
  parentPort?.on('message', ({ points, cut, returns }: ChunkRequest) => {
    try {
      const run = cut === undefined ? uncut : { ...unranged, series: barsFor(cut) };
      if (returns === true) {
        const out = replayBacktest({ ...run, ...specs, strategy, log, params: { ...setup.fixed, ...points[0] } });
        post({ kind: 'returns', ...returnsOfEquity(out.equity, out.periodsPerYear) });
        return;
      }
      const params: ParamPoint[] = [];
      const metrics: Metrics[] = [];
      for (const point of points) {
        const out = replayBacktest({ ...run, ...specs, strategy, log, params: { ...setup.fixed, ...point } });
        params.push(out.params as ParamPoint);
        metrics.push(replayMetrics(out));
      }
      post({ kind: 'done', ...packMetrics(params, metrics) });
    } catch (e) {
      fail(e);
    }
  });
  post({ kind: 'ready' });
}

main(workerData as PoolSetup).catch(fail);
