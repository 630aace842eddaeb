// Invariants of the metrics over random equity curves and trade lists (fast-check), and a guard that a
// million bars stay in linear time.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics, monthlyReturns, quantileLinear } from '../../../src/backtest/metrics.js';
import { barReturns, day, metricsInput, trade } from './metrics.fixture.js';

/** Positive equity: E_0 and a path of multiplicative steps, often exactly flat, sometimes repeated. */
const equityCurve = fc
  .tuple(
    fc.double({ min: 1, max: 1e6, noNaN: true }),
    fc.array(fc.oneof(fc.constant(1), fc.constant(1.01), fc.double({ min: 0.5, max: 1.5, noNaN: true })), {
      minLength: 1,
      maxLength: 300,
    }),
  )
  .map(([e0, steps]) => {
    const e = [e0];
    for (const s of steps) e.push(e[e.length - 1]! * s);
    return e;
  });

describe('metrics properties', () => {
  it('maxDrawdown lies in [0, 1) for positive equity', () => {
    fc.assert(
      fc.property(equityCurve, (e) => {
        const m = computeMetrics(metricsInput(e));
        expect(m.maxDrawdown).toBeGreaterThanOrEqual(0);
        expect(m.maxDrawdown).toBeLessThan(1);
      }),
    );
  });

  it('totalReturn is E_N / E_0 − 1', () => {
    fc.assert(
      fc.property(equityCurve, (e) => {
        const m = computeMetrics(metricsInput(e));
        const expected = e[e.length - 1]! / e[0]! - 1;
        expect(Math.abs(m.totalReturn - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
      }),
    );
  });

  it('var95 is minus numpy’s linear 5% quantile of the returns, and cvar95 ≥ var95', () => {
    fc.assert(
      fc.property(equityCurve, (e) => {
        const m = computeMetrics(metricsInput(e));
        const q = quantileLinear(Float64Array.from(barReturns(e)).sort(), 0.05);
        expect(m.var95).toBe(q === 0 ? 0 : -q);
        expect(m.cvar95).toBeGreaterThanOrEqual(m.var95 - 1e-15);
      }),
    );
  });

  it('drawdown duration and exposure stay within the run', () => {
    fc.assert(
      fc.property(equityCurve, fc.array(fc.boolean(), { maxLength: 300 }), (e, held) => {
        const n = e.length - 1;
        const inMarket = Array.from({ length: n }, (_, i) => (held[i] ? 1 : 0));
        const m = computeMetrics(metricsInput(e, { inMarket }));
        expect(m.maxDrawdownDuration).toBeGreaterThanOrEqual(1);
        expect(m.maxDrawdownDuration).toBeLessThanOrEqual(n);
        expect(m.maxDrawdownDays).toBeLessThanOrEqual(n);
        expect(m.exposure).toBeGreaterThanOrEqual(0);
        expect(m.exposure).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('scaling equity by a power of two leaves every return-based metric bit-identical', () => {
    fc.assert(
      fc.property(equityCurve, (e) => {
        const a = computeMetrics(metricsInput(e));
        const b = computeMetrics(metricsInput(e.map((x) => x * 4)));
        const keys = ['totalReturn', 'cagr', 'volatility', 'sharpe', 'sortino', 'maxDrawdown', 'var95', 'cvar95'] as const;
        for (const key of keys) expect(b[key]).toBe(a[key]);
        expect(b.maxDrawdownDuration).toBe(a.maxDrawdownDuration);
      }),
    );
  });

  it('monthly returns compound to the total return', () => {
    fc.assert(
      fc.property(equityCurve, fc.integer({ min: 1, max: 20 }), (e, stride) => {
        const times = Float64Array.from({ length: e.length - 1 }, (_, i) => day(i * stride));
        const growth = monthlyReturns(times, Float64Array.from(e)).reduce((g, r) => g * (1 + r.return), 1);
        const total = e[e.length - 1]! / e[0]!;
        expect(Math.abs(growth / total - 1)).toBeLessThan(1e-9);
      }),
    );
  });

  it('winRate lies in [0, 1] and the P&L sums agree with expectancy', () => {
    const pnl = fc.oneof(fc.constant(0), fc.double({ min: -1e4, max: 1e4, noNaN: true }));
    fc.assert(
      fc.property(fc.array(pnl, { maxLength: 60 }), (pnls) => {
        const m = computeMetrics(metricsInput([100, 100], { trades: pnls.map((p, i) => trade(p, i, i + 1)) }));
        expect(m.winRate).toBeGreaterThanOrEqual(0);
        expect(m.winRate).toBeLessThanOrEqual(1);
        expect(m.grossLoss).toBeLessThanOrEqual(0);
        expect(m.grossProfit).toBeGreaterThanOrEqual(0);
        expect(m.expectancy * m.tradeCount).toBeCloseTo(m.grossProfit + m.grossLoss, 6);
        expect(m.maxConsecutiveWins + m.maxConsecutiveLosses).toBeLessThanOrEqual(m.tradeCount);
      }),
    );
  });
});

describe('metrics on a million bars', () => {
  // Timing proper belongs in bench/ (endToEnd runs metrics on 1M bars). A quadratic slip at a million bars means
  // ~1e12 steps, hours of work: the generous test timeout catches it without a bound a loaded machine could break.
  it('run in linear time: a million bars finish well inside the test timeout', { timeout: 120_000 }, () => {
    const n = 1_000_000;
    const equity = new Float64Array(n + 1);
    const times = new Float64Array(n);
    const inMarket = new Uint8Array(n);
    const benchmark = new Float64Array(n);
    equity[0] = 1e5;
    let close = 100;
    for (let i = 0; i < n; i++) {
      // A deterministic wiggle: flat half the time, like a strategy out of the market.
      const u = Math.sin(i * 12.9898) * 0.5;
      inMarket[i] = u > 0 ? 1 : 0;
      equity[i + 1] = equity[i]! * (u > 0 ? 1 + (u - 0.25) * 0.002 : 1);
      close *= 1 + u * 0.001;
      benchmark[i] = close;
      times[i] = day(0) + i * 60_000;
    }
    const input = { ...metricsInput([0]), times, equity, inMarket, benchmark, periodsPerYear: 252 * 390 };
    const m = computeMetrics(input);
    expect(m.bars).toBe(n);
    expect(Number.isFinite(m.sharpe) && Number.isFinite(m.var95) && m.beta !== null).toBe(true);
  });
});
