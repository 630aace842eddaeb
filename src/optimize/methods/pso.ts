// Particle swarm over unit coordinates (inertia 0.7, pulls 1.5 to each particle's best and the swarm's
// best), seeded. A particle that lands on a point already tried reads its known score instead of a rerun.

import type { PointSampler, Search } from './sampler.js';
import { admissible, pointKey, type ParamPoint, type ParamSpace } from '../space.js';
import type { Trial } from '../trial.js';
import { clampUnit, score, toPoint } from './coords.js';

const INERTIA = 0.7;
const PULL = 1.5;

interface Particle {
  x: number[];
  v: number[];
  best: number[];
  bestScore: number;
  /** The key of the point it waits a score for, or null. */
  waiting: string | null;
}

export class PsoSearch implements Search {
  readonly adaptive = true;
  private readonly swarm: Particle[] = [];
  private readonly known = new Map<string, number>();
  private global: { x: number[]; score: number } = { x: [], score: -Infinity };
  private left: number;
  constructor(
    private readonly space: ParamSpace,
    private readonly sampler: PointSampler,
    budget: number,
    private readonly size = 12,
  ) {
    this.left = budget;
  }

  ask(): ParamPoint[] {
    const out: ParamPoint[] = [];
    const rng = this.sampler.rng;
    if (this.swarm.length === 0) {
      for (let k = 0; k < this.size; k++) {
        const x = this.space.dims.map(() => rng.next());
        this.swarm.push({ x, v: x.map(() => (rng.next() - 0.5) * 0.2), best: x, bestScore: -Infinity, waiting: null });
      }
    }
    for (const p of this.swarm) {
      if (this.left <= 0 || p.waiting !== null) continue;
      // Move until the particle reaches an untried admissible point (known scores update it on the way).
      for (let step = 0; step < 50 && p.waiting === null; step++) {
        this.move(p);
        const point = toPoint(this.space, p.x);
        const key = pointKey(point);
        const known = this.known.get(key);
        if (known !== undefined) this.update(p, known);
        else if (!admissible(this.space, point)) {
          // Outside the constraints: as bad as a point can be, and remembered as such.
          this.known.set(key, -Infinity);
          this.update(p, -Infinity);
        } else if (this.sampler.mark(point)) {
          p.waiting = key;
          out.push(point);
          this.left--;
        }
      }
    }
    if (out.length === 0) this.left = 0;
    return out;
  }

  tell(trials: readonly Trial[]): void {
    for (const t of trials) {
      const key = pointKey(t.point);
      const s = score(t);
      this.known.set(key, s);
      for (const p of this.swarm) {
        if (p.waiting !== key) continue;
        p.waiting = null;
        this.update(p, s);
      }
    }
  }

  private update(p: Particle, s: number): void {
    if (s > p.bestScore) [p.best, p.bestScore] = [[...p.x], s];
    if (s > this.global.score) this.global = { x: [...p.x], score: s };
  }

  private move(p: Particle): void {
    const rng = this.sampler.rng;
    const g = this.global.x.length > 0 ? this.global.x : p.best;
    p.x.forEach((x, i) => {
      const v = INERTIA * (p.v[i] ?? 0) + PULL * rng.next() * ((p.best[i] ?? x) - x) + PULL * rng.next() * ((g[i] ?? x) - x);
      // A stalled particle gets a random kick, so the swarm keeps exploring.
      p.v[i] = Math.abs(v) < 1e-3 ? (rng.next() - 0.5) * 0.2 : v;
      p.x[i] = clampUnit(x + (p.v[i] ?? 0));
    });
  }
}
