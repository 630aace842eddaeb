// crossedAbove / crossedBelow: the exact definitions, including touches, ties and NaN.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossedAbove, crossedBelow } from '../../../src/indicators/index.js';

describe('crossedAbove / crossedBelow', () => {
  it('fire when a moves from at-or-below b to strictly above it (and the mirror)', () => {
    expect(crossedAbove(1, 2, 3, 2)).toBe(true); // below → above
    expect(crossedAbove(2, 2, 3, 2)).toBe(true); // touching → above
    expect(crossedAbove(1, 2, 2, 2)).toBe(false); // below → touching is not above
    expect(crossedAbove(3, 2, 4, 2)).toBe(false); // already above
    expect(crossedBelow(3, 2, 1, 2)).toBe(true);
    expect(crossedBelow(2, 2, 1, 2)).toBe(true);
    expect(crossedBelow(3, 2, 2, 2)).toBe(false);
    expect(crossedBelow(1, 2, 0, 2)).toBe(false);
  });

  it('never fire while an input is NaN (an indicator still warming up)', () => {
    expect(crossedAbove(NaN, 2, 3, 2)).toBe(false);
    expect(crossedAbove(1, 2, NaN, 2)).toBe(false);
    expect(crossedBelow(NaN, NaN, 1, 2)).toBe(false);
  });

  it('implement exactly a > b && prevA <= prevB and its mirror; never both at once (property)', () => {
    const n = fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 }));
    fc.assert(
      fc.property(n, n, n, n, (pa, pb, a, b) => {
        expect(crossedAbove(pa, pb, a, b)).toBe(a > b && pa <= pb);
        expect(crossedBelow(pa, pb, a, b)).toBe(a < b && pa >= pb);
        expect(crossedAbove(pa, pb, a, b) && crossedBelow(pa, pb, a, b)).toBe(false);
      }),
    );
  });
});
