// Runs a list of points known in advance (no search learns from them) on an evaluator: this thread, the pool or
// the distributed workers, in batches with the next one already running while this one is collected, so a
// pool's workers do not wait at each batch's end. Trials come back by index, so the order in which they finish
// changes nothing.

import type { Evaluator } from './optimizer.js';
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
  const size = Math.max(1, o.batch);
  const running: Promise<Trial[]>[] = [];
  let asked = 0;
  let done = 0;
  const aborted = (): boolean => o.signal?.aborted === true;
  try {
    while (!aborted()) {
      while (running.length < 2 && asked < points.length) {
        const from = asked;
        asked = Math.min(points.length, asked + size);
        running.push(o.evaluate(points.slice(from, asked).map((point, k) => ({ id: from + k, point }))));
      }
      const next = running.shift();
      if (next === undefined) break;
      const trials = await next;
      for (const t of trials) out[t.id] = t;
      done += trials.length;
      o.onProgress?.(done, points.length);
    }
  } finally {
    // A batch still running after a cancel or a failure: its outcome no longer matters, but must be heard.
    for (const p of running) p.catch(() => undefined);
  }
  return done === points.length ? out : null;
}
