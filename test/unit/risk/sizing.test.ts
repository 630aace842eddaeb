// Position sizers parsed from --size: fixed quantity, percent of equity, fixed notional and fixed-fractional
// risk to a stop, all rounded down to whole lots.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../src/core/errors.js';
import { parseSizeSpec, type SizingInput } from '../../../src/risk/sizing.js';

function at(o: Partial<SizingInput> = {}): SizingInput {
  return { symbol: 'AAA', price: 50, equity: 100_000, cash: 100_000, lotSize: 1, ...o };
}

describe('parseSizeSpec', () => {
  it('"100" is a fixed quantity, rounded down to the lot', () => {
    expect(parseSizeSpec('100').size(at())).toBe(100);
    expect(parseSizeSpec('100').size(at({ lotSize: 30 }))).toBe(90);
    expect(parseSizeSpec(' 100 ').size(at())).toBe(100);
  });

  it('"10%" buys 10% of equity at the price: 10 000 / 50 = 200', () => {
    expect(parseSizeSpec('10%').size(at())).toBe(200);
    // 10 000 / 33 = 303.03 → 303; with lots of 100 → 300.
    expect(parseSizeSpec('10%').size(at({ price: 33 }))).toBe(303);
    expect(parseSizeSpec('10%').size(at({ price: 33, lotSize: 100 }))).toBe(300);
  });

  it('"10%" uses equity, not cash', () => {
    expect(parseSizeSpec('10%').size(at({ equity: 200_000, cash: 1 }))).toBe(400);
  });

  it('"$5000" buys a fixed notional: 5000 / 48 = 104.17 → 104', () => {
    expect(parseSizeSpec('$5000').size(at({ price: 48 }))).toBe(104);
  });

  it('"risk:1%" risks 1% of equity to the stop: 1000 / (50 − 48) = 500', () => {
    expect(parseSizeSpec('risk:1%').size(at({ stopPrice: 48 }))).toBe(500);
    // A stop above the price (a short's stop) is a distance too: 1000 / 2.5 = 400.
    expect(parseSizeSpec('risk:1%').size(at({ stopPrice: 52.5 }))).toBe(400);
    // 1000 / 3 = 333.3 → 333; lots of 50 → 300.
    expect(parseSizeSpec('risk:1%').size(at({ stopPrice: 47, lotSize: 50 }))).toBe(300);
  });

  it('"risk:1%" sizes nothing without a stop or with the stop at the price', () => {
    expect(parseSizeSpec('risk:1%').size(at())).toBe(0);
    expect(parseSizeSpec('risk:1%').size(at({ stopPrice: 50 }))).toBe(0);
  });

  it('does not lose a whole lot to float noise: $0.3 at 0.1 is 3 (0.3 / 0.1 = 2.9999999999999996)', () => {
    expect(parseSizeSpec('$0.3').size(at({ price: 0.1 }))).toBe(3);
  });

  it('sizes nothing at an unknown or zero price', () => {
    expect(parseSizeSpec('10%').size(at({ price: NaN }))).toBe(0);
    expect(parseSizeSpec('$5000').size(at({ price: 0 }))).toBe(0);
  });

  it('sizes nothing when the amount is below one lot', () => {
    expect(parseSizeSpec('$40').size(at())).toBe(0);
    expect(parseSizeSpec('10%').size(at({ lotSize: 500 }))).toBe(0);
  });

  it('keeps the spec text', () => {
    expect(parseSizeSpec('risk:0.5%').spec).toBe('risk:0.5%');
  });

  for (const spec of ['0', '-5', 'abc', '1.5', '', '%', '0%', '-1%', 'risk:%', 'risk:-1%', 'risk:1', '$', '$-5', '$abc']) {
    it(`rejects ${JSON.stringify(spec)} with PI5_ERR_BAD_USAGE naming the spec`, () => {
      let caught: unknown = null;
      try {
        parseSizeSpec(spec);
      } catch (e) {
        caught = e;
      }
      expect(isPi5Error(caught)).toBe(true);
      if (!isPi5Error(caught)) return;
      expect(caught.code).toBe('PI5_ERR_BAD_USAGE');
      expect(caught.message).toContain(JSON.stringify(spec));
      expect(caught.details['field']).toBe('size');
    });
  }
});
