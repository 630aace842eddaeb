// EMA: SMA seed, hand-checked recursion, and agreement with a batch recomputation.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMA, SMA } from '../../../src/indicators/index.js';
import { expectClose, maxAbs, period, pricePath, prices } from './helpers.js';
import { naiveEma } from './naive.js';

describe('EMA', () => {
  it('seeds with the SMA of the first period inputs, then recurses with α = 2/(period+1) (hand-checked)', () => {
    const ema = new EMA(3); // α = 2/4 = 0.5
    // seed (2 + 4 + 6)/3 = 4; then 4 + 0.5·(8 − 4) = 6; 6 + 0.5·(7 − 6) = 6.5; 6.5 + 0.5·(3 − 6.5) = 4.75
    const out = [2, 4, 6, 8, 7, 3].map((x) => ema.update(x));
    expect(out).toEqual([NaN, NaN, 4, 6, 6.5, 4.75]);
  });

  it('first value is the SMA(period) of the first inputs', () => {
    fc.assert(
      fc.property(prices(50, 50), period(1, 50), (xs, p) => {
        const ema = new EMA(p);
        const sma = new SMA(p);
        for (let i = 0; i < p; i++) {
          ema.update(xs[i]!);
          sma.update(xs[i]!);
        }
        expectClose(ema.value, sma.value, 0, 1e-12);
      }),
    );
  });

  it('matches a batch recomputation within 1e-9 relative (property)', () => {
    fc.assert(
      fc.property(fc.oneof(prices(1, 200), pricePath(1, 300)), period(1, 50), (xs, p) => {
        const ema = new EMA(p);
        const want = naiveEma(xs, p);
        const scale = maxAbs(xs);
        xs.forEach((x, i) => expectClose(ema.update(x), want[i]!, scale));
      }),
    );
  });
});
