// MACD: a hand-worked small case, and agreement with a batch recomputation from EMAs.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MACD } from '../../../src/indicators/index.js';
import { expectClose, maxAbs, pricePath, prices } from './helpers.js';
import { naiveMacd } from './naive.js';

describe('MACD', () => {
  it('combines SMA-seeded fast, slow and signal EMAs (hand-checked MACD(2, 3, 2))', () => {
    // fast EMA(2), α = 2/3, on 1, 3, 2, 6, 4, 8: seed (1+3)/2 = 2; 2; 2 + 2/3·4 = 14/3; 14/3 − 2/3·2/3 = 38/9;
    //   38/9 + 2/3·34/9 = 182/27
    // slow EMA(3), α = 1/2: seed (1+3+2)/3 = 2 (update 3); 4; 4; 6
    // MACD line from update 3: 0, 14/3 − 4 = 2/3, 38/9 − 4 = 2/9, 182/27 − 6 = 20/27
    // signal EMA(2) of the line: seed (0 + 2/3)/2 = 1/3 (update 4); 1/3 + 2/3·(2/9 − 1/3) = 7/27;
    //   7/27 + 2/3·(20/27 − 7/27) = 47/81
    // histogram: 1/3, 2/9 − 7/27 = −1/27, 20/27 − 47/81 = 13/81
    const m = new MACD(2, 3, 2);
    expect(m.warmUp).toBe(4);
    const rows = [1, 3, 2, 6, 4, 8].map((x) => {
      m.update(x);
      return [m.macd, m.signal, m.histogram];
    });
    for (const r of rows.slice(0, 3)) expect(r).toEqual([NaN, NaN, NaN]);
    const want = [
      [2 / 3, 1 / 3, 1 / 3],
      [2 / 9, 7 / 27, -1 / 27],
      [20 / 27, 47 / 81, 13 / 81],
    ];
    want.forEach((w, i) => w.forEach((v, j) => expect(rows[i + 3]![j]).toBeCloseTo(v, 12)));
  });

  it('rejects fast ≥ slow', () => {
    expect(() => new MACD(26, 12, 9)).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_PARAM' }));
    expect(() => new MACD(5, 5, 3)).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_PARAM' }));
  });

  it('matches a batch recomputation within 1e-9 of the price scale (property)', () => {
    const params = fc
      .tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 10 }))
      .map(([f, extra, s]) => [f, f + extra, s] as const);
    fc.assert(
      fc.property(fc.oneof(prices(1, 200), pricePath(1, 300)), params, (xs, [fast, slow, signal]) => {
        const m = new MACD(fast, slow, signal);
        const want = naiveMacd(xs, fast, slow, signal);
        const scale = maxAbs(xs);
        xs.forEach((x, i) => {
          m.update(x);
          const w = want[i]!;
          expectClose(m.macd, w.macd, scale);
          expectClose(m.signal, w.signal, scale);
          expectClose(m.histogram, w.histogram, scale);
        });
      }),
    );
  });
});
