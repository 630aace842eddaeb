// Hand-checked return, risk, drawdown, benchmark and exposure metrics on series small enough to work out
// on paper (METRICS.md). Trade statistics, quantiles, monthly returns and properties have their own files.

import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../src/backtest/metrics.js';
import { isPi5Error } from '../../../src/core/errors.js';
import { metricsInput } from './metrics.fixture.js';

/**
 * E_0..E_5 = 100, 110, 99, 118.8, 106.92, 128.304, so r = +10%, −10%, +20%, −10%, +20%.
 * E_1..E_5 are on days 0, 1, 2, 7, 11 (Jan 1, 2, 3, 8, 12 2024). A = 4 so √A = 2.
 */
const E = [100, 110, 99, 118.8, 106.92, 128.304];
const DAYS = [0, 1, 2, 7, 11];
const base = { days: DAYS, periodsPerYear: 4 };

describe('computeMetrics: returns and risk', () => {
  const m = computeMetrics(metricsInput(E, base));

  it('reports start, final and net equity and the bar count', () => {
    expect(m.startEquity).toBe(100);
    expect(m.finalEquity).toBe(128.304);
    expect(m.netProfit).toBeCloseTo(28.304, 12);
    expect(m.bars).toBe(5);
    expect(m.periodsPerYear).toBe(4);
  });

  it('totalReturn is E_N / E_0 − 1', () => {
    expect(m.totalReturn).toBeCloseTo(0.28304, 14);
  });

  it('cagr measures years from the first bar to the last, not from E_0', () => {
    // Y = (Jan 12 − Jan 1) / 365.25 = 11 / 365.25; cagr = 1.28304^(365.25 / 11) − 1.
    expect(m.cagr).toBeCloseTo(Math.pow(1.28304, 365.25 / 11) - 1, 6);
  });

  it('volatility is the sample stdev (n − 1) of bar returns times √A', () => {
    // mean = 0.3 / 5 = 0.06; deviations 0.04, −0.16, 0.14, −0.16, 0.14;
    // Σ squares = 0.0016 + 0.0256 + 0.0196 + 0.0256 + 0.0196 = 0.092; var = 0.092 / 4 = 0.023.
    expect(m.volatility).toBeCloseTo(Math.sqrt(0.023) * 2, 12);
  });

  it('sharpe is mean / stdev × √A with no risk-free rate', () => {
    // 0.06 / √0.023 × 2 = 0.7912565680749…
    expect(m.sharpe).toBeCloseTo(0.7912565680749445, 12);
  });

  it('sortino divides by the downside deviation over all N returns, gains counting as zero', () => {
    // min(r, 0)² = 0, 0.01, 0, 0.01, 0 → mean over 5 = 0.004; DD = √0.004; 0.06 / √0.004 × 2 = 1.8973…
    expect(m.sortino).toBeCloseTo(1.897366596101028, 12);
  });

  it('subtracts rf / A per bar in sharpe and sortino', () => {
    // rf = 0.2 a year, A = 4 → 0.05 a bar; excess = 0.05, −0.15, 0.15, −0.15, 0.15, mean 0.01.
    // sharpe = 0.01 / √0.023 × 2 = 0.13187…; DD = √((0.0225 + 0.0225) / 5) = √0.009; sortino = 0.01 / √0.009 × 2.
    const rf = computeMetrics(metricsInput(E, { ...base, riskFreeRate: 0.2 }));
    expect(rf.sharpe).toBeCloseTo(0.1318760946791574, 12);
    expect(rf.sortino).toBeCloseTo(0.21081851067789198, 12);
    expect(rf.volatility).toBeCloseTo(m.volatility, 15);
  });

  it('maxDrawdown is the deepest fall from the running peak, as a positive fraction', () => {
    // 110 → 99 is 11 / 110 = 10%; 118.8 → 106.92 is 11.88 / 118.8 = 10%.
    expect(m.maxDrawdown).toBeCloseTo(0.1, 14);
  });

  it('maxDrawdownDuration is the longest peak-to-new-high span in bars; days break ties', () => {
    // Peaks at indices 0, 1, 3, 5: spans 0→1 (1 bar), 1→3 (2 bars, Jan 1 → Jan 3 = 2 days),
    // 3→5 (2 bars, Jan 3 → Jan 12 = 9 days), 5→5 (0). Longest: 2 bars; of the tied spans, 9 days.
    expect(m.maxDrawdownDuration).toBe(2);
    expect(m.maxDrawdownDays).toBe(9);
  });

  it('calmar is cagr / maxDrawdown', () => {
    expect(m.calmar).toBeCloseTo(m.cagr / 0.1, 6);
  });

  it('var95 and cvar95 use the 5% quantile of all returns, linearly interpolated', () => {
    // Sorted r = −0.1, −0.1, 0.1, 0.2, 0.2; h = 4 × 0.05 = 0.2 between two −0.1s → q = −0.1.
    expect(m.var95).toBeCloseTo(0.1, 14);
    expect(m.cvar95).toBeCloseTo(0.1, 14);
  });

  it('interpolates var95 between order statistics and averages cvar95 over returns at or below it', () => {
    // E = 100, 80, 72, 79.2, 95.04, 95.04: r = −0.2, −0.1, +0.1, +0.2, 0; sorted −0.2, −0.1, 0, 0.1, 0.2.
    // q = −0.2 + 0.2 × (−0.1 − (−0.2)) = −0.18 → var95 0.18; only −0.2 ≤ −0.18 → cvar95 0.2.
    const v = computeMetrics(metricsInput([100, 80, 72, 79.2, 95.04, 95.04]));
    expect(v.var95).toBeCloseTo(0.18, 14);
    expect(v.cvar95).toBeCloseTo(0.2, 14);
  });
});

