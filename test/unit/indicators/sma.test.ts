// SMA: hand-checked values, exactness against a drifting float running sum, and exact agreement with a
// from-scratch recomputation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toPu } from '../../../src/model/money.js';
import { SMA, crossedAbove } from '../../../src/indicators/index.js';
import { period, prices, walk } from './helpers.js';
import { naiveSma } from './naive.js';

/** The textbook incremental SMA: a float running sum (sum += x; sum −= oldest). */
class FloatRunningSma {
  private sum = 0;
  private readonly window: number[] = [];
  constructor(private readonly period: number) {}
  update(x: number): number {
    this.window.push(x);
    this.sum += x;
    if (this.window.length > this.period) this.sum -= this.window.shift()!;
    return this.window.length >= this.period ? this.sum / this.period : NaN;
  }
}

describe('SMA', () => {
  it('averages the last period inputs (hand-checked)', () => {
    const sma = new SMA(3);
    // (1+2+3)/3 = 2, (2+3+4)/3 = 3, (3+4+8)/3 = 5, (4+8+0.5)/3 = 12.5/3 = 4.1666…
    const out = [1, 2, 3, 4, 8, 0.5].map((x) => sma.update(x));
    expect(out.slice(0, 2)).toEqual([NaN, NaN]);
    expect(out.slice(2, 5)).toEqual([2, 3, 5]);
    expect(out[5]).toBe(12.5 / 3);
  });

  it('returns decimal averages exactly: (0.1 + 0.2)/2 is the double nearest 0.15', () => {
    const sma = new SMA(2);
    sma.update(0.1);
    // Float arithmetic gives (0.1 + 0.2)/2 = 0.15000000000000002; in pu it is 30000000/2e8.
    expect((0.1 + 0.2) / 2).not.toBe(0.15);
    expect(sma.update(0.2)).toBe(0.15);
  });

  it('keeps equal averages equal on a long series where a float running sum drifts', () => {
    // 10 000 random-walk closes, then a tail on which SMA(2) and SMA(4) are both exactly 10.2:
    // SMA(4) = (10.1 + 10.3 + 10.2 + 10.2)/4 = 40.8/4 = 10.2 and SMA(2) = (10.2 + 10.2)/2 = 10.2.
    const xs = [...walk(1, 10_000), 10.1, 10.3, 10.2, 10.2];
    const fast = new SMA(2);
    const slow = new SMA(4);
    const naiveFast = new FloatRunningSma(2);
    const naiveSlow = new FloatRunningSma(4);
    let prev = { f: NaN, s: NaN, nf: NaN, ns: NaN };
    let cur = prev;
    for (const x of xs) {
      prev = cur;
      cur = { f: fast.update(x), s: slow.update(x), nf: naiveFast.update(x), ns: naiveSlow.update(x) };
    }
    expect(cur.f).toBe(10.2);
    expect(cur.s).toBe(10.2);
    // The float running sums have drifted apart by ~3e-12, so the naive fast MA sits strictly above the
    // naive slow one on a tie and a crossover rule would read the wrong side.
    expect(cur.nf).not.toBe(cur.ns);
    expect(cur.nf).toBeGreaterThan(cur.ns);
    expect(Math.abs(cur.nf - 10.2)).toBeGreaterThan(1e-13);
    expect(crossedAbove(prev.f, prev.s, cur.f, cur.s)).toBe(false);
  });

  it('matches an exact from-scratch recomputation bit for bit (property)', () => {
    fc.assert(
      fc.property(prices(1, 200), period(1, 50), (xs, p) => {
        const sma = new SMA(p);
        const got = xs.map((x) => sma.update(x));
        expect(got).toEqual(naiveSma(xs, p));
      }),
    );
  });

  it('orders two averages exactly as exact arithmetic does (property)', () => {
    fc.assert(
      fc.property(prices(1, 50), prices(1, 50), (a, b) => {
        const sa = new SMA(a.length);
        const sb = new SMA(b.length);
        a.forEach((x) => sa.update(x));
        b.forEach((x) => sb.update(x));
        // Compare Σa/na with Σb/nb exactly by cross-multiplying the integer pu sums.
        const suma = a.reduce((s, x) => s + BigInt(toPu(x)), 0n);
        const sumb = b.reduce((s, x) => s + BigInt(toPu(x)), 0n);
        const lhs = suma * BigInt(b.length);
        const rhs = sumb * BigInt(a.length);
        const exact = lhs > rhs ? 1 : lhs < rhs ? -1 : 0;
        // Rounding is monotone, so strict order may collapse to equality but never flip.
        const got = Math.sign(sa.value - sb.value);
        if (exact === 0) expect(got).toBe(0);
        else expect(got === exact || got === 0).toBe(true);
      }),
    );
  });

  it('gives equal averages for permuted windows of different lengths', () => {
    fc.assert(
      // Lengths stay ≤ 75 so period × price stays inside the documented exact range (< 9e7 units).
      fc.property(prices(1, 25), fc.integer({ min: 2, max: 3 }), (xs, k) => {
        // The window repeated k times (and reversed) has the same exact mean as the window itself.
        const longer = Array.from({ length: k }, () => xs).flat().reverse();
        const a = new SMA(xs.length);
        const b = new SMA(longer.length);
        xs.forEach((x) => a.update(x));
        longer.forEach((x) => b.update(x));
        expect(a.value).toBe(b.value);
      }),
    );
  });

  it('rounds inputs exactly as toPu does with the default 8 decimals (property)', () => {
    fc.assert(
      fc.property(prices(1, 1), ([x]) => {
        expect(new SMA(1).update(x!)).toBe(toPu(x!) / 1e8);
      }),
    );
  });

  it('takes more decimals for non-price series', () => {
    // 1e-9 and 2e-9 round to 0 pu at 8 decimals, but average to 1.5e-9 at 12.
    const coarse = new SMA(2);
    const fine = new SMA(2, 12);
    for (const x of [1e-9, 2e-9]) {
      coarse.update(x);
      fine.update(x);
    }
    expect(coarse.value).toBe(0);
    expect(fine.value).toBe(1.5e-9);
    expect(() => new SMA(2, 16)).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_PARAM' }));
  });

  it('rejects a period that is not a positive integer', () => {
    for (const bad of [0, -1, 2.5, NaN]) {
      expect(() => new SMA(bad)).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_PARAM' }));
    }
  });
});
