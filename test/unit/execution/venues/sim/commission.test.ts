// Commission models parsed from a spec string, computed exactly in price units (1 pu = 1e-8 currency).

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../../../src/core/errors.js';
import { parseCommission, type CommissionInput } from '../../../../../src/execution/venues/sim/commission.js';
import { notionalPu, toPu } from '../../../../../src/model/money.js';

const JAN = Date.UTC(2024, 0, 5);

/** A fill of `quantity` at `price` (decimal), first of its order unless told otherwise. */
function input(quantity: number, price: number, o: { first?: boolean; ts?: number } = {}): CommissionInput {
  const pricePu = toPu(price);
  return { quantity, pricePu, notionalPu: notionalPu(quantity, pricePu), firstFillOfOrder: o.first ?? true, ts: o.ts ?? JAN };
}

function rejects(spec: string): void {
  let caught: unknown = null;
  try {
    parseCommission(spec);
  } catch (e) {
    caught = e;
  }
  expect(isPi5Error(caught), `spec ${JSON.stringify(spec)} should be rejected`).toBe(true);
  if (!isPi5Error(caught)) return;
  expect(caught.code).toBe('PI5_ERR_BAD_USAGE');
  expect(caught.message).toContain(JSON.stringify(spec));
}

describe('parseCommission: none', () => {
  it('charges nothing, by default and by name', () => {
    expect(parseCommission().commissionPu(input(100, 50))).toBe(0n);
    expect(parseCommission('none').commissionPu(input(100, 50))).toBe(0n);
    expect(parseCommission('none').spec).toBe('none');
  });
});

describe('parseCommission: per-share', () => {
  it('charges rate × shares: 100 × 0.005 = 0.50', () => {
    expect(parseCommission('per-share:0.005').commissionPu(input(100, 50))).toBe(50_000_000n);
  });

  it('raises a small fill to the minimum: 100 × 0.005 = 0.50 → min 1.00', () => {
    expect(parseCommission('per-share:0.005:min=1').commissionPu(input(100, 50))).toBe(100_000_000n);
  });

  it('leaves a fill above the minimum alone: 1000 × 0.005 = 5.00', () => {
    expect(parseCommission('per-share:0.005:min=1').commissionPu(input(1000, 50))).toBe(500_000_000n);
  });

  it('caps at max% of notional, even below the minimum', () => {
    // 10 shares at 0.50: notional 5.00; 10 × 0.005 = 0.05 → min 1.00 → cap 1% × 5.00 = 0.05.
    expect(parseCommission('per-share:0.005:min=1:max=1%').commissionPu(input(10, 0.5))).toBe(5_000_000n);
  });

  it('the cap is rounded half to even in pu', () => {
    // notional 3 × 0.00000005 = 15 pu (0.00000015); 10% of it = 1.5 pu → 2 pu (even).
    const m = parseCommission('per-share:1:max=10%');
    expect(m.commissionPu({ quantity: 3, pricePu: 5, notionalPu: 15n, firstFillOfOrder: true, ts: JAN })).toBe(2n);
    // 25 pu × 10% = 2.5 pu → 2 pu (even).
    expect(m.commissionPu({ quantity: 5, pricePu: 5, notionalPu: 25n, firstFillOfOrder: true, ts: JAN })).toBe(2n);
  });
});

describe('parseCommission: percent and bps', () => {
  it('percent:0.1 of 100 × 100.00 = 10 000 is 10.00', () => {
    expect(parseCommission('percent:0.1').commissionPu(input(100, 100))).toBe(1_000_000_000n);
  });

  it('percent rounds half to even in pu', () => {
    const m = parseCommission('percent:0.1');
    const at = (n: bigint): bigint => m.commissionPu({ quantity: 1, pricePu: Number(n), notionalPu: n, firstFillOfOrder: true, ts: JAN });
    // 12 500 pu / 1000 = 12.5 → 12; 13 500 / 1000 = 13.5 → 14; 12 501 / 1000 = 12.501 → 13.
    expect([at(12_500n), at(13_500n), at(12_501n)]).toEqual([12n, 14n, 13n]);
  });

  it('bps:5 of 10 000 is 5.00 and bps:0.5 is 0.50', () => {
    expect(parseCommission('bps:5').commissionPu(input(100, 100))).toBe(500_000_000n);
    expect(parseCommission('bps:0.5').commissionPu(input(100, 100))).toBe(50_000_000n);
  });
});