describe('computeMetrics: cagr', () => {
  it('is the annual rate that compounds E_0 into E_N over Y years of bar times', () => {
    // E_1 on day 0, E_2 on day 730.5: Y = 2; 121 / 100 = 1.1² → 10%.
    const m = computeMetrics(metricsInput([100, 110, 121], { days: [0, 730.5] }));
    expect(m.cagr).toBeCloseTo(0.1, 14);
    // calmar: maxDrawdown is 0 on a rising curve.
    expect(m.calmar).toBeNull();
  });

  it('is −1 when the account ends with nothing', () => {
    expect(computeMetrics(metricsInput([100, 50, 0])).cagr).toBe(-1);
  });

  it('is 0 when all bars share one time (Y = 0)', () => {
    expect(computeMetrics(metricsInput([100, 110])).cagr).toBe(0);
    expect(computeMetrics(metricsInput([100, 110, 120], { days: [3, 3] })).cagr).toBe(0);
  });
});

describe('computeMetrics: drawdown edge cases', () => {
  it('runs an unrecovered drawdown to the last bar', () => {
    // Peak 120 at index 1 is never exceeded: span 1 → 4 = 3 bars; deepest 90 / 120 → 25%.
    const m = computeMetrics(metricsInput([100, 120, 90, 100, 110]));
    expect(m.maxDrawdown).toBeCloseTo(0.25, 15);
    expect(m.maxDrawdownDuration).toBe(3);
    // E_1 on day 0, E_4 on day 3.
    expect(m.maxDrawdownDays).toBe(3);
  });

  it('does not count a return exactly to the old peak as recovery', () => {
    // 120 at index 3 only equals the peak; 130 at index 4 is the first bar strictly above: 4 − 1 = 3.
    expect(computeMetrics(metricsInput([100, 120, 90, 120, 130])).maxDrawdownDuration).toBe(3);
    // Without a later high the span runs to the last bar: 3 − 1 = 2.
    expect(computeMetrics(metricsInput([100, 120, 90, 120])).maxDrawdownDuration).toBe(2);
  });

  it('gives a curve making a new high every bar a duration of 1 and no drawdown', () => {
    const m = computeMetrics(metricsInput([100, 101, 102, 103]));
    expect(m.maxDrawdown).toBe(0);
    expect(m.maxDrawdownDuration).toBe(1);
    expect(m.calmar).toBeNull();
  });

  it('dates E_0 at the first bar, so a span from E_0 counts days from that bar', () => {
    // Peak E_0 = 100 never exceeded: span 0 → 3 = 3 bars; E_0 and E_1 both on day 10, E_3 on day 15.
    const m = computeMetrics(metricsInput([100, 90, 95, 99], { days: [10, 12, 15] }));
    expect(m.maxDrawdownDuration).toBe(3);
    expect(m.maxDrawdownDays).toBe(5);
  });
});

