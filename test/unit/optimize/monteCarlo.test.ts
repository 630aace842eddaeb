// Monte Carlo of a backtest's trades and returns: reproducible from the seed, shuffling keeps the final P&L
// and only moves the drawdown, the trade bootstrap matches its binomial closed form, and block resampling of
// a constant return compounds exactly.

import { describe, expect, it } from 'vitest';
import { monteCarlo, parseMonteCarloMethod, type MonteCarloInput } from '../../../src/optimize/monteCarlo.js';
import { expectCode } from '../../helpers/errors.js';

const base: MonteCarloInput = { method: 'shuffle', cash: 10_000, tradePnl: [], returns: [], simulations: 2000, seed: 1, ruinDrawdown: 0.5, target: 0.2 };

describe('Monte Carlo robustness', () => {
  it('shuffling trades keeps the final return of every history and spreads the drawdown up to the worst order', () => {
    const tradePnl = [500, -300, 800, -1200, 400, -200, 900, -700, 300, 600];
    const r = monteCarlo({ ...base, tradePnl });
    const total = tradePnl.reduce((a, b) => a + b, 0) / 10_000;
    expect(r.original.totalReturn).toBeCloseTo(total, 12);
    for (const x of r.samples.totalReturn) expect(x).toBeCloseTo(total, 12);
    // Worst order: every loss first, from the starting peak of 10,000.
    const worst = 2400 / 10_000;
    expect(r.maxDrawdown.max).toBeLessThanOrEqual(worst + 1e-12);
    expect(r.maxDrawdown.min).toBeGreaterThan(0);
    expect(r.maxDrawdown.p5).toBeLessThanOrEqual(r.maxDrawdown.median);
    expect(r.maxDrawdown.median).toBeLessThanOrEqual(r.maxDrawdown.p95);
    expect(r.probabilityOfProfit).toBe(1);
  });

  it('is reproducible from its seed and differs with another seed', () => {
    const tradePnl = [500, -300, 800, -1200, 400, -200, 900, -700];
    const a = monteCarlo({ ...base, method: 'bootstrap', tradePnl, seed: 7 });
    const b = monteCarlo({ ...base, method: 'bootstrap', tradePnl, seed: 7 });
    const c = monteCarlo({ ...base, method: 'bootstrap', tradePnl, seed: 8 });
    expect(a.samples.totalReturn).toEqual(b.samples.totalReturn);
    expect(a.samples.maxDrawdown).toEqual(b.samples.maxDrawdown);
    expect(c.samples.totalReturn).not.toEqual(a.samples.totalReturn);
  });

  it('bootstraps trades as the binomial closed form says: ±100 trades, 10 draws', () => {
    const tradePnl = [100, 100, 100, 100, 100, -100, -100, -100, -100, -100];
    const sims = 40_000;
    const r = monteCarlo({ ...base, method: 'bootstrap', tradePnl, simulations: sims, target: 0.04 });
    // Final P&L = 100 (2K − 10), K ~ Binomial(10, 1/2): P(profit) = P(K ≥ 6) = 386/1024, P(P&L ≥ 400) = P(K ≥ 7) = 176/1024.
    const within = (p: number, got: number): void => expect(Math.abs(got - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / sims));
    within(386 / 1024, r.probabilityOfProfit);
    within(176 / 1024, r.probabilityOfTarget);
    // Mean 0, standard deviation 100 √10 / 10,000 of the return.
    expect(Math.abs(r.totalReturn.mean)).toBeLessThan((4.5 * (100 * Math.sqrt(10))) / 10_000 / Math.sqrt(sims));
    expect(r.totalReturn.min).toBeGreaterThanOrEqual(-0.1 - 1e-12);
    expect(r.totalReturn.max).toBeLessThanOrEqual(0.1 + 1e-12);
  });

  it('counts ruin when the drawdown reaches the threshold', () => {
    const r = monteCarlo({ ...base, method: 'bootstrap', cash: 1000, tradePnl: [-600, -600], ruinDrawdown: 0.5 });
    expect(r.probabilityOfRuin).toBe(1);
    const safe = monteCarlo({ ...base, method: 'shuffle', cash: 1000, tradePnl: [-100, 50], ruinDrawdown: 0.5 });
    expect(safe.probabilityOfRuin).toBe(0);
  });

  it('block-resamples returns: a constant return compounds exactly in every history', () => {
    const returns = Array.from({ length: 250 }, () => 0.001);
    const r = monteCarlo({ ...base, method: 'block', returns, simulations: 50 });
    expect(r.blockLength).toBe(6);
    for (const x of r.samples.totalReturn) expect(x).toBeCloseTo(1.001 ** 250 - 1, 10);
    expect(r.maxDrawdown.max).toBe(0);
  });

  it('names what is wrong with its input', () => {
    expect(expectCode(() => monteCarlo({ ...base, tradePnl: [] }), 'PI5_ERR_BAD_USAGE').message).toMatch(/no closed trades/);
    expect(expectCode(() => monteCarlo({ ...base, tradePnl: [1], simulations: 0 }), 'PI5_ERR_BAD_USAGE').message).toMatch(/simulations 0/);
    expect(expectCode(() => monteCarlo({ ...base, method: 'block', returns: [0.1], blockLength: 0 }), 'PI5_ERR_BAD_USAGE').message).toMatch(/block length/);
    expect(expectCode(() => parseMonteCarloMethod('permute'), 'PI5_ERR_BAD_USAGE').message).toMatch(/shuffle, bootstrap, block/);
  });
});