describe('parseCommission: fixed', () => {
  it('charges the fee on the first fill of an order only', () => {
    const m = parseCommission('fixed:1.5');
    expect(m.commissionPu(input(100, 50))).toBe(150_000_000n);
    expect(m.commissionPu(input(100, 50, { first: false }))).toBe(0n);
  });
});

describe('parseCommission: tiered', () => {
  it('uses the rate of the tier reached by shares already traded this month, and resets next month', () => {
    const m = parseCommission('tiered:0.01@1000,0.005');
    // Jan: 0 traded → 600 × 0.01 = 6.00; 600 traded (< 1000) → 600 × 0.01 = 6.00 (the whole fill at that tier);
    // 1200 traded → 100 × 0.005 = 0.50. Feb: reset → 100 × 0.01 = 1.00.
    expect(m.commissionPu(input(600, 10, { ts: Date.UTC(2024, 0, 5) }))).toBe(600_000_000n);
    expect(m.commissionPu(input(600, 10, { ts: Date.UTC(2024, 0, 10) }))).toBe(600_000_000n);
    expect(m.commissionPu(input(100, 10, { ts: Date.UTC(2024, 0, 31, 23, 59) }))).toBe(50_000_000n);
    expect(m.commissionPu(input(100, 10, { ts: Date.UTC(2024, 1, 1) }))).toBe(100_000_000n);
  });

  it('walks through several tiers in order', () => {
    const m = parseCommission('tiered:0.0035@300,0.002@3000,0.001');
    const c = (q: number): bigint => m.commissionPu(input(q, 10));
    // traded 0 → 0.0035 (100 × 350 000 pu); 100 → 0.0035 (200 × 0.0035 = 0.70); 300 → 0.002 (3000 × 0.002 = 6.00);
    // 3300 → 0.001 (100 × 0.001 = 0.10).
    expect([c(100), c(200), c(3000), c(100)]).toEqual([35_000_000n, 70_000_000n, 600_000_000n, 10_000_000n]);
  });

  // Regression (fixed): the grammar (and the error text "with a last open-ended rate") requires the last tier to have no
  // threshold, but tieredTerm() only checks the tiers before the last: a bounded last tier is accepted and
  // silently applied beyond its bound.
  it('rejects a last tier that has a threshold', () => {
    rejects('tiered:0.01@100,0.005@200');
  });
});

describe('parseCommission: combined terms', () => {
  it('adds the terms joined by +', () => {
    const m = parseCommission('per-share:0.005:min=1+fixed:2');
    // First fill: max(0.50, 1.00) + 2.00 = 3.00; later fill of the same order: 1.00 + 0.
    expect(m.commissionPu(input(100, 50))).toBe(300_000_000n);
    expect(m.commissionPu(input(100, 50, { first: false }))).toBe(100_000_000n);
  });

  it('accepts spaces around the terms and keeps the spec text', () => {
    const m = parseCommission('bps:5 + fixed:1');
    expect(m.spec).toBe('bps:5 + fixed:1');
    expect(m.commissionPu(input(100, 100))).toBe(600_000_000n);
  });
});

describe('parseCommission: bad specs', () => {
  for (const spec of [
    'bogus',
    '',
    'percent',
    'percent:',
    'percent:-1',
    'percent:abc',
    'bps:1e3',
    'fixed:1.123456789',
    'fixed:-2',
    'per-share',
    'per-share:0.01:foo=1',
    'per-share:0.01:max=5',
    'per-share:0.01:min=x',
    'tiered:0.01@abc,0.005',
    'tiered:',
    'none+bogus',
  ]) {
    it(`rejects ${JSON.stringify(spec)} with PI5_ERR_BAD_USAGE naming the spec`, () => {
      rejects(spec);
    });
  }

  it('names the field in the error details', () => {
    try {
      parseCommission('bogus');
      expect.unreachable();
    } catch (e) {
      expect(isPi5Error(e) && e.details['field']).toBe('commission');
    }
  });
});
