// numpy-compatible linear quantiles, and the selection behind var95/cvar95 checked bit for bit against
// sorting, including the long runs of zero returns, ties and outliers that real equity curves have.

import { describe, expect, it } from 'vitest';
import { computeMetrics, quantileLinear } from '../../../src/backtest/metrics.js';
import { isPi5Error } from '../../../src/core/errors.js';
import { SeededRng } from '../../../src/core/rng.js';
import { barReturns, equityFrom, metricsInput } from './metrics.fixture.js';

describe('quantileLinear', () => {
  it('interpolates at virtual index (n − 1) × q like numpy.quantile', () => {
    // h = 3 × 0.05 = 0.15 → 1 + 0.15 × (2 − 1).
    expect(quantileLinear([1, 2, 3, 4], 0.05)).toBe(1.15);
    expect(quantileLinear([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileLinear([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileLinear([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileLinear([7], 0.05)).toBe(7);
    expect(quantileLinear(Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1), 0.33)).toBe(
      0.43000000000000005,
    );
  });

  it('interpolates from the nearer order statistic, matching numpy to the last bit', () => {
    // numpy.quantile([-0.12, 0.02, 0.04, 0.56], 0.95) = 0.4819999999999999; the naive
    // a + (b − a) × t would give 0.4819999999999998.
    expect(quantileLinear([-0.12, 0.02, 0.04, 0.56], 0.95)).toBe(0.4819999999999999);
  });

  it('rejects an empty array and q outside [0, 1] with PI5_ERR_INTERNAL', () => {
    for (const [xs, q] of [
      [[], 0.5],
      [[1], -0.1],
      [[1], 1.5],
      [[1], Number.NaN],
    ] as const) {
      let code: string | undefined;
      try {
        quantileLinear(xs, q);
      } catch (e) {
        code = isPi5Error(e) ? e.code : 'other';
      }
      expect(code).toBe('PI5_ERR_INTERNAL');
    }
  });
});

/** var95 and cvar95 by the definition: sort all returns, interpolate, average the tail. */
function referenceVar(equity: Float64Array): { var95: number; cvar95: number } {
  const r = barReturns(equity);
  const sorted = Float64Array.from(r).sort();
  const q = quantileLinear(sorted, 0.05);
  const tail = r.filter((x) => x <= q);
  return { var95: -q, cvar95: -tail.reduce((a, b) => a + b, 0) / tail.length };
}

function expectVarMatches(returns: ArrayLike<number>): void {
  const equity = equityFrom(returns);
  const m = computeMetrics(metricsInput(Array.from(equity)));
  const ref = referenceVar(equity);
  expect(m.var95).toBe(ref.var95 === 0 ? 0 : ref.var95);
  expect(m.cvar95).toBeCloseTo(ref.cvar95, 14);
}

/** n returns: a share of exact zeros, the rest drawn by `draw`, shuffled deterministically. */
function mixture(n: number, zeros: number, draw: (rng: SeededRng) => number, seed = 7): Float64Array {
  const rng = new SeededRng(seed);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = rng.next() < zeros ? 0 : draw(rng);
  return r;
}

describe('var95 and cvar95 on long series (histogram selection)', () => {
  // Enough returns of each sign to exceed the direct-selection size, so the histograms do the work.
  const N = 400_000;

  it('match sorting when most returns are zeros and the quantile is 0', () => {
    expectVarMatches(mixture(N, 0.97, (g) => (g.next() - 0.3) * 0.01));
  });

  it('match sorting for returns of both signs with flat bars among them', () => {
    expectVarMatches(mixture(N, 0.3, (g) => g.normal() * 0.01));
    expectVarMatches(mixture(N, 0, (g) => g.normal() * 0.01, 11));
  });

  it('match sorting when an outlier crowds the other returns into a few bins', () => {
    const r = mixture(N, 0.2, (g) => (g.next() - 0.5) * 1e-6);
    r[12_345] = -0.9;
    r[54_321] = 5;
    expectVarMatches(r);
  });

  it('match sorting when many returns repeat one non-zero value', () => {
    // Equity hopping between powers of two has exact returns (−0.875 … +7), each repeated many times;
    // between 50 and 100 only, all ~100 000 losses are exactly −0.5.
    for (const levels of [
      [50, 100, 200, 400, 100],
      [50, 100],
    ]) {
      const rng = new SeededRng(5);
      const equity = Array.from({ length: N + 1 }, () => levels[rng.int(0, levels.length - 1)]!);
      const m = computeMetrics(metricsInput(equity));
      const ref = referenceVar(Float64Array.from(equity));
      expect(m.var95).toBe(ref.var95);
      expect(m.cvar95).toBeCloseTo(ref.cvar95, 14);
    }
  });

  // N = 100 002: h = 0.05 × 100 001 = 5000.05, so the quantile interpolates between ranks 5000 and 5001.
  const M = 100_002;
  const block = (negatives: number, zeros: number): Float64Array => {
    const rng = new SeededRng(3);
    const r = new Float64Array(M);
    for (let i = 0; i < M; i++) {
      r[i] = i < negatives ? -0.001 - rng.next() * 0.01 : i < negatives + zeros ? 0 : 0.001 + rng.next() * 0.01;
    }
    // Interleave so signs are not sorted in time.
    for (let i = M - 1; i > 0; i--) {
      const j = rng.int(0, i);
      const t = r[i]!;
      r[i] = r[j]!;
      r[j] = t;
    }
    return r;
  };

  it('match sorting when the two ranks straddle the last negative and the first zero', () => {
    expectVarMatches(block(5001, 40_000));
  });

  it('match sorting when the two ranks straddle the last negative and the first positive', () => {
    expectVarMatches(block(5001, 0));
  });

  it('match sorting when the two ranks straddle the last zero and the first positive', () => {
    expectVarMatches(block(4000, 1001));
  });

  it('match sorting when both ranks fall among the zeros', () => {
    expectVarMatches(block(100, 60_000));
  });
});
