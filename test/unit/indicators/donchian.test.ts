// RollingMax/RollingMin and the Donchian channel: hand-checked windows and exact agreement with
// Math.max/Math.min over each window.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DonchianChannel, RollingMax, RollingMin } from '../../../src/indicators/index.js';
import { barPath, period, prices } from './helpers.js';
import { naiveRollingMax, naiveRollingMin } from './naive.js';

/** Series with many ties and monotone runs, where deque bookkeeping goes wrong first. */
const choppy = fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 300 });

describe('RollingMax / RollingMin', () => {
  it('track the extremes of the last period inputs (hand-checked)', () => {
    const xs = [1, 3, 2, 5, 4, 1, 0];
    const max = new RollingMax(3);
    const min = new RollingMin(3);
    // windows: [1,3,2] [3,2,5] [2,5,4] [5,4,1] [4,1,0]
    expect(xs.map((x) => max.update(x))).toEqual([NaN, NaN, 3, 5, 5, 5, 4]);
    expect(xs.map((x) => min.update(x))).toEqual([NaN, NaN, 1, 2, 2, 1, 0]);
  });

  it('handle strictly decreasing and increasing runs longer than the window', () => {
    const max = new RollingMax(4);
    const min = new RollingMin(4);
    const down = Array.from({ length: 20 }, (_, i) => 100 - i);
    expect(down.map((x) => max.update(x)).slice(3)).toEqual(down.slice(0, -3));
    expect(down.map((x) => min.update(x)).slice(3)).toEqual(down.slice(3));
  });

  it('equal Math.max/Math.min over each window exactly (property)', () => {
    fc.assert(
      fc.property(fc.oneof(prices(1, 300), choppy), period(1, 40), (xs, p) => {
        const max = new RollingMax(p);
        const min = new RollingMin(p);
        expect(xs.map((x) => max.update(x))).toEqual(naiveRollingMax(xs, p));
        expect(xs.map((x) => min.update(x))).toEqual(naiveRollingMin(xs, p));
      }),
    );
  });
});

describe('DonchianChannel', () => {
  it('spans the highest high and lowest low of the last period bars (hand-checked)', () => {
    const d = new DonchianChannel(3);
    const highs = [5, 7, 6, 4, 3];
    const lows = [3, 4, 2, 3, 1];
    const rows = highs.map((h, i) => {
      d.updateBar(h, lows[i]!);
      return [d.upper, d.middle, d.lower];
    });
    // bars 1–3: max(5,7,6) = 7, min(3,4,2) = 2, middle 4.5; bars 2–4: 7, 2, 4.5; bars 3–5: 6, 1, 3.5
    expect(rows).toEqual([
      [NaN, NaN, NaN],
      [NaN, NaN, NaN],
      [7, 4.5, 2],
      [7, 4.5, 2],
      [6, 3.5, 1],
    ]);
  });

  it('equals a from-scratch window scan exactly (property)', () => {
    fc.assert(
      fc.property(barPath(1, 300), period(1, 40), (bs, p) => {
        const d = new DonchianChannel(p);
        const up = naiveRollingMax(bs.map((b) => b.high), p);
        const lo = naiveRollingMin(bs.map((b) => b.low), p);
        bs.forEach((b, i) => {
          d.updateBar(b.high, b.low);
          expect([d.upper, d.lower, d.middle]).toEqual([up[i], lo[i], (up[i]! + lo[i]!) / 2]);
        });
      }),
    );
  });
});
