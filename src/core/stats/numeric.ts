// Numerical building blocks shared by the backtest metrics and the live risk monitor: compensated sums, the
// corrected two-pass (co)variance, bar returns, and numpy-compatible linear quantiles (in place for unsorted data).

import { Pi5Error } from '../errors.js';

/**
 * Neumaier-compensated running sum. Bar returns are tiny and of both signs, so a plain running sum over
 * a million of them loses digits that the conformance tolerance (1e-9 relative) needs.
 */
export class CompensatedSum {
  private sum = 0;
  private carry = 0;

  add(x: number): void {
    const t = this.sum + x;
    this.carry += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.carry;
  }
}

/** Compensated sum of a whole array. */
export function compensatedSum(xs: Float64Array): number {
  const acc = new CompensatedSum();
  for (let i = 0; i < xs.length; i++) acc.add(xs[i] as number);
  return acc.value;
}

/**
 * The corrected two-pass (co)variance with n − 1: (Σ dx·dy − (Σ dx)(Σ dy)/n) / (n − 1), where d are
 * deviations from a computed mean; the correction term cancels the mean's own rounding error.
 */
export function correctedCovariance(sumProducts: number, sumDx: number, sumDy: number, n: number): number {
  return (sumProducts - (sumDx * sumDy) / n) / (n - 1);
}

/** numpy's _lerp: interpolating from the nearer end keeps the result inside [a, b] and exact at t = 1. */
export function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** numpy's "linear" virtual index (n − 1) × q, split into the lower rank and the interpolation weight. */
export function linearQuantileRank(n: number, q: number): { rank: number; weight: number } {
  if (n === 0 || !(q >= 0 && q <= 1)) {
    const message = `quantile: q ${q} over ${n} values (need 0 ≤ q ≤ 1 and at least one value)`;
    throw new Pi5Error('PI5_ERR_INTERNAL', message, { n, q });
  }
  const h = (n - 1) * q;
  const rank = Math.min(Math.floor(h), n - 1);
  return { rank, weight: rank === n - 1 ? 0 : h - rank };
}

/**
 * The q-quantile of ascending `sorted` with linear interpolation between order statistics at virtual
 * index (n − 1) × q: numpy.quantile's default method ("linear", Hyndman–Fan type 7), bit for bit.
 * Throws PI5_ERR_INTERNAL for an empty array or q outside [0, 1].
 */
export function quantileLinear(sorted: ArrayLike<number>, q: number): number {
  const { rank, weight } = linearQuantileRank(sorted.length, q);
  const lower = sorted[rank] as number;
  if (rank === sorted.length - 1) return lower;
  return lerp(lower, sorted[rank + 1] as number, weight);
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

/**
 * Rearranges `a` so a[k] holds its k-th smallest value (0-based), everything before it is ≤ and
 * everything after it is ≥. Hoare partitioning stays balanced on the long runs of equal returns that
 * flat bars produce; if pivots keep missing, the remaining range is sorted, so it is never quadratic.
 */
export function selectInPlace(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  let budget = 4 * Math.ceil(Math.log2(a.length + 1)) + 8;
  while (hi > lo) {
    if (budget-- === 0) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const pivot = medianOfThree(a[lo] as number, a[(lo + hi) >>> 1] as number, a[hi] as number);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Smallest of a[from..]. */
export function minFrom(a: Float64Array, from: number): number {
  let m = Infinity;
  for (let i = from; i < a.length; i++) {
    const v = a[i] as number;
    if (v < m) m = v;
  }
  return m;
}

/** r_t = E_t / E_{t−1} − 1 (METRICS.md), from an equity or price column. */
export function barReturn(equity: Float64Array, t: number): number {
  const prev = equity[t - 1] as number;
  return ((equity[t] as number) - prev) / prev;
}
