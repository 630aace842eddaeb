// Return and risk metrics of the equity curve: total return, CAGR, volatility, Sharpe and Sortino, from
// the bar returns r_t = E_t / E_{t−1} − 1 (METRICS.md, "Returns and risk").
// Returns are recomputed from equity in each pass rather than stored: on a million bars a division is
// cheaper than touching another 8 MB buffer.

import { CompensatedSum, barReturn, correctedCovariance } from '../../core/stats/numeric.js';

export { barReturn };

export const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

/**
 * r_t for 1 ≤ t ≤ N. (E_t − E_{t−1}) / E_{t−1} rather than E_t / E_{t−1} − 1: the difference of nearby
 * equities is exact, so small returns keep all their digits and a flat bar is exactly 0. Every metric
 * computes r_t through here, so every pass sees bit-identical returns.
 */

export interface ReturnMoments {
  readonly mean: number;
  /** Sample (n − 1); 0 with fewer than two returns or when all are equal. */
  readonly stdev: number;
  /** sqrt(mean(min(r_t − rfBar, 0)²)) over all N returns, gains counting as zeros. */
  readonly downside: number;
  readonly min: number;
  readonly max: number;
  /** How many returns are below 0; VaR searches one sign at a time. */
  readonly negatives: number;
  /** How many are exactly 0: flat bars make long runs of them, which VaR counts instead of searching. */
  readonly zeros: number;
}

/**
 * Two passes over the returns: mean and range, then the deviations. A constant series gets exactly 0
 * deviation: a mean rounded by one ulp would otherwise leave a 1e-20 stdev and an enormous Sharpe.
 */
export function returnMoments(equity: Float64Array, rfBar: number): ReturnMoments {
  const n = equity.length - 1;
  if (n === 0) return { mean: 0, stdev: 0, downside: 0, min: 0, max: 0, negatives: 0, zeros: 0 };
  const sum = new CompensatedSum();
  let min = Infinity;
  let max = -Infinity;
  let negatives = 0;
  let zeros = 0;
  for (let t = 1; t <= n; t++) {
    const r = barReturn(equity, t);
    sum.add(r);
    if (r < min) min = r;
    if (r > max) max = r;
    // Counted without branches: the sign of a return is as unpredictable as the market.
    negatives += +(r < 0);
    zeros += +(r === 0);
  }
  const mean = sum.value / n;
  let squares = 0;
  let deviations = 0;
  let downSquares = 0;
  for (let t = 1; t <= n; t++) {
    const r = barReturn(equity, t);
    const d = r - mean;
    // Squares never cancel, so plain sums keep them accurate.
    squares += d * d;
    deviations += d;
    // min(excess, 0) without Math.min, whose −0 handling compiles to branches that mispredict on
    // every other bar (10× slower here); halving excess − |excess| is exact.
    const excess = r - rfBar;
    const shortfall = (excess - Math.abs(excess)) * 0.5;
    downSquares += shortfall * shortfall;
  }
  const variance = n < 2 || min === max ? 0 : Math.max(0, correctedCovariance(squares, deviations, deviations, n));
  return { mean, stdev: Math.sqrt(variance), downside: Math.sqrt(downSquares / n), min, max, negatives, zeros };
}

/**
 * Compound annual growth between the first and the last bar's time. 0 when that span is zero (fewer
 * than two bars), −1 when the account ended with nothing (or less), where the root is undefined.
 */
function cagrOf(startEquity: number, finalEquity: number, times: Float64Array): number {
  const n = times.length;
  if (n < 2) return 0;
  const years = ((times[n - 1] as number) - (times[0] as number)) / YEAR_MS;
  if (!(years > 0)) return 0;
  const growth = finalEquity / startEquity;
  if (!(growth > 0)) return -1;
  return Math.pow(growth, 1 / years) - 1;
}

export interface ReturnStats {
  readonly totalReturn: number;
  readonly cagr: number;
  readonly volatility: number;
  readonly sharpe: number;
  readonly sortino: number | null;
}

/** Sharpe is 0 when stdev is 0 (METRICS.md); Sortino likewise 0 when there is no downside at all. */
export function returnStats(
  m: ReturnMoments,
  equity: Float64Array,
  times: Float64Array,
  periodsPerYear: number,
  riskFreeRate: number,
): ReturnStats {
  const startEquity = equity[0] as number;
  const finalEquity = equity[equity.length - 1] as number;
  const rootA = Math.sqrt(periodsPerYear);
  const excess = m.mean - riskFreeRate / periodsPerYear;
  return {
    totalReturn: (finalEquity - startEquity) / startEquity,
    cagr: cagrOf(startEquity, finalEquity, times),
    volatility: m.stdev * rootA,
    sharpe: m.stdev === 0 ? 0 : (excess / m.stdev) * rootA,
    sortino: m.downside === 0 ? null : (excess / m.downside) * rootA,
  };
}
