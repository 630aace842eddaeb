// ATR: true range by hand, Wilder seed and smoothing by hand, agreement with a batch recomputation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATR, trueRange } from '../../../src/indicators/index.js';
import { barPath, expectClose, period } from './helpers.js';
import { naiveAtr } from './naive.js';

describe('ATR', () => {
  it('takes the widest of the bar range and the gaps from the previous close', () => {
    expect(trueRange(12, 10, NaN)).toBe(2); // first bar: range only
    expect(trueRange(12, 10, 11)).toBe(2); // inside: range
    expect(trueRange(15, 14, 12)).toBe(3); // gap up: 15 − 12
    expect(trueRange(9, 8, 12)).toBe(4); // gap down: |8 − 12|
  });

  it('seeds with the mean of the first period true ranges, then Wilder-smooths (hand-checked)', () => {
    const atr = new ATR(3);
    // bar 1 (10, 8, 9): TR = 10 − 8 = 2
    // bar 2 (11, 9, 10.5): TR = max(2, |11 − 9|, |9 − 9|) = 2
    // bar 3 (13, 10, 12): TR = max(3, |13 − 10.5|, |10 − 10.5|) = 3 → ATR = (2 + 2 + 3)/3 = 7/3
    // bar 4 (15, 14, 14.5): TR = max(1, |15 − 12|, |14 − 12|) = 3 → ATR = (7/3·2 + 3)/3 = 23/9
    // bar 5 (14.5, 14, 14.25): TR = max(0.5, 0, 0.5) = 0.5 → ATR = (23/9·2 + 0.5)/3 = 101/54
    const out = [
      [10, 8, 9],
      [11, 9, 10.5],
      [13, 10, 12],
      [15, 14, 14.5],
      [14.5, 14, 14.25],
    ].map(([h, l, c]) => atr.updateBar(h!, l!, c!));
    expect(out.slice(0, 2)).toEqual([NaN, NaN]);
    expect(out[2]).toBeCloseTo(7 / 3, 12);
    expect(out[3]).toBeCloseTo(23 / 9, 12);
    expect(out[4]).toBeCloseTo(101 / 54, 12);
  });

  it('matches a batch recomputation within 1e-9 relative (property)', () => {
    fc.assert(
      fc.property(barPath(1, 300), period(1, 40), (bs, p) => {
        const atr = new ATR(p);
        const want = naiveAtr(bs, p);
        bs.forEach((b, i) => expectClose(atr.updateBar(b.high, b.low, b.close), want[i]!, 1e-3));
      }),
    );
  });
});
