// RSI: Wilder seed and smoothing by hand, flat-market conventions, agreement with a batch recomputation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RSI } from '../../../src/indicators/index.js';
import { expectClose, period, pricePath, prices } from './helpers.js';
import { naiveRsi } from './naive.js';

describe('RSI', () => {
  it('seeds with the mean gain/loss of the first period changes, then Wilder-smooths (hand-checked)', () => {
    const rsi = new RSI(3);
    // closes 10, 11, 12, 11 → changes +1, +1, −1: avgGain = 2/3, avgLoss = 1/3 → 100·(2/3)/1 = 66.67
    // 13 (+2): avgGain = (2/3·2 + 2)/3 = 10/9, avgLoss = (1/3·2)/3 = 2/9 → 100·(10/9)/(12/9) = 83.33
    // 13 (0):  avgGain = 20/27, avgLoss = 4/27 → 100·20/24 = 83.33
    // 10 (−3): avgGain = 40/81, avgLoss = (8/27 + 3)/3 = 89/81 → 100·40/129 = 31.008
    const out = [10, 11, 12, 11, 13, 13, 10].map((x) => rsi.update(x));
    expect(out.slice(0, 3)).toEqual([NaN, NaN, NaN]);
    expect(out[3]).toBeCloseTo(200 / 3, 12);
    expect(out[4]).toBeCloseTo(250 / 3, 12);
    expect(out[5]).toBeCloseTo(250 / 3, 12);
    expect(out[6]).toBeCloseTo(4000 / 129, 12);
  });

  it('is 50 on a constant series, 100 with only gains, 0 with only losses', () => {
    const flat = new RSI(5);
    const up = new RSI(5);
    const down = new RSI(5);
    for (let i = 0; i < 30; i++) {
      flat.update(7);
      up.update(7 + i);
      down.update(100 - i);
    }
    expect(flat.value).toBe(50);
    expect(up.value).toBe(100);
    expect(down.value).toBe(0);
  });

  it('returns to 50 once a flat stretch has fully decayed both averages to zero', () => {
    const rsi = new RSI(2);
    for (const x of [1, 2, 1]) rsi.update(x);
    expect(rsi.value).toBe(50); // one gain of 1, one loss of 1
    for (let i = 0; i < 3000; i++) rsi.update(1);
    // Both averages halve each bar and underflow to 0 together; 0/0 is defined as 50.
    expect(rsi.value).toBe(50);
  });

  it('matches a batch recomputation within 1e-9 relative (property)', () => {
    fc.assert(
      fc.property(fc.oneof(prices(1, 200), pricePath(1, 300)), period(1, 30), (xs, p) => {
        const rsi = new RSI(p);
        const want = naiveRsi(xs, p);
        xs.forEach((x, i) => {
          const got = rsi.update(x);
          expectClose(got, want[i]!, 100);
          if (!Number.isNaN(got)) expect(got >= 0 && got <= 100).toBe(true);
        });
      }),
    );
  });
});
