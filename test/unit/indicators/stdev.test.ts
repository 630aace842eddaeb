// RollingStdev and Bollinger Bands: hand-checked values, exact zero on flat windows, no drift, and agreement
// with exact and float from-scratch recomputations.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BollingerBands, RollingStdev, SMA } from '../../../src/indicators/index.js';
import { expectClose, maxAbs, period, pricePath, prices, walk } from './helpers.js';
import { naiveSma, naiveStdevExact, naiveStdevFloat } from './naive.js';

const kinds = fc.constantFrom('sample' as const, 'population' as const);
const kTimes10 = fc.integer({ min: 0, max: 30 });

describe('RollingStdev', () => {
  it('computes sample and population deviations (hand-checked)', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 9+1+1+1+0+0+4+16 = 32
    // population σ = √(32/8) = 2 exactly; sample s = √(32/7) ≈ 2.13809
    const pop = new RollingStdev(8, 'population');
    const sample = new RollingStdev(8);
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) {
      pop.update(x);
      sample.update(x);
    }
    expect(pop.value).toBe(2);
    expect(pop.mean).toBe(5);
    expect(sample.value).toBe(Math.sqrt(32 / 7));
    // The window slides: 4, 4, 4, 5, 5, 7, 9, 10 → mean 6, Σ(x − 6)² = 4+4+4+1+1+1+9+16 = 40 → σ = √5
    pop.update(10);
    expect(pop.value).toBe(Math.sqrt(5));
  });

  it('is exactly 0 on a flat window, even right after a volatile one', () => {
    const s = new RollingStdev(5, 'population');
    for (const x of walk(3, 10_000, 50_000)) s.update(x);
    expect(s.value).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) s.update(123.45);
    expect(s.value).toBeGreaterThan(0);
    s.update(123.45);
    expect(s.value).toBe(0);
  });

  it('does not drift: after a million updates it equals a fresh instance on the same window', () => {
    const xs = walk(11, 1_000_000, 20_000);
    const long = new RollingStdev(30);
    for (const x of xs) long.update(x);
    const fresh = new RollingStdev(30);
    for (const x of xs.slice(-30)) fresh.update(x);
    expect(long.value).toBe(fresh.value);
    expect(long.mean).toBe(fresh.mean);
  });

  it('matches the exact BigInt recomputation within 1e-12 relative (property)', () => {
    fc.assert(
      fc.property(fc.oneof(prices(1, 200), pricePath(1, 300)), period(2, 50), kinds, (xs, p, kind) => {
        const s = new RollingStdev(p, kind);
        const want = naiveStdevExact(xs, p, kind);
        const mean = naiveSma(xs, p);
        xs.forEach((x, i) => {
          expectClose(s.update(x), want[i]!, 0, 1e-12);
          expect(s.mean).toEqual(mean[i]);
        });
      }),
    );
  });

  it('matches the two-pass float formula within 1e-9 relative on price paths (property)', () => {
    fc.assert(
      fc.property(pricePath(1, 300), period(2, 50), kinds, (xs, p, kind) => {
        const s = new RollingStdev(p, kind);
        const want = naiveStdevFloat(xs, p, kind);
        // The float formula itself loses ~1e-16 of the price level, so compare at that scale too.
        const scale = maxAbs(xs) * 1e-6;
        xs.forEach((x, i) => expectClose(s.update(x), want[i]!, scale));
      }),
    );
  });

  it('takes more decimals for non-price series such as returns', () => {
    const returns = [0.0001234567891, -0.0002345678912, 0.0000123456789, 0.0003456789123];
    const s = new RollingStdev(4, 'population', 13);
    returns.forEach((r) => s.update(r));
    expectClose(s.value, naiveStdevFloat(returns, 4, 'population')[3]!, 0, 1e-9);
    // With the default 8 decimals the same inputs are rounded to 1e-8 and the result is visibly coarser.
    const coarse = new RollingStdev(4, 'population');
    returns.forEach((r) => coarse.update(r));
    expect(Math.abs(coarse.value - s.value) / s.value).toBeGreaterThan(1e-6);
  });

  it('rejects a sample period below 2 and periods beyond the exact range', () => {
    expect(() => new RollingStdev(1)).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_PARAM' }));
    const tooLong = (): RollingStdev => new RollingStdev(40_000, 'population');
    expect(tooLong).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_PARAM' }));
    expect(new RollingStdev(1, 'population').update(5)).toBe(0);
  });
});

describe('BollingerBands', () => {
  it('puts the bands k population deviations around the SMA (hand-checked)', () => {
    // Same window as above: middle 5, σ = 2 → upper 5 + 2·2 = 9, lower 5 − 4 = 1
    const b = new BollingerBands(8, 2);
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) b.update(x);
    expect([b.lower, b.middle, b.upper]).toEqual([1, 5, 9]);
    expect(b.stdev).toBe(2);
  });

  it('has a middle band bit-identical to SMA and bands matching a recomputation (property)', () => {
    fc.assert(
      fc.property(fc.oneof(prices(1, 200), pricePath(1, 300)), period(1, 50), kTimes10, (xs, p, kx10) => {
        const k = kx10 / 10;
        const b = new BollingerBands(p, k);
        const sma = new SMA(p);
        const sd = naiveStdevExact(xs, p, 'population');
        const scale = maxAbs(xs);
        xs.forEach((x, i) => {
          b.update(x);
          expect(b.middle).toEqual(sma.update(x));
          expectClose(b.upper, b.middle + k * sd[i]!, scale);
          expectClose(b.lower, b.middle - k * sd[i]!, scale);
        });
      }),
    );
  });

  it('rejects a negative or non-finite k', () => {
    expect(() => new BollingerBands(20, -1)).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_PARAM' }));
    expect(() => new BollingerBands(20, Infinity)).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_PARAM' }));
  });
});
