// Parameter stability around the best trial: a sharp peak whose neighbours score far worse is a fit to noise,
// a plateau is a robust choice. Two views from the trials already run (no new backtests): per searched
// parameter, the objective along that parameter with the others held at the best point (a profile), and the
// objective of the best point's neighbours (one grid step, or a tenth of a continuous range, in every parameter).

import type { ParamSpace, ParamValue } from './space.js';
import type { Trial } from './trial.js';

export interface StabilityProfile {
  readonly name: string;
  /** Every value of the parameter with the objective of the trial that held the others at the best point (null: not run or infeasible). */
  readonly points: readonly { readonly value: ParamValue; readonly objective: number | null }[];
}

export interface Stability {
  readonly best: number;
  readonly profiles: readonly StabilityProfile[];
  /** Feasible neighbours of the best point that were run. */
  readonly neighbours: number;
  readonly neighbourMean: number | null;
  readonly neighbourMin: number | null;
  /** neighbourMean / best when the best is positive: near 1 a plateau, near 0 or below a spike. */
  readonly ratio: number | null;
}

function key(t: Trial, names: readonly string[], skip: string): string {
  return names.map((n) => (n === skip ? '' : String(t.point[n]))).join('\u0000');
}

function isNeighbour(space: ParamSpace, a: Trial, b: Trial): boolean {
  let differs = false;
  for (const d of space.dims) {
    const x = a.point[d.name];
    const y = b.point[d.name];
    if (x === y) continue;
    differs = true;
    if (d.values.length > 0) {
      const i = d.values.indexOf(x as ParamValue);
      const j = d.values.indexOf(y as ParamValue);
      if (i < 0 || j < 0 || Math.abs(i - j) > 1) return false;
    } else if (d.range !== undefined && typeof x === 'number' && typeof y === 'number') {
      if (Math.abs(x - y) > (d.range.max - d.range.min) / 10) return false;
    } else return false;
  }
  return differs;
}

export function stabilityOf(space: ParamSpace, trials: readonly Trial[], best: Trial): Stability {
  const names = space.dims.map((d) => d.name);
  const profiles = space.dims
    .filter((d) => d.values.length > 1)
    .map((d): StabilityProfile => {
      const want = key(best, names, d.name);
      const byValue = new Map<ParamValue, number>();
      for (const t of trials) if (t.feasible && key(t, names, d.name) === want) byValue.set(t.point[d.name] as ParamValue, t.objective);
      return { name: d.name, points: d.values.map((value) => ({ value, objective: byValue.get(value) ?? null })) };
    });
  const near = trials.filter((t) => t.feasible && Number.isFinite(t.objective) && isNeighbour(space, best, t)).map((t) => t.objective);
  const mean = near.length === 0 ? null : near.reduce((a, b) => a + b, 0) / near.length;
  return {
    best: best.objective,
    profiles,
    neighbours: near.length,
    neighbourMean: mean,
    neighbourMin: near.length === 0 ? null : Math.min(...near),
    ratio: mean === null || !(best.objective > 0) ? null : mean / best.objective,
  };
}
