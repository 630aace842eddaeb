// A trial's bar-by-bar returns, which the overfitting diagnostics need (the metrics alone do not carry them):
// replayed on this thread, on a pool's threads or on `pi5 worker`s, always from the same replay.

import { Pi5Error } from '../core/errors.js';
import { barReturn } from '../core/stats/numeric.js';
import type { ParamPoint } from './space.js';

export interface BarReturns {
  readonly returns: Float64Array;
  /** The replay's periods per year (annualizes the per-bar Sharpe ratio). */
  readonly periodsPerYear: number;
}

/** Replays trials by their full parameters and gives their returns, in order. */
export type ReturnsSource = (params: readonly ParamPoint[]) => Promise<BarReturns[]>;

/** The returns of a replay's equity curve: one per bar after the first. */
export function returnsOfEquity(equity: Float64Array, periodsPerYear: number): BarReturns {
  const returns = new Float64Array(equity.length - 1);
  for (let i = 1; i < equity.length; i++) returns[i - 1] = barReturn(equity, i);
  return { returns, periodsPerYear };
}

/** One buffer for a queue: the periods per year, then the returns, as little-endian float64 (any machine reads it). */
export function packReturns(r: BarReturns): Buffer {
  const out = Buffer.alloc(8 * (r.returns.length + 1));
  out.writeDoubleLE(r.periodsPerYear, 0);
  r.returns.forEach((x, i) => out.writeDoubleLE(x, 8 * (i + 1)));
  return out;
}

export function unpackReturns(b: Buffer, what: string): BarReturns {
  if (b.length < 8 || b.length % 8 !== 0) throw new Pi5Error('PI5_ERR_QUEUE', `${what}: ${b.length} bytes is no packed return series`);
  const returns = new Float64Array(b.length / 8 - 1);
  for (let i = 0; i < returns.length; i++) returns[i] = b.readDoubleLE(8 * (i + 1));
  return { periodsPerYear: b.readDoubleLE(0), returns };
}
