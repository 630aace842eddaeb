// Search methods behind one ask/tell interface: a method proposes points (ask), is told their trials
// (tell) and proposes again, until it has nothing left or the budget is spent. Grid walks every
// admissible point; random draws admissible points uniformly (seeded), without repeats; bayes (TPE),
// genetic and pso are in methods/.

import { Pi5Error } from '../core/errors.js';
import { SeededRng } from '../core/rng.js';
import { GENETIC_DEFAULTS, GeneticSearch, type GeneticOptions } from './methods/genetic.js';
import { PsoSearch } from './methods/pso.js';
import { TpeSearch } from './methods/tpe.js';
import { gridPoints, type ParamPoint, type ParamSpace } from './space.js';
import { PointSampler, type Search } from './methods/sampler.js';

export type { Search } from './methods/sampler.js';

export const SEARCH_METHODS = ['grid', 'random', 'bayes', 'genetic', 'pso'] as const;
export type SearchMethod = (typeof SEARCH_METHODS)[number];

export interface SearchOptions {
  readonly method: SearchMethod;
  /** Most trials to run; grid defaults to all points, the others need it (default 100). */
  readonly budget?: number;
  readonly seed?: number;
  /** Genetic algorithm settings (population, crossover and mutation rates, tournament size). */
  readonly genetic?: Partial<GeneticOptions>;
}

class GridSearch implements Search {
  readonly adaptive = false;
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

class RandomSearch implements Search {
  readonly adaptive = false;
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
    case 'bayes':
      return new TpeSearch(space, new PointSampler(space, new SeededRng(opts.seed ?? 1)), budget);
    case 'genetic':
      return new GeneticSearch(space, new PointSampler(space, new SeededRng(opts.seed ?? 1)), budget, { ...GENETIC_DEFAULTS, ...opts.genetic });
    case 'pso':
      return new PsoSearch(space, new PointSampler(space, new SeededRng(opts.seed ?? 1)), budget);
  }
}

export function parseMethod(text: string): SearchMethod {
  const m = SEARCH_METHODS.find((x) => x === text);
  if (m === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--method: ${JSON.stringify(text)} is not one of ${SEARCH_METHODS.join(', ')}`);
  return m;
}
