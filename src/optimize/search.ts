// Search methods behind one ask/tell interface: a method proposes points (ask), is told their trials
// (tell) and proposes again, until it has nothing left or the budget is spent. Grid walks every
// admissible point; random draws admissible points uniformly (seeded), without repeats.

import { Pi5Error } from '../core/errors.js';
import { SeededRng } from '../core/rng.js';
import { admissible, gridPoints, pointKey, randomPoint, type ParamPoint, type ParamSpace } from './space.js';
import type { Trial } from './trial.js';

export interface Search {
  /** Up to `n` new points; none when the search is finished. */
  ask(n: number): ParamPoint[];
  tell(trials: readonly Trial[]): void;
}

export const SEARCH_METHODS = ['grid', 'random'] as const;
export type SearchMethod = (typeof SEARCH_METHODS)[number];

export interface SearchOptions {
  readonly method: SearchMethod;
  /** Most trials to run; grid defaults to all points, the others need it (default 100). */
  readonly budget?: number;
  readonly seed?: number;
}

class GridSearch implements Search {
  private readonly it: Generator<ParamPoint>;
  private left: number;
  constructor(space: ParamSpace, budget: number) {
    this.it = gridPoints(space);
    this.left = budget;
  }
  ask(n: number): ParamPoint[] {
    const out: ParamPoint[] = [];
    while (out.length < n && this.left > 0) {
      const r = this.it.next();
      if (r.done === true) break;
      out.push(r.value);
      this.left--;
    }
    return out;
  }
  tell(): void {}
}

/** Rejection sampling: gives up on a point after many admissible-or-new misses (a small or tight space). */
export class PointSampler {
  private readonly seen = new Set<string>();
  constructor(
    private readonly space: ParamSpace,
    readonly rng: SeededRng,
  ) {}
  /** A new admissible point, or undefined when 1,000 draws found none. */
  draw(make: () => ParamPoint = () => randomPoint(this.space, this.rng)): ParamPoint | undefined {
    for (let tries = 0; tries < 1000; tries++) {
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

class RandomSearch implements Search {
  private readonly sampler: PointSampler;
  private left: number;
  constructor(space: ParamSpace, budget: number, seed: number) {
    this.sampler = new PointSampler(space, new SeededRng(seed));
    this.left = budget;
  }
  ask(n: number): ParamPoint[] {
    const out: ParamPoint[] = [];
    while (out.length < n && this.left > 0) {
      const p = this.sampler.draw();
      if (p === undefined) {
        this.left = 0;
        break;
      }
      out.push(p);
      this.left--;
    }
    return out;
  }
  tell(): void {}
}

export function createSearch(space: ParamSpace, opts: SearchOptions): Search {
  const budget = opts.budget ?? (opts.method === 'grid' ? Infinity : 100);
  if (!(budget >= 1)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--budget: ${budget} is below 1`);
  switch (opts.method) {
    case 'grid':
      return new GridSearch(space, budget);
    case 'random':
      return new RandomSearch(space, budget, opts.seed ?? 1);
  }
}

export function parseMethod(text: string): SearchMethod {
  const m = SEARCH_METHODS.find((x) => x === text);
  if (m === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--method: ${JSON.stringify(text)} is not one of ${SEARCH_METHODS.join(', ')}`);
  return m;
}
