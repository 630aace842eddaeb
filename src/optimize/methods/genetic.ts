// A genetic algorithm over unit coordinates: a seeded random first generation, then each generation bred
// from the last by tournament selection, uniform crossover and Gaussian mutation, the best individual
// carried over (elitism, never re-run). Children that repeat a tried point are mutated again.

import type { PointSampler, Search } from './sampler.js';
import type { ParamPoint, ParamSpace } from '../space.js';
import type { Trial } from '../trial.js';
import { clampUnit, score, toCoords, toPoint, type Coords } from './coords.js';

export interface GeneticOptions {
  readonly population: number;
  readonly crossover: number;
  /** Chance that a gene mutates; default 1 / dimensions. */
  readonly mutation?: number;
  readonly tournament: number;
}

export const GENETIC_DEFAULTS: GeneticOptions = { population: 20, crossover: 0.9, tournament: 3 };

interface Individual {
  readonly coords: Coords;
  readonly score: number;
}

export class GeneticSearch implements Search {
  readonly adaptive = true;
  private generation: Individual[] = [];
  private incoming: Individual[] = [];
  private pending = 0;
  private left: number;
  constructor(
    private readonly space: ParamSpace,
    private readonly sampler: PointSampler,
    budget: number,
    private readonly opts: GeneticOptions = GENETIC_DEFAULTS,
  ) {
    this.left = budget;
  }

  ask(n: number): ParamPoint[] {
    // A generation is bred only from a fully told one.
    if (this.pending > 0) return [];
    const out: ParamPoint[] = [];
    const size = Math.min(this.opts.population, this.left, Math.max(n, this.opts.population));
    for (let k = 0; k < size; k++) {
      const p = this.generation.length === 0 ? this.sampler.draw() : (this.sampler.draw(() => this.child(), 50) ?? this.sampler.draw());
      if (p === undefined) break;
      out.push(p);
    }
    if (out.length === 0) this.left = 0;
    this.left -= out.length;
    this.pending = out.length;
    return out;
  }

  tell(trials: readonly Trial[]): void {
    for (const t of trials) this.incoming.push({ coords: toCoords(this.space, t.point), score: score(t) });
    this.pending -= trials.length;
    if (this.pending > 0) return;
    // The next parents: this generation plus the best of the previous one (elitism).
    const elite = this.generation.reduce<Individual | undefined>((a, b) => (a === undefined || b.score > a.score ? b : a), undefined);
    this.generation = elite === undefined ? this.incoming : [...this.incoming, elite];
    this.incoming = [];
  }

  private pick(): Individual {
    let best = this.generation[this.sampler.rng.int(0, this.generation.length - 1)] as Individual;
    for (let k = 1; k < this.opts.tournament; k++) {
      const c = this.generation[this.sampler.rng.int(0, this.generation.length - 1)] as Individual;
      if (c.score > best.score) best = c;
    }
    return best;
  }

  private child(): ParamPoint {
    const rng = this.sampler.rng;
    const [a, b] = [this.pick(), this.pick()];
    const cross = rng.next() < this.opts.crossover;
    const rate = this.opts.mutation ?? 1 / Math.max(1, this.space.dims.length);
    const genes = a.coords.map((g, i) => {
      const base = cross && rng.next() < 0.5 ? (b.coords[i] ?? g) : g;
      return rng.next() < rate ? clampUnit(base + rng.normal() * 0.15) : base;
    });
    return toPoint(this.space, genes);
  }
}
