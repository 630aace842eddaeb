// Parametric Monte Carlo: a distribution fitted to a run's bar returns, drawn from independently. `normal`
// takes the sample mean and standard deviation; `t` is a Student-t scaled to the same mean and standard
// deviation, its degrees of freedom from the sample's excess kurtosis (method of moments: κ = 6 / (ν − 4)).
// Independent draws make the compounded growth's first two moments exact, which the tests check against.

import { Pi5Error } from '../core/errors.js';
import type { SeededRng } from '../core/rng.js';

export type ReturnDistribution = 'normal' | 't';
export const RETURN_DISTRIBUTIONS: readonly ReturnDistribution[] = ['normal', 't'];

export interface ReturnFit {
  /** The distribution drawn from: a `t` asked for on returns without excess kurtosis falls back to `normal`. */
  readonly distribution: ReturnDistribution;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly sd: number;
  /** Student-t degrees of freedom; null for normal. */
  readonly dof: number | null;
  /** Sample excess kurtosis of the returns. */
  readonly excessKurtosis: number;
}

export function parseReturnDistribution(text: string): ReturnDistribution {
  const d = RETURN_DISTRIBUTIONS.find((x) => x === text);
  if (d === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--dist: ${JSON.stringify(text)} is not one of ${RETURN_DISTRIBUTIONS.join(', ')}`);
  return d;
}

export function fitReturns(returns: readonly number[], wanted: ReturnDistribution): ReturnFit {
  const n = returns.length;
  if (n < 4) throw new Pi5Error('PI5_ERR_BAD_USAGE', `montecarlo: ${n} returns are too few to fit a distribution (4 at least)`);
  let sum = 0;
  for (const r of returns) sum += r;
  const mean = sum / n;
  let m2 = 0;
  let m4 = 0;
  for (const r of returns) {
    const d2 = (r - mean) ** 2;
    m2 += d2;
    m4 += d2 * d2;
  }
  const excessKurtosis = m2 > 0 ? (n * m4) / (m2 * m2) - 3 : 0;
  const sd = Math.sqrt(m2 / (n - 1));
  const t = wanted === 't' && excessKurtosis > 0;
  return { distribution: t ? 't' : 'normal', mean, sd, dof: t ? 4 + 6 / excessKurtosis : null, excessKurtosis };
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape ≥ 1 here (ν > 4 gives ν / 2 > 2). */
function gamma(rng: SeededRng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x = rng.normal();
    let v = 1 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const u = rng.next();
    x *= x;
    if (u < 1 - 0.0331 * x * x || Math.log(u) < 0.5 * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Draws one bar return from the fit. */
export function returnSampler(fit: ReturnFit, rng: SeededRng): () => number {
  if (fit.dof === null) return () => fit.mean + fit.sd * rng.normal();
  const nu = fit.dof;
  // A t with ν degrees of freedom has variance ν / (ν − 2): scaled so the draws have the sample's sd.
  const scale = fit.sd * Math.sqrt((nu - 2) / nu);
  return () => fit.mean + (scale * rng.normal()) / Math.sqrt((2 * gamma(rng, nu / 2)) / nu);
}

/**
 * Mean and variance of the total return after `steps` independent draws (growth Π(1 + r)): E = (1 + μ)^n − 1
 * and Var = ((1 + μ)² + σ²)^n − (1 + μ)^2n, whatever the distribution's shape.
 */
export function compoundedMoments(fit: ReturnFit, steps: number): { mean: number; variance: number } {
  const g = 1 + fit.mean;
  return { mean: g ** steps - 1, variance: (g * g + fit.sd * fit.sd) ** steps - g ** (2 * steps) };
}
