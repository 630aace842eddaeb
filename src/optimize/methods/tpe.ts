// Tree-structured Parzen estimator (Bergstra et al. 2011), per dimension: after a seeded random start, the
// trials are split into the best quarter ("good") and the rest; candidates are drawn around good points and
// the one with the highest ratio of good to bad density, l(x)/g(x), is tried next.

import type { SeededRng } from '../../core/rng.js';
import type { PointSampler, Search } from './sampler.js';
import type { ParamPoint, ParamSpace } from '../space.js';
import type { Trial } from '../trial.js';
import { clampUnit, score, toCoords, toPoint, type Coords } from './coords.js';

const STARTUP = 10;
const CANDIDATES = 24;
const GAMMA = 0.25;

/** Parzen density at u of Gaussian kernels at `centres`, bandwidth shrinking with their number, plus a uniform prior. */
function density(u: number, centres: readonly number[]): number {
  const n = centres.length;
  const bw = Math.max(0.02, 1 / (1 + n) ** 0.5 / 2);
  let s = 1; // the prior: one uniform component
  for (const c of centres) s += Math.exp(-0.5 * ((u - c) / bw) ** 2) / (bw * Math.sqrt(2 * Math.PI));
  return s / (n + 1);
}

export class TpeSearch implements Search {
  readonly adaptive = true;
  private readonly seen: { coords: Coords; score: number }[] = [];
  private left: number;
  constructor(
    private readonly space: ParamSpace,
    private readonly sampler: PointSampler,
    budget: number,
  ) {
    this.left = budget;
  }

  private get rng(): SeededRng {
    return this.sampler.rng;
  }

  ask(n: number): ParamPoint[] {
    const out: ParamPoint[] = [];
    // Model-based points depend on the trials told so far: one at a time after the random start.
    const want = this.seen.length < STARTUP ? Math.min(n, STARTUP - this.seen.length) : 1;
    while (out.length < want && this.left > 0) {
      const p = this.seen.length < STARTUP ? this.sampler.draw() : (this.sampler.draw(() => this.propose(), 50) ?? this.sampler.draw());
      if (p === undefined) {
        this.left = 0;
        break;
      }
      out.push(p);
      this.left--;
    }
    return out;
  }

  tell(trials: readonly Trial[]): void {
    for (const t of trials) this.seen.push({ coords: toCoords(this.space, t.point), score: score(t) });
  }

  private propose(): ParamPoint {
    const sorted = [...this.seen].sort((a, b) => b.score - a.score);
    const cut = Math.max(1, Math.ceil(GAMMA * sorted.length));
    const good = sorted.slice(0, cut);
    const bad = sorted.slice(cut);
    let best: number[] = [];
    let bestRatio = -Infinity;
    for (let k = 0; k < CANDIDATES; k++) {
      const centre = good[this.rng.int(0, good.length - 1)] as { coords: Coords };
      let ratio = 0;
      const c = this.space.dims.map((_, i) => {
        const u = clampUnit((centre.coords[i] ?? 0.5) + this.rng.normal() * 0.1);
        ratio += Math.log(density(u, good.map((g) => g.coords[i] ?? 0))) - Math.log(density(u, bad.map((b) => b.coords[i] ?? 0)));
        return u;
      });
      if (ratio > bestRatio) [best, bestRatio] = [c, ratio];
    }
    return toPoint(this.space, best);
  }
}
