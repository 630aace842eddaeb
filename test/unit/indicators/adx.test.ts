// ADX: directional movement and Wilder smoothing worked by hand, flat markets, batch recomputation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADX } from '../../../src/indicators/index.js';
import { barPath, expectClose, period } from './helpers.js';
import { naiveAdx } from './naive.js';

describe('ADX', () => {
  it('derives ±DI, DX and ADX with Wilder seeds (hand-checked ADX(2))', () => {
    const adx = new ADX(2);
    // bar 1 (H10 L8 C9): reference only
    // bar 2 (H12 L9 C11): up 2, down −1 → +DM 2, −DM 0; TR = max(3, 3, 0) = 3
    // bar 3 (H13 L10 C12): up 1, down −1 → +DM 1, −DM 0; TR = max(3, 2, 1) = 3
    //   seeds: TR = 6/2 = 3, +DM = 1.5, −DM = 0 → +DI 50, −DI 0, DX = 100 (first DX)
    // bar 4 (H12 L8 C9): up −1, down 2 → +DM 0, −DM 2; TR = max(4, 0, 4) = 4
    //   TR = (3 + 4)/2 = 3.5, +DM = 0.75, −DM = 1 → +DI = 150/7, −DI = 200/7, DX = 100·(50/7)/50 = 100/7
    //   ADX = (100 + 100/7)/2 = 400/7 (ready: bar 4 = 2·period)
    // bar 5 (H11 L9 C10): up −1, down −1 → no movement; TR = max(2, 2, 0) = 2
    //   TR = 2.75, +DM = 0.375, −DM = 0.5 → +DI = 150/11, −DI = 200/11, DX = 100/7 → ADX = (400/7 + 100/7)/2 = 250/7
    const rows = [
      [10, 8, 9],
      [12, 9, 11],
      [13, 10, 12],
      [12, 8, 9],
      [11, 9, 10],
    ].map(([h, l, c]) => {
      adx.updateBar(h!, l!, c!);
      return [adx.adx, adx.plusDI, adx.minusDI];
    });
    for (const r of rows.slice(0, 3)) expect(r).toEqual([NaN, NaN, NaN]);
    const want = [
      [400 / 7, 150 / 7, 200 / 7],
      [250 / 7, 150 / 11, 200 / 11],
    ];
    want.forEach((w, i) => w.forEach((v, j) => expect(rows[i + 3]![j]).toBeCloseTo(v, 10)));
  });

  it('reads 0 on a flat market (no range, no movement)', () => {
    const adx = new ADX(3);
    for (let i = 0; i < 20; i++) adx.updateBar(5, 5, 5);
    expect([adx.adx, adx.plusDI, adx.minusDI]).toEqual([0, 0, 0]);
  });

  it('approaches 100 in a steady trend', () => {
    const adx = new ADX(5);
    for (let i = 0; i < 200; i++) adx.updateBar(101 + i, 99 + i, 100 + i);
    expect(adx.adx).toBeGreaterThan(99);
    expect(adx.minusDI).toBe(0);
  });

  it('matches a batch recomputation within 1e-9 relative (property)', () => {
    fc.assert(
      fc.property(barPath(1, 300), period(1, 30), (bs, p) => {
        const adx = new ADX(p);
        const want = naiveAdx(bs, p);
        bs.forEach((b, i) => {
          adx.updateBar(b.high, b.low, b.close);
          const w = want[i]!;
          expectClose(adx.adx, w.adx, 100);
          expectClose(adx.plusDI, w.plusDI, 100);
          expectClose(adx.minusDI, w.minusDI, 100);
        });
      }),
    );
  });
});
