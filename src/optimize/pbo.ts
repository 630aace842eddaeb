// Probability of backtest overfitting by combinatorially symmetric cross-validation (Bailey, Borwein,
// López de Prado and Zhu, "The Probability of Backtest Overfitting", 2015). The bar returns of N trials are
// cut into S equal blocks; for every way of choosing S/2 blocks as in-sample (the rest out-of-sample) the
// trial best in-sample is ranked out-of-sample. PBO is the share of splits where it lands at or below the
// median (logit λ ≤ 0): how often picking the in-sample best picks a below-median trial.

import { Pi5Error } from '../core/errors.js';

export interface PboInput {
  /** One return series per trial, all the same length (bar returns of the same bars). */
  readonly returns: readonly Float64Array[];
  /** Number of blocks S: even, 2 to 20 (the paper uses 16; C(20, 10) splits is the most enumerated). */
  readonly blocks: number;
}

export interface PboSplit {
  /** The in-sample block indexes. */
  readonly inSample: readonly number[];
  /** The trial (index into `returns`) best in-sample. */
  readonly best: number;
  readonly isPerformance: number;
  readonly oosPerformance: number;
  /** Relative out-of-sample rank of the in-sample best, rank / (N + 1), ties averaged. */
  readonly omega: number;
  readonly logit: number;
}

export interface PboResult {
  readonly pbo: number;
  readonly blocks: number;
  readonly trials: number;
  readonly splits: readonly PboSplit[];
  /** Share of splits whose in-sample best lost money (mean return < 0) out of sample. */
  readonly probabilityOfLoss: number;
  /** Least-squares slope of out-of-sample on in-sample performance of the chosen trials (< 0: degradation). */
  readonly degradationSlope: number;
}

/**
 * Count, sum and sum of squares of every trial's returns in each block (trial t's block b at t × blocks + b):
 * a split then adds blocks, not bars. Flat arrays, and each split's results written into reused ones: a split
 * allocates nothing per trial (a walk-forward runs C(16, 8) splits for every window).
 */
interface BlockStats {
  readonly blocks: number;
  readonly n: Float64Array;
  readonly sum: Float64Array;
  readonly sq: Float64Array;
}

function blockStats(returns: readonly Float64Array[], blocks: number, size: number): BlockStats {
  const cells = returns.length * blocks;
  const st = { blocks, n: new Float64Array(cells), sum: new Float64Array(cells), sq: new Float64Array(cells) };
  returns.forEach((r, t) => {
    for (let b = 0; b < blocks; b++) {
      let sum = 0;
      let sq = 0;
      for (let i = b * size; i < (b + 1) * size; i++) {
        const x = r[i] as number;
        sum += x;
        sq += x * x;
      }
      st.sum[t * blocks + b] = sum;
      st.sq[t * blocks + b] = sq;
      st.n[t * blocks + b] = size;
    }
  });
  return st;
}

/** Trial t's Sharpe ratio over the given blocks (per bar, not annualized: ranks are all that count) into sharpe[t], its mean into mean[t]. */
function perfOf(st: BlockStats, t: number, which: readonly number[], sharpe: Float64Array, mean: Float64Array): void {
  let n = 0;
  let sum = 0;
  let sq = 0;
  const at = t * st.blocks;
  for (const b of which) {
    n += st.n[at + b] as number;
    sum += st.sum[at + b] as number;
    sq += st.sq[at + b] as number;
  }
  const m = sum / n;
  const sd = Math.sqrt(Math.max(0, (sq - n * m * m) / (n - 1)));
  // A flat series has no risk: its sign is all that ranks it (0 for no trading at all).
  sharpe[t] = sd <= 1e-15 * Math.abs(m) || sd === 0 ? (m === 0 ? 0 : m > 0 ? Infinity : -Infinity) : m / sd;
  mean[t] = m;
}

/** Every k-subset of 0..n-1, in lexicographic order. */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick: number[] = [];
  const walk = (start: number): void => {
    if (pick.length === k) {
      out.push([...pick]);
      return;
    }
    for (let i = start; i <= n - (k - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}

/** 1-based rank of values[i] among values, ascending, ties given their average rank. */
function averageRank(values: Float64Array, i: number): number {
  const v = values[i] as number;
  let below = 0;
  let equal = 0;
  for (let j = 0; j < values.length; j++) {
    const x = values[j] as number;
    if (x < v) below++;
    else if (x === v) equal++;
  }
  return below + (equal + 1) / 2;
}

export function probabilityOfBacktestOverfitting(input: PboInput): PboResult {
  const { returns, blocks } = input;
  const n = returns.length;
  if (!Number.isInteger(blocks) || blocks < 2 || blocks % 2 !== 0 || blocks > 20) throw new Pi5Error('PI5_ERR_BAD_USAGE', `PBO: blocks must be an even whole number from 2 to 20, got ${blocks}`);
  if (n < 2) throw new Pi5Error('PI5_ERR_BAD_USAGE', `PBO: needs at least 2 trials, got ${n}`);
  const length = (returns[0] as Float64Array).length;
  if (returns.some((r) => r.length !== length)) throw new Pi5Error('PI5_ERR_BAD_USAGE', 'PBO: every trial needs returns over the same bars');
  if (length < blocks * 2) throw new Pi5Error('PI5_ERR_BAD_USAGE', `PBO: ${length} returns are too few for ${blocks} blocks`);
  // Blocks of equal size; the remainder of the division is left out so every block weighs the same.
  const size = Math.floor(length / blocks);
  const stats = blockStats(returns, blocks, size);
  const splits: PboSplit[] = [];
  let losses = 0;
  const all = Array.from({ length: blocks }, (_, b) => b);
  const [isPerf, isMean, oosPerf, oosMean] = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (const inSample of combinations(blocks, blocks / 2)) {
    const outOfSample = all.filter((b) => !inSample.includes(b));
    for (let t = 0; t < n; t++) {
      perfOf(stats, t, inSample, isPerf, isMean);
      perfOf(stats, t, outOfSample, oosPerf, oosMean);
    }
    let best = 0;
    for (let i = 1; i < n; i++) if ((isPerf[i] as number) > (isPerf[best] as number)) best = i;
    const omega = averageRank(oosPerf, best) / (n + 1);
    if ((oosMean[best] as number) < 0) losses++;
    splits.push({ inSample, best, isPerformance: isPerf[best] as number, oosPerformance: oosPerf[best] as number, omega, logit: Math.log(omega / (1 - omega)) });
  }
  return {
    pbo: splits.filter((s) => s.logit <= 0).length / splits.length,
    blocks,
    trials: n,
    splits,
    probabilityOfLoss: losses / splits.length,
    degradationSlope: slope(splits.map((s) => s.isPerformance), splits.map((s) => s.oosPerformance)),
  };
}

function slope(x: readonly number[], y: readonly number[]): number {
  const pts = x.map((xi, i) => [xi, y[i] as number] as const).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (pts.length < 2) return NaN;
  const mx = pts.reduce((s, [a]) => s + a, 0) / pts.length;
  const my = pts.reduce((s, [, b]) => s + b, 0) / pts.length;
  let num = 0;
  let den = 0;
  for (const [a, b] of pts) {
    num += (a - mx) * (b - my);
    den += (a - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}
