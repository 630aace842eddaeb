// Runs a list of points known in advance (no search learns from them) on an evaluator: this thread, the pool or
// the distributed workers, through the optimizer's batch loop with the next batch already running while this one
// is collected, so a pool's workers do not wait at each batch's end. Trials come back by index.

import { runBatches, type Evaluator } from './optimizer.js';
import type { ParamPoint } from './space.js';
import type { Trial } from './trial.js';

export interface EvaluateAllOptions {
  readonly evaluate: Evaluator;
  /** Points handed to the evaluator at once (a pool wants several per worker). */
  readonly batch: number;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/** Every point's trial, trial i for point i (its id); null when the signal canceled the run before the last. */
export async function evaluateAll(points: readonly ParamPoint[], o: EvaluateAllOptions): Promise<Trial[] | null> {
  const out = new Array<Trial>(points.length);
  let asked = 0;
  let done = 0;
  await runBatches({
    evaluate: o.evaluate,
    batch: o.batch,
    ahead: 2,
    next: (n) => {
      const from = asked;
      asked = Math.min(points.length, asked + n);
      return points.slice(from, asked);
    },
    take: (trials) => {
      for (const t of trials) out[t.id] = t;
      done += trials.length;
      o.onProgress?.(done, points.length);
      return true;
    },
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  });
  return done === points.length ? out : null;
}
