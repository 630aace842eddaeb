// Runs an optimization: the search proposes points, an evaluator (this thread, or a worker pool) backtests
// them, the search is told the trials, until the search is done, the budget is spent or the run is
// canceled. Keeps every trial and the best one (feasible first, then the highest objective).

import { gridPoints, type ParamPoint, type ParamSpace } from './space.js';
import { createSearch, type SearchOptions } from './search.js';
import { better, runTrial, type Trial, type TrialBase, type TrialRules } from './trial.js';

/** Backtests a batch of points; trial ids are given so results stay in the search's order. */
export type Evaluator = (batch: readonly { readonly id: number; readonly point: ParamPoint }[]) => Promise<Trial[]>;

export interface OptimizeOptions extends SearchOptions {
  readonly space: ParamSpace;
  readonly rules: TrialRules;
  /** Points handed to the evaluator at once (a pool wants several per worker). */
  readonly batch?: number;
  readonly evaluate: Evaluator;
  readonly onProgress?: (done: number, total: number) => void;
  /** The trials the run keeps, batch by batch as they are scored (to store or stream them). */
  readonly onTrials?: (trials: readonly Trial[]) => void;
  readonly signal?: AbortSignal;
  /** Early stopping: end after this many trials in a row without a better best. */
  readonly patience?: number;
  /** Monotonic milliseconds, for the run's duration (injected so tests need no wall clock). */
  readonly now?: () => number;
}

export interface OptimizationRun {
  readonly trials: readonly Trial[];
  readonly best: Trial | undefined;
  readonly canceled: boolean;
  /** Ended by the patience rule before the search was done. */
  readonly stoppedEarly: boolean;
  readonly elapsedMs: number;
}

/** The trials a run will make at most: the admissible grid (capped by the budget) or the budget. */
export function plannedTrials(space: ParamSpace, opts: SearchOptions): number {
  if (opts.method !== 'grid') return opts.budget ?? 100;
  let n = 0;
  const cap = opts.budget ?? Infinity;
  for (const _ of gridPoints(space)) if (++n >= cap) break;
  return n;
}

/**
 * Evaluates on this thread, one trial after another (only the space's fixed parameters matter here). Each batch
 * answers from a macrotask: answered at once, a whole run stayed in the microtask queue and Ctrl-C (a signal
 * event) was heard only when it ended.
 */
export function localEvaluator(base: TrialBase, space: Pick<ParamSpace, 'fixed'>, rules: TrialRules): Evaluator {
  const fixed = space.fixed as ParamPoint;
  return (batch) => new Promise((done) => setImmediate(() => done(batch.map((b) => runTrial(base, b.id, b.point, fixed, rules)))));
}

export interface BatchLoop {
  readonly evaluate: Evaluator;
  /** Points handed to the evaluator at once (a pool wants several per worker). */
  readonly batch: number;
  /** Batches running at once: 2 lets the next run while the last is taken, when nothing learns from them. */
  readonly ahead: number;
  /** Up to n points for the next batch; none when there are no more. */
  next(n: number): readonly ParamPoint[];
  /** A finished batch's trials, batch after batch in the order they were asked; false ends the loop. */
  take(trials: Trial[]): boolean;
  readonly signal?: AbortSignal;
}

/**
 * Runs batches of points on an evaluator, `ahead` at once, trial ids counted from 0 in the order asked, until
 * `next` has no more, `take` says stop or the signal aborts (the batch that finishes after it is not taken).
 */
export async function runBatches(o: BatchLoop): Promise<void> {
  const size = Math.max(1, o.batch);
  const aborted = (): boolean => o.signal?.aborted === true;
  const running: Promise<Trial[]>[] = [];
  let asked = 0;
  try {
    while (!aborted()) {
      while (running.length < o.ahead) {
        const points = o.next(size);
        if (points.length === 0) break;
        running.push(o.evaluate(points.map((point, i) => ({ id: asked + i, point }))));
        asked += points.length;
      }
      const next = running.shift();
      if (next === undefined) break;
      const done = await next;
      if (aborted() || !o.take(done)) break;
    }
  } finally {
    // A batch still running after a cancel or a failure: its outcome no longer matters, but must be heard.
    for (const p of running) p.catch(() => undefined);
  }
}

export async function optimize(opts: OptimizeOptions): Promise<OptimizationRun> {
  const now = opts.now ?? (() => performance.now());
  const start = now();
  const search = createSearch(opts.space, opts);
  const total = plannedTrials(opts.space, opts);
  const trials: Trial[] = [];
  let best: Trial | undefined;
  let bestAt = 0;
  let stoppedEarly = false;
  await runBatches({
    evaluate: opts.evaluate,
    batch: opts.batch ?? 8,
    // A search that does not learn from its trials may have the next batch running while this one is scored, so
    // a pool's workers do not wait at each batch's end.
    ahead: search.adaptive ? 1 : 2,
    next: (n) => search.ask(n),
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    take: (done) => {
      // Patience is counted trial by trial, so the run stops at the same trial whatever the batch size (one
      // thread and a pool batch differently); the rest of the batch is dropped.
      let kept = 0;
      while (kept < done.length && !stoppedEarly) {
        const t = done[kept++] as Trial;
        trials.push(t);
        if (better(t, best)) [best, bestAt] = [t, trials.length];
        stoppedEarly = opts.patience !== undefined && trials.length - bestAt >= opts.patience;
      }
      const told = kept === done.length ? done : done.slice(0, kept);
      search.tell(told);
      opts.onTrials?.(told);
      opts.onProgress?.(trials.length, Math.max(total, trials.length));
      return !stoppedEarly;
    },
  });
  if (stoppedEarly) opts.onProgress?.(trials.length, trials.length);
  return { trials, best, canceled: opts.signal?.aborted === true, stoppedEarly, elapsedMs: now() - start };
}