describe('computeMetrics: flat and degenerate curves', () => {
  it('reports zeros, a null calmar and a drawdown span over the whole run for flat equity', () => {
    const m = computeMetrics(metricsInput([100, 100, 100, 100]));
    expect(m.totalReturn).toBe(0);
    expect(m.cagr).toBe(0);
    expect(m.volatility).toBe(0);
    expect(m.sharpe).toBe(0);
    expect(m.sortino).toBeNull();
    expect(m.maxDrawdown).toBe(0);
    expect(m.calmar).toBeNull();
    // The peak E_0 is never exceeded, so the span runs 0 → 3; E_0 and E_1 are on day 0, E_3 on day 2.
    expect(m.maxDrawdownDuration).toBe(3);
    expect(m.maxDrawdownDays).toBe(2);
    expect(m.var95).toBe(0);
    expect(m.cvar95).toBe(0);
    expect(m.netProfit).toBe(0);
  });

  it('gives sharpe 0 when every return is the same (stdev 0), and no sortino without downside', () => {
    // r = 10 / 100 and 11 / 110: both round to the same 0.1.
    const m = computeMetrics(metricsInput([100, 110, 121]));
    expect(m.volatility).toBe(0);
    expect(m.sharpe).toBe(0);
    expect(m.sortino).toBeNull();
  });

  it('has no volatility with a single return but still reports its VaR', () => {
    const m = computeMetrics(metricsInput([100, 105]));
    expect(m.volatility).toBe(0);
    expect(m.sharpe).toBe(0);
    // The 5% quantile of one return (+5%) is that return: var95 = −0.05, a gain.
    expect(m.var95).toBeCloseTo(-0.05, 15);
    expect(m.cvar95).toBeCloseTo(-0.05, 15);
  });

  it('handles a run without bars', () => {
    const m = computeMetrics(metricsInput([100]));
    expect(m).toMatchObject({
      bars: 0,
      totalReturn: 0,
      cagr: 0,
      volatility: 0,
      sharpe: 0,
      sortino: null,
      maxDrawdown: 0,
      maxDrawdownDuration: 0,
      maxDrawdownDays: 0,
      calmar: null,
      var95: 0,
      cvar95: 0,
      exposure: 0,
      turnover: 0,
      beta: null,
    });
  });
});

