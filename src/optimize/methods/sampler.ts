// The ask/tell interface every search method implements, and the seeded sampler of new admissible points
// they share (no point is proposed twice).

import type { SeededRng } from '../../core/rng.js';
import { admissible, pointKey, randomPoint, type ParamPoint, type ParamSpace } from '../space.js';
import type { Trial } from '../trial.js';

export interface Search {
  /** False when the points proposed never depend on the trials told (grid, random): batches may then overlap. */
  readonly adaptive: boolean;
  /** Up to `n` new points; none when the search is finished. */
  ask(n: number): ParamPoint[];
  tell(trials: readonly Trial[]): void;
}

/** Rejection sampling: gives up on a point after many admissible-or-new misses (a small or tight space). */
export class PointSampler {
  private readonly seen = new Set<string>();
  constructor(
    private readonly space: ParamSpace,
    readonly rng: SeededRng,
  ) {}
  /** A new admissible point, or undefined when `tries` draws found none. */
  draw(make: () => ParamPoint = () => randomPoint(this.space, this.rng), tries = 1000): ParamPoint | undefined {
    for (let k = 0; k < tries; k++) {
      const p = make();
      const k = pointKey(p);
      if (this.seen.has(k) || !admissible(this.space, p)) continue;
      this.seen.add(k);
      return p;
    }
    return undefined;
  }
  /** Marks a point as used without drawing it. */
  mark(p: ParamPoint): boolean {
    const k = pointKey(p);
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }
}

