// Points as coordinates in the unit cube, one per dimension, so model-based and population methods work
// the same on integer steps, choices and continuous ranges: a discrete dimension of n values maps [0, 1)
// onto its values in n equal cells, a continuous one linearly onto its range.

import type { Dimension, ParamPoint, ParamSpace, ParamValue } from '../space.js';
import type { Trial } from '../trial.js';

export type Coords = readonly number[];

export function clampUnit(u: number): number {
  return u < 0 ? 0 : u >= 1 ? 1 - 1e-12 : u;
}

function valueAt(d: Dimension, u: number): ParamValue {
  if (d.range !== undefined) return d.range.min + clampUnit(u) * (d.range.max - d.range.min);
  return d.values[Math.min(d.values.length - 1, Math.floor(clampUnit(u) * d.values.length))] as ParamValue;
}

export function toPoint(space: ParamSpace, c: Coords): ParamPoint {
  const p: Record<string, ParamValue> = {};
  space.dims.forEach((d, i) => (p[d.name] = valueAt(d, c[i] ?? 0)));
  return p;
}

/** The centre of the cell a point's value sits in (continuous: its position in the range). */
export function toCoords(space: ParamSpace, p: ParamPoint): number[] {
  return space.dims.map((d) => {
    const v = p[d.name];
    if (d.range !== undefined) return ((v as number) - d.range.min) / (d.range.max - d.range.min);
    const i = d.values.indexOf(v as ParamValue);
    return (Math.max(0, i) + 0.5) / d.values.length;
  });
}

/** What a method maximizes: the objective of a feasible trial, −∞ otherwise. */
export function score(t: Trial): number {
  return t.feasible ? t.objective : -Infinity;
}
