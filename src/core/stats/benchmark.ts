// Relative metrics against a benchmark: beta, alpha, tracking error and information ratio, from the
// strategy's and the benchmark's bar returns over the bars where both are defined.

import { CompensatedSum, barReturn, correctedCovariance } from './numeric.js';

export interface BenchmarkStats {
  readonly beta: number | null;
  readonly alpha: number | null;
  readonly trackingError: number | null;
  readonly informationRatio: number | null;
}

export const NO_BENCHMARK: BenchmarkStats = { beta: null, alpha: null, trackingError: null, informationRatio: null };

/** b_t for pair i (t = i + 2): the benchmark return from closes[i] to closes[i + 1]. */
function benchReturn(closes: Float64Array, i: number): number {
  const prev = closes[i] as number;
  return ((closes[i + 1] as number) - prev) / prev;
}

interface PairMeans {
  readonly r: number;
  readonly b: number;
  readonly active: number;
}

function pairMeans(equity: Float64Array, closes: Float64Array, pairs: number): PairMeans {
  const sr = new CompensatedSum();
  const sb = new CompensatedSum();
  const sa = new CompensatedSum();
  for (let i = 0; i < pairs; i++) {
    const ri = barReturn(equity, i + 2);
    const bi = benchReturn(closes, i);
    sr.add(ri);
    sb.add(bi);
    sa.add(ri - bi);
  }
  return { r: sr.value / pairs, b: sb.value / pairs, active: sa.value / pairs };
}

/**
 * `closes` are B_1..B_N, the benchmark's closes at the bars of E_1..E_N. There is no benchmark close
 * for E_0, so b_1 is undefined and both series are paired over t = 2..N: b_t = B_t / B_{t−1} − 1 with
 * r_t. Every mean and (co)variance here, including mean(r) inside alpha, is over those N − 1 pairs.
 * All null with fewer than two pairs; beta and alpha null when the benchmark is flat (var(b) = 0);
 * informationRatio null when tracking error is 0. Both series' returns are recomputed in each of the
 * two passes instead of being stored, so a million-bar run allocates nothing here.
 */
export function benchmarkStats(equity: Float64Array, closes: Float64Array, periodsPerYear: number): BenchmarkStats {
  const pairs = equity.length - 2;
  if (pairs < 2) return NO_BENCHMARK;
  const mean = pairMeans(equity, closes, pairs);
  const b0 = benchReturn(closes, 0);
  const a0 = barReturn(equity, 2) - b0;
  let benchFlat = true;
  let activeFlat = true;
  const rb = new CompensatedSum();
  let bb = 0;
  let aa = 0;
  let sdr = 0;
  let sdb = 0;
  let sda = 0;
  for (let i = 0; i < pairs; i++) {
    const ri = barReturn(equity, i + 2);
    const bi = benchReturn(closes, i);
    const ai = ri - bi;
    if (bi !== b0) benchFlat = false;
    if (ai !== a0) activeFlat = false;
    const dr = ri - mean.r;
    const db = bi - mean.b;
    const da = ai - mean.active;
    sdr += dr;
    sdb += db;
    sda += da;
    // Squares never cancel, so only the cross products need compensation.
    rb.add(dr * db);
    bb += db * db;
    aa += da * da;
  }
  const varB = benchFlat ? 0 : Math.max(0, correctedCovariance(bb, sdb, sdb, pairs));
  const beta = varB === 0 ? null : correctedCovariance(rb.value, sdr, sdb, pairs) / varB;
  const sdActive = activeFlat ? 0 : Math.sqrt(Math.max(0, correctedCovariance(aa, sda, sda, pairs)));
  const rootA = Math.sqrt(periodsPerYear);
  return {
    beta,
    alpha: beta === null ? null : (mean.r - beta * mean.b) * periodsPerYear,
    trackingError: sdActive * rootA,
    informationRatio: sdActive === 0 ? null : (mean.active / sdActive) * rootA,
  };
}
