// Historical 95% value at risk and conditional VaR over all N bar returns, with numpy's linear quantile,
// found without sorting or copying the returns: the zeros of flat bars are counted, not searched, and
// a histogram narrows the rest down to one bin whose few values are selected exactly.

import type { ReturnMoments } from './returns.js';
import { barReturn } from './returns.js';
import { lerp, linearQuantileRank, minFrom, selectInPlace } from '../../core/stats/numeric.js';

const BINS = 4096;
/** Up to this many candidates, collecting them into a buffer and selecting beats another histogram. */
const SMALL = 1 << 16;
/** The largest negative and smallest positive doubles: ranges that hold one sign and no zeros. */
const NEG_HIGH = -Number.MIN_VALUE;
const POS_LOW = Number.MIN_VALUE;

/** Returns of the equity curve that lie in [low, high], split into BINS buckets of width 1 / scale. */
interface BinnedRange {
  readonly equity: Float64Array;
  readonly low: number;
  readonly high: number;
  /** 0 puts the whole range in bin 0. */
  readonly scale: number;
}

/**
 * Bin of r in the range, or BINS (a bucket nobody reads) when r is outside it, NaN included. Monotone
 * in r, so ranks carry over from bins to values. Written without branches: whether a return is in
 * range is as unpredictable as its sign, and a mispredicted branch per bar costs more than the
 * arithmetic. The scale maps high to BINS − 1, so truncation (floor, as r ≥ low) never passes the last
 * bin; the mask only tames out-of-range garbage before it is discarded.
 */
function binOf(r: number, low: number, high: number, scale: number): number {
  const inRange = +(r >= low) & +(r <= high);
  const k = (((r - low) * scale) | 0) & (BINS - 1);
  return inRange * (k - BINS) + BINS;
}

/** How many returns fall in each bin; index BINS counts those outside the range and is ignored. */
function binCounts({ equity, low, high, scale }: BinnedRange): Int32Array {
  const counts = new Int32Array(BINS + 1);
  const n = equity.length - 1;
  for (let t = 1; t <= n; t++) {
    const k = binOf(barReturn(equity, t), low, high, scale);
    counts[k] = (counts[k] as number) + 1;
  }
  return counts;
}

/**
 * The `count` returns of bin `bin` in a buffer of their own. Every return is written and only those
 * in the bin advance the cursor, so the spare last slot absorbs the rest.
 */
function collect({ equity, low, high, scale }: BinnedRange, bin: number, count: number): Float64Array {
  const values = new Float64Array(count + 1);
  const n = equity.length - 1;
  let j = 0;
  for (let t = 1; t <= n; t++) {
    const r = barReturn(equity, t);
    values[j] = r;
    j += +(binOf(r, low, high, scale) === bin);
  }
  return values.subarray(0, count);
}

interface BinBounds {
  readonly binLow: number;
  readonly binHigh: number;
  /** Lowest return of bin `next`; Infinity when `next` is past the last bin. */
  readonly nextLow: number;
}

/** Only on the rare paths (a rank at a bin's edge, a crowded bin), so plain branches are fine. */
function binBounds({ equity, low, high, scale }: BinnedRange, bin: number, next: number): BinBounds {
  let binLow = Infinity;
  let binHigh = -Infinity;
  let nextLow = Infinity;
  const n = equity.length - 1;
  for (let t = 1; t <= n; t++) {
    const r = barReturn(equity, t);
    const k = binOf(r, low, high, scale);
    if (k === bin) {
      if (r < binLow) binLow = r;
      if (r > binHigh) binHigh = r;
    } else if (k === next && r < nextLow) {
      nextLow = r;
    }
  }
  return { binLow, binHigh, nextLow };
}

function selectPair(values: Float64Array, rank: number): [number, number] {
  selectInPlace(values, rank);
  return [values[rank] as number, minFrom(values, rank + 1)];
}

/**
 * The returns of 0-based ranks `rank` and `rank + 1` among the `count` returns in [low, high]; the
 * second is Infinity when rank + 1 is past them, for the caller to fill in.
 */
