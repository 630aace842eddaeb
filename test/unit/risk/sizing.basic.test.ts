// The account-only sizers at and around their limits, lot rounding (whole and fractional lots) and the
// buying-power cap every sizer shares: max(cash, 0) × leverage, never exceeded, no epsilon.

import { describe, expect, it } from 'vitest';
import {
  FixedFractionalRiskSizer,
  FixedNotionalSizer,
  FixedQuantitySizer,
  PercentOfEquitySizer,
  buyingPower,
  parseSizeSpec,
  roundDownToLot,
  type SizingInput,
} from '../../../src/risk/sizing/index.js';

function at(o: Partial<SizingInput> = {}): SizingInput {
  return { symbol: 'AAA', price: 50, equity: 100_000, cash: 100_000, lotSize: 1, ...o };
}

describe('lot rounding', () => {
  it('rounds down to whole lots: 1234 in lots of 100 is 1200, 99 in lots of 100 is 0', () => {
    expect(roundDownToLot(1234, 100)).toBe(1200);
    expect(roundDownToLot(99, 100)).toBe(0);
    expect(roundDownToLot(100, 100)).toBe(100);
  });

  it('keeps fractional lots clean: 3 lots of 0.1 is 0.3, not 0.30000000000000004', () => {
    expect(roundDownToLot(0.3 / 0.1 / 10, 0.1)).toBe(0.3);
    // $1000 of a 30 000 coin in lots of 0.01: 0.0333 → 0.03.
    expect(new FixedNotionalSizer(1000).size(at({ price: 30_000, lotSize: 0.01 }))).toBe(0.03);
  });

  it('gives 0 for NaN, infinite, negative or zero quantities and for a bad lot size', () => {
    for (const q of [NaN, Infinity, -5, 0]) expect(roundDownToLot(q, 1)).toBe(0);
    expect(roundDownToLot(10, 0)).toBe(0);
  });
});

describe('account-only sizers', () => {
  it('fixed quantity: qty = 100 whatever the account, rounded to lots of 30 → 90', () => {
    expect(new FixedQuantitySizer(100).size(at({ equity: 1 }))).toBe(100);
    expect(new FixedQuantitySizer(100).size(at({ lotSize: 30 }))).toBe(90);
  });

  it('fixed notional: 5000 / 48 = 104.17 → 104; just below one lot (49.99 / 50) → 0', () => {
    expect(new FixedNotionalSizer(5000).size(at({ price: 48 }))).toBe(104);
    expect(new FixedNotionalSizer(49.99).size(at())).toBe(0);
    expect(new FixedNotionalSizer(50).size(at())).toBe(1);
  });

  it('percent of equity: 10% of 100 000 at 50 = 200; negative equity buys nothing', () => {
    expect(new PercentOfEquitySizer(10).size(at())).toBe(200);
    expect(new PercentOfEquitySizer(10).size(at({ equity: -5000 }))).toBe(0);
  });

  it('fixed-fractional risk: 1% of 100 000 / (50 − 45) = 200; a stop 0.01 away → 100 000 shares before the cap', () => {
    expect(new FixedFractionalRiskSizer(1).size(at({ stopPrice: 45 }))).toBe(200);
    // 50 − 49.99 is 0.00999999999999801 in floats: 1000 / it = 100 000.00000002 → 100 000.
    expect(new FixedFractionalRiskSizer(1).size(at({ stopPrice: 49.99 }))).toBe(100_000);
    // With leverage 1 the same stop is capped at 100 000 cash / 50 = 2000 shares.
    expect(new FixedFractionalRiskSizer(1).size(at({ stopPrice: 49.99, leverage: 1 }))).toBe(2000);
  });

  it('fixed-fractional risk: nothing without a stop, or with the stop at the price', () => {
    expect(new FixedFractionalRiskSizer(1).size(at())).toBe(0);
    expect(new FixedFractionalRiskSizer(1).size(at({ stopPrice: 50 }))).toBe(0);
  });

  it('keeps the spec it was parsed from, and a canonical one when built directly', () => {
    expect(parseSizeSpec(' 10% ').spec).toBe(' 10% ');
    expect(new PercentOfEquitySizer(10).spec).toBe('10%');
    expect(new FixedFractionalRiskSizer(0.5).spec).toBe('risk:0.5%');
  });
});

describe('buying power', () => {
  it('is max(cash, 0) × leverage, and unlimited when no leverage allowance is given', () => {
    expect(buyingPower(at({ cash: 5000, leverage: 2 }))).toBe(10_000);
    expect(buyingPower(at({ cash: -5000, leverage: 2 }))).toBe(0);
    expect(buyingPower(at({ cash: 5000 }))).toBe(Infinity);
  });

  it('caps every sizer: 10% of 100 000 at 50 wants 200, cash 5000 × 1 affords 100, × 2 affords 200', () => {
    expect(new PercentOfEquitySizer(10).size(at({ cash: 5000, leverage: 1 }))).toBe(100);
    expect(new PercentOfEquitySizer(10).size(at({ cash: 5000, leverage: 2 }))).toBe(200);
    expect(new PercentOfEquitySizer(10).size(at({ cash: 5000, leverage: 3 }))).toBe(200);
  });

  it('caps a fixed quantity too: 100 at 50 with 4999 cash → 99; in lots of 10 → 90', () => {
    expect(new FixedQuantitySizer(100).size(at({ cash: 4999, leverage: 1 }))).toBe(99);
    expect(new FixedQuantitySizer(100).size(at({ cash: 4999, leverage: 1, lotSize: 10 }))).toBe(90);
    expect(new FixedQuantitySizer(100).size(at({ cash: 5000, leverage: 1 }))).toBe(100);
  });

  it('never rounds up into the cap: cash 5000 − 1e-8 at 50 is 99.9999999998 shares → 99, not 100', () => {
    const cash = 5000 - 1e-8;
    const q = new FixedQuantitySizer(100).size(at({ cash, leverage: 1 }));
    expect(q).toBe(99);
    expect(q * 50).toBeLessThanOrEqual(cash);
  });

  it('sizes nothing with no cash, negative cash, or an unknown price once a cap applies', () => {
    expect(new FixedQuantitySizer(100).size(at({ cash: 0, leverage: 1 }))).toBe(0);
    expect(new FixedQuantitySizer(100).size(at({ cash: -1, leverage: 4 }))).toBe(0);
    expect(new FixedQuantitySizer(100).size(at({ price: NaN, leverage: 1 }))).toBe(0);
  });
});