describe('computeMetrics: benchmark', () => {
  // Benchmark closes B_1..B_5 = 50, 55, 49.5, 54.45, 49.005: b_2..b_5 = +10%, −10%, +10%, −10%.
  // Paired with r_2..r_5 = −0.1, +0.2, −0.1, +0.2 (b_1 has no previous close, so t = 1 is left out).
  const B = [50, 55, 49.5, 54.45, 49.005];

  it('computes beta from the sample covariance and alpha annualised by A', () => {
    // mean r = 0.05, mean b = 0; cov = Σ (r − 0.05) b / 3 = 4 × (−0.015) / 3 = −0.02;
    // var b = 4 × 0.01 / 3; beta = −0.02 / (0.04 / 3) = −1.5; alpha = (0.05 − (−1.5) × 0) × 4 = 0.2.
    const m = computeMetrics(metricsInput(E, { ...base, benchmark: B }));
    expect(m.beta).toBeCloseTo(-1.5, 12);
    expect(m.alpha).toBeCloseTo(0.2, 12);
  });

  it('computes tracking error and information ratio from the active returns r − b', () => {
    // r − b = −0.2, 0.3, −0.2, 0.3: mean 0.05, deviations ±0.25, var = 0.25 / 3 → sd = √(1/12).
    // TE = √(1/12) × 2 = 0.57735…; IR = 0.05 / √(1/12) × 2 = 0.34641…
    const m = computeMetrics(metricsInput(E, { ...base, benchmark: B }));
    expect(m.trackingError).toBeCloseTo(0.5773502691896257, 12);
    expect(m.informationRatio).toBeCloseTo(0.3464101615137755, 12);
  });

  it('reports null without a benchmark or with fewer than two return pairs', () => {
    const none = computeMetrics(metricsInput(E, base));
    expect([none.beta, none.alpha, none.trackingError, none.informationRatio]).toEqual([null, null, null, null]);
    const short = computeMetrics(metricsInput([100, 110, 99], { benchmark: [50, 55] }));
    expect([short.beta, short.alpha, short.trackingError, short.informationRatio]).toEqual([null, null, null, null]);
  });

  it('reports null beta and alpha against a flat benchmark, whose variance is 0', () => {
    // b = 0 throughout, so r − b = r_2..r_5 = −0.1, 0.2, −0.1, 0.2: mean 0.05, var = 4 × 0.0225 / 3 = 0.03.
    const m = computeMetrics(metricsInput(E, { ...base, benchmark: [50, 50, 50, 50, 50] }));
    expect(m.beta).toBeNull();
    expect(m.alpha).toBeNull();
    expect(m.trackingError).toBeCloseTo(Math.sqrt(0.03) * 2, 12);
    expect(m.informationRatio).toBeCloseTo((0.05 / Math.sqrt(0.03)) * 2, 12);
  });

  it('reports a null information ratio when the strategy tracks the benchmark exactly', () => {
    // r_2 = −110 / 1100, r_3 = 99 / 990; b_2 = −10 / 100, b_3 = 9 / 90: the same −0.1 and +0.1.
    const m = computeMetrics(metricsInput([1000, 1100, 990, 1089], { benchmark: [100, 90, 99] }));
    expect(m.beta).toBe(1);
    expect(m.alpha).toBe(0);
    expect(m.trackingError).toBe(0);
    expect(m.informationRatio).toBeNull();
  });
});

describe('computeMetrics: exposure, turnover and costs', () => {
  it('exposure is the share of bars in the market at the close', () => {
    const m = computeMetrics(metricsInput(E, { ...base, inMarket: [1, 1, 0, 1, 0] }));
    expect(m.exposure).toBeCloseTo(0.6, 15);
  });

  it('turnover divides traded notional by the mean of E_0..E_N', () => {
    // mean E = 663.024 / 6 = 110.504; 1000 / 110.504 = 9.0494552…
    const m = computeMetrics(metricsInput(E, { ...base, tradedNotional: 1000 }));
    expect(m.turnover).toBeCloseTo(1000 / 110.504, 12);
  });

  it('passes commissions and slippage through', () => {
    const m = computeMetrics(metricsInput(E, { ...base, commissions: 12.5, slippage: 3.25 }));
    expect(m.commissions).toBe(12.5);
    expect(m.slippage).toBe(3.25);
  });
});

describe('computeMetrics: input checks', () => {
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return isPi5Error(e) ? e.code : 'not a Pi5Error';
    }
    return undefined;
  };

  it('rejects arrays whose lengths disagree with PI5_ERR_INTERNAL', () => {
    const good = metricsInput(E, base);
    expect(codeOf(() => computeMetrics({ ...good, equity: good.equity.subarray(1) }))).toBe('PI5_ERR_INTERNAL');
    expect(codeOf(() => computeMetrics({ ...good, inMarket: new Uint8Array(2) }))).toBe('PI5_ERR_INTERNAL');
    expect(codeOf(() => computeMetrics({ ...good, benchmark: new Float64Array(3) }))).toBe('PI5_ERR_INTERNAL');
    expect(codeOf(() => computeMetrics({ ...good, periodsPerYear: 0 }))).toBe('PI5_ERR_INTERNAL');
  });
});