function adjacentInRange(
  equity: Float64Array,
  rank: number,
  low: number,
  high: number,
  count: number,
): [number, number] {
  const scale = (BINS - 1) / (high - low);
  // A range too narrow or too wide for a finite, non-zero scale cannot be split: select directly.
  if (count <= SMALL || !(scale > 0 && scale < Infinity)) {
    return selectPair(collect({ equity, low, high, scale: 0 }, 0, count), rank);
  }
  const range: BinnedRange = { equity, low, high, scale };
  const counts = binCounts(range);
  let bin = 0;
  let before = 0;
  while (before + (counts[bin] as number) <= rank) before += counts[bin++] as number;
  const inBin = counts[bin] as number;
  const offset = rank - before;
  if (offset + 1 < inBin && inBin <= SMALL) return selectPair(collect(range, bin, inBin), offset);
  let next = bin + 1;
  while (next < BINS && counts[next] === 0) next++;
  const b = binBounds(range, bin, next);
  if (offset === inBin - 1) return [b.binHigh, b.nextLow];
  if (b.binLow === b.binHigh) return [b.binLow, b.binLow];
  // A crowded bin: search it the same way. Its lowest and highest values land in different sub-bins,
  // so every level holds strictly fewer candidates.
  const [first, second] = adjacentInRange(equity, offset, b.binLow, b.binHigh, inBin);
  return [first, second === Infinity ? b.nextLow : second];
}

/** The returns of ranks `rank` and `rank + 1` among all N (rank + 1 < N), searching one sign at a time. */
function adjacentOrderStatistics(equity: Float64Array, rank: number, m: ReturnMoments): [number, number] {
  const n = equity.length - 1;
  const positives = n - m.negatives - m.zeros;
  const firstPositive = (): number => adjacentInRange(equity, 0, POS_LOW, m.max, positives)[0];
  if (rank < m.negatives) {
    const [first, second] = adjacentInRange(equity, rank, m.min, NEG_HIGH, m.negatives);
    if (second !== Infinity) return [first, second];
    return [first, m.zeros > 0 ? 0 : firstPositive()];
  }
  const positiveRank = rank - m.negatives - m.zeros;
  if (positiveRank + 1 < 0) return [0, 0];
  if (positiveRank < 0) return [0, firstPositive()];
  const [first, second] = adjacentInRange(equity, positiveRank, POS_LOW, m.max, positives);
  return [first, second];
}

/** numpy.quantile(r, q) of the returns of `equity`; also its lower order statistic. */
function returnsQuantile(equity: Float64Array, q: number, m: ReturnMoments): { value: number; lower: number } {
  const n = equity.length - 1;
  const { rank, weight } = linearQuantileRank(n, q);
  if (m.min === m.max) return { value: m.min, lower: m.min };
  // With min < max there are at least two returns, so a pair of adjacent ranks always exists.
  const pairRank = Math.min(rank, n - 2);
  const [lower, upper] = adjacentOrderStatistics(equity, pairRank, m);
  if (rank > pairRank) return { value: upper, lower: upper };
  return { value: weight === 0 ? lower : lerp(lower, upper, weight), lower };
}

/**
 * var95 = −q_0.05(r), cvar95 = −mean(r_t : r_t ≤ q_0.05(r)), as positive losses; both 0 without bars.
 * `m` are the returns' moments, for their range and sign counts.
 */
export function historicalVar(equity: Float64Array, m: ReturnMoments): { var95: number; cvar95: number } {
  const n = equity.length - 1;
  if (n === 0) return { var95: 0, cvar95: 0 };
  const q = returnsQuantile(equity, 0.05, m);
  // In exact arithmetic q ≥ its lower order statistic; taking the larger guards the ulp that the
  // interpolation can lose, so the tail below is never empty.
  const cut = Math.max(q.value, q.lower);
  // Branch-free, since flat bars put coin-flip runs of zeros right at a zero quantile. The tail holds
  // losses of one sign in all but degenerate runs, so a plain sum does not cancel.
  let tail = 0;
  let count = 0;
  for (let t = 1; t <= n; t++) {
    const r = barReturn(equity, t);
    const inTail = +(r <= cut);
    tail += r * inTail;
    count += inTail;
  }
  // 0 − x rather than −x so a zero quantile reports 0, not −0.
  return { var95: 0 - q.value, cvar95: 0 - tail / count };
}
