// The fill rules of DESIGN.md §5 as pure functions of one order and one bar (integer price units).
// Bars are written as { open, high, low, close } in pu; small integers keep the arithmetic checkable by eye.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { limitFill, nextTrailReference, stopFill, stopLimitFill, type BarPu } from '../../../../../src/execution/venues/sim/fillRules.js';

const bar = (open: number, high: number, low: number, close: number): BarPu => ({ open, high, low, close });

describe('limitFill', () => {
  const b = bar(100, 110, 90, 105);

  it('buy fills at the limit when the low touches it exactly (open above the limit)', () => {
    expect(limitFill('buy', 90, b)).toBe(90);
  });

  it('buy fills at the limit when the bar trades through it', () => {
    expect(limitFill('buy', 95, b)).toBe(95);
  });

  it('buy fills at the open when the open gaps below the limit: min(open, limit)', () => {
    // limit 102 ≥ open 100 → min(100, 102) = 100.
    expect(limitFill('buy', 102, b)).toBe(100);
  });

  it('buy does not fill when the low stays above the limit', () => {
    expect(limitFill('buy', 89, b)).toBeNaN();
  });

  it('sell fills at the limit when the high touches it exactly', () => {
    expect(limitFill('sell', 110, b)).toBe(110);
  });

  it('sell fills at the limit when the bar trades through it', () => {
    expect(limitFill('sell', 104, b)).toBe(104);
  });

  it('sell fills at the open when the open gaps above the limit: max(open, limit)', () => {
    expect(limitFill('sell', 98, b)).toBe(100);
  });

  it('sell does not fill when the high stays below the limit', () => {
    expect(limitFill('sell', 111, b)).toBeNaN();
  });
});

describe('stopFill', () => {
  const b = bar(100, 110, 90, 105);

  it('buy stop triggers when the high touches the stop and fills at the stop', () => {
    expect(stopFill('buy', 110, b)).toBe(110);
  });

  it('buy stop inside the bar fills at the stop', () => {
    expect(stopFill('buy', 104, b)).toBe(104);
  });

  it('buy stop below the open (gap up through it) fills at the open: max(open, stop)', () => {
    expect(stopFill('buy', 97, b)).toBe(100);
  });

  it('buy stop above the high does not trigger', () => {
    expect(stopFill('buy', 111, b)).toBeNaN();
  });

  it('sell stop triggers when the low touches the stop and fills at the stop', () => {
    expect(stopFill('sell', 90, b)).toBe(90);
  });

  it('sell stop above the open (gap down through it) fills at the open: min(open, stop)', () => {
    expect(stopFill('sell', 103, b)).toBe(100);
  });

  it('sell stop below the low does not trigger', () => {
    expect(stopFill('sell', 89, b)).toBeNaN();
  });
});

