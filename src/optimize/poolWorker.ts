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
import type { BarCut, PoolSetup, TrialReply, TrialRequest, WorkerReply } from './poolProtocol.js';
import { viewSeries } from './sharedSeries.js';
import { cutSeries } from './walkForward.js';
import type { ParamPoint } from './space.js';

function post(m: WorkerReply): void {
  parentPort?.postMessage(m);
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
  parentPort?.on('message', (batch: readonly TrialRequest[]) => {
    try {
      const trials: TrialReply[] = batch.map(({ id, point, cut }) => {
        const run = cut === undefined ? { ...setup.base, series } : { ...unranged, series: barsFor(cut) };
        const out = replayBacktest({ ...run, ...specs, strategy, log, params: { ...setup.fixed, ...point } });
        return { id, point, params: out.params as ParamPoint, metrics: replayMetrics(out) };
      });
      post({ kind: 'done', trials });
    } catch (e) {
      fail(e);
    }
  });
  post({ kind: 'ready' });
}

main(workerData as PoolSetup).catch(fail);
