// Where a command's trials run: this thread, a pool of worker threads (bars shared, not copied), or `pi5 worker`s
// behind a Redis queue (loaded only then), chosen by --workers and --distributed. `pi5 optimize` and
// `pi5 montecarlo --method params` both run their backtests through it.

import { Pi5Error } from '../core/errors.js';
import type { ReturnsSource } from '../optimize/barReturns.js';
import { localReturns } from '../optimize/diagnostics.js';
import { localEvaluator, type Evaluator } from '../optimize/optimizer.js';
import { poolSetup, TrialPool } from '../optimize/pool.js';
import type { BarCut } from '../optimize/poolProtocol.js';
import type { ParamPoint } from '../optimize/space.js';
import type { TrialBase, TrialRules } from '../optimize/trial.js';
import { queueAddressOf, type QueueFlags } from './queueFlags.js';

export interface TrialRunnerFlags extends QueueFlags {
  /** The strategy as given (id or module path): pool threads and distributed workers load it themselves. */
  readonly strategy: string;
  readonly distributed?: boolean;
  readonly quiet?: boolean;
}

/**
 * The bars are handed over once; `evaluatorFor` runs on all of them, or on a walk-forward window's in-sample
 * cut (`base` then holds the cut bars, which this thread uses; pool and workers cut their own).
 */
export interface TrialRunner {
  readonly evaluatorFor: (base: TrialBase, cut?: BarCut) => Evaluator;
  /** Replays for the overfitting diagnostics, on all the bars or (like evaluatorFor) a window's cut. */
  readonly returnsFor: (base: TrialBase, cut?: BarCut) => ReturnsSource;
  /** Points to hand the evaluator at once. */
  readonly batch: number;
  readonly close: () => Promise<void>;
}

export async function trialRunner(f: TrialRunnerFlags, base: TrialBase, fixed: ParamPoint, rules: TrialRules, workers: number): Promise<TrialRunner> {
  if (f.distributed === true) {
    if (workers > 1) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--workers: with --distributed the trials run on `pi5 worker` processes (their --concurrency), not here');
    const { DistributedTrials } = await import('../optimize/distributed/coordinator.js');
    const dist = await DistributedTrials.open(await queueAddressOf(f), base, f.strategy, fixed);
    return {
      evaluatorFor: (_b, cut) => dist.evaluator(rules, cut),
      returnsFor: (_b, cut) => dist.returnsSource(cut),
      // Enough trials in flight for several machines; the methods propose the same points whatever the batch.
      batch: 64,
      close: async () => {
        const { reused, enqueued, replays } = dist.counts();
        if (f.quiet !== true) process.stderr.write(`distributed: ${reused} trial(s) reused from an earlier run, ${enqueued} sent to workers, ${replays} diagnostics replay(s) sent (setup ${dist.setup.slice(0, 12)})\n`);
        await dist.close();
      },
    };
  }
  if (workers === 1) return { evaluatorFor: (b) => localEvaluator(b, { fixed }, rules), returnsFor: (b) => localReturns(b), batch: 8, close: () => Promise.resolve() };
  // One pool for every walk-forward window: the bars are shared once and each window runs on its cut.
  const pool = await TrialPool.start(poolSetup(base, f.strategy, fixed), workers);
  return { evaluatorFor: (_b, cut) => pool.evaluator(rules, cut), returnsFor: (_b, cut) => pool.returnsSource(cut), batch: pool.batch, close: () => pool.close() };
}