describe('stopLimitFill', () => {
  it('buy: a gap through the stop triggers it and the limit works for the whole bar', () => {
    // open 100 ≥ stop 98: triggered; limit 99 with low 90 → min(100, 99) = 99.
    expect(stopLimitFill('buy', 98, 99, false, bar(100, 110, 90, 105))).toEqual({ price: 99, triggered: true });
  });

  it('buy: after a gap the limit may be below everything traded: triggered, no fill', () => {
    // open 100 ≥ stop 98, limit 85 < low 90 → no fill this bar, but triggered.
    expect(stopLimitFill('buy', 98, 85, false, bar(100, 110, 90, 105))).toEqual({ price: NaN, triggered: true });
  });

  it('buy: stop reached inside the bar with a marketable limit (limit ≥ stop) fills at the stop', () => {
    // open 100 < stop 104 ≤ high 110; limit 106 ≥ 104 → fills at 104.
    expect(stopLimitFill('buy', 104, 106, false, bar(100, 110, 90, 105))).toEqual({ price: 104, triggered: true });
  });

  it('buy: limit equal to the stop is marketable', () => {
    expect(stopLimitFill('buy', 104, 104, false, bar(100, 110, 90, 105))).toEqual({ price: 104, triggered: true });
  });

  it('buy: stop reached inside the bar with a limit below the stop does not fill but is triggered', () => {
    // Even though low 90 ≤ limit 95 somewhere in the bar, we do not guess the path.
    expect(stopLimitFill('buy', 104, 95, false, bar(100, 110, 90, 105))).toEqual({ price: NaN, triggered: true });
  });

  it('buy: stop not reached → not triggered', () => {
    expect(stopLimitFill('buy', 111, 112, false, bar(100, 110, 90, 105))).toEqual({ price: NaN, triggered: false });
  });

  it('a triggered order is a plain limit on later bars', () => {
    // Triggered earlier, limit 95: low 90 → min(open 100, 95) = 95 regardless of the stop.
    expect(stopLimitFill('buy', 200, 95, true, bar(100, 110, 90, 105))).toEqual({ price: 95, triggered: true });
    expect(stopLimitFill('sell', 1, 108, true, bar(100, 110, 90, 105))).toEqual({ price: 108, triggered: true });
  });

  it('sell: a gap down through the stop triggers and the limit works all bar', () => {
    // open 100 ≤ stop 102: limit 101 with high 110 → max(100, 101) = 101.
    expect(stopLimitFill('sell', 102, 101, false, bar(100, 110, 90, 105))).toEqual({ price: 101, triggered: true });
  });

  it('sell: stop reached inside the bar with limit ≤ stop fills at the stop', () => {
    expect(stopLimitFill('sell', 95, 94, false, bar(100, 110, 90, 105))).toEqual({ price: 95, triggered: true });
  });

  it('sell: stop reached inside the bar with limit above the stop does not fill but is triggered', () => {
    expect(stopLimitFill('sell', 95, 97, false, bar(100, 110, 90, 105))).toEqual({ price: NaN, triggered: true });
  });

  it('sell: stop not reached → not triggered', () => {
    expect(stopLimitFill('sell', 89, 88, false, bar(100, 110, 90, 105))).toEqual({ price: NaN, triggered: false });
  });
});

describe('nextTrailReference', () => {
  it('a sell trail moves its reference up to the bar high, never down', () => {
    expect(nextTrailReference('sell', 100, bar(100, 112, 95, 110))).toBe(112);
    expect(nextTrailReference('sell', 120, bar(100, 112, 95, 110))).toBe(120);
  });

  it('a buy trail moves its reference down to the bar low, never up', () => {
    expect(nextTrailReference('buy', 100, bar(100, 112, 95, 110))).toBe(95);
    expect(nextTrailReference('buy', 90, bar(100, 112, 95, 110))).toBe(90);
  });
});

describe('fill rules: properties', () => {
  const barArb = fc
    .tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }))
    .map(([a, b, c, d]) => {
      const high = Math.max(a, b, c, d);
      const low = Math.min(a, b, c, d);
      return bar(a, high, low, d);
    });
  const side = fc.constantFrom<'buy' | 'sell'>('buy', 'sell');
  const level = fc.integer({ min: 1, max: 10_000 });
  const inRange = (p: number, b: BarPu): boolean => Number.isNaN(p) || (p >= b.low && p <= b.high);

  it('every rule price lies inside the bar range [low, high]', () => {
    fc.assert(
      fc.property(barArb, side, level, level, (b, s, x, y) => {
        expect(inRange(limitFill(s, x, b), b)).toBe(true);
        expect(inRange(stopFill(s, x, b), b)).toBe(true);
        expect(inRange(stopLimitFill(s, x, y, false, b).price, b)).toBe(true);
        expect(inRange(stopLimitFill(s, x, y, true, b).price, b)).toBe(true);
      }),
    );
  });

  it('a limit never fills at a worse price than its limit', () => {
    fc.assert(
      fc.property(barArb, side, level, (b, s, limit) => {
        const p = limitFill(s, limit, b);
        if (!Number.isNaN(p)) expect(s === 'buy' ? p <= limit : p >= limit).toBe(true);
      }),
    );
  });

  it('a stop-limit never fills at a worse price than its limit', () => {
    fc.assert(
      fc.property(barArb, side, level, level, fc.boolean(), (b, s, stop, limit, trig) => {
        const p = stopLimitFill(s, stop, limit, trig, b).price;
        if (!Number.isNaN(p)) expect(s === 'buy' ? p <= limit : p >= limit).toBe(true);
      }),
    );
  });
});
