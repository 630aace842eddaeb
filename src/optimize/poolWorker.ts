// Worker-thread side of the trial pool: views the shared bars, loads the strategy once, then backtests
// each batch of points it is sent and posts back their parameters and metrics (the main thread scores them).

import { parentPort, workerData } from 'node:worker_threads';
import { isPi5Error } from '../core/errors.js';
import { createLogger } from '../core/log.js';
import { replayBacktest } from '../engine/backtestRunner.js';
import { replayMetrics } from '../engine/backtestResult.js';
import { parseTradingSpecs } from '../engine/specs.js';
import { loadStrategy } from '../strategy/loader.js';
import type { PoolSetup, TrialReply, TrialRequest, WorkerReply } from './poolProtocol.js';
import { viewSeries } from './sharedSeries.js';
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
  const specs = parseTradingSpecs(setup.specs);
  const log = createLogger('silent');
  parentPort?.on('message', (batch: readonly TrialRequest[]) => {
    try {
      const trials: TrialReply[] = batch.map(({ id, point }) => {
        const out = replayBacktest({ ...setup.base, ...specs, series, strategy, log, params: { ...setup.fixed, ...point } });
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
