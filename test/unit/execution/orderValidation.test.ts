// Order request shape checks: every malformed request is refused with PI5_ERR_BAD_ORDER naming the field.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../src/core/errors.js';
import { validateOrderRequest } from '../../../src/execution/orderValidation.js';
import type { OrderRequest } from '../../../src/model/types.js';

const BASE: OrderRequest = { symbol: 'AAA', side: 'buy', quantity: 10 };

/** A request with fields a type-checked caller could not write (as from JSON or the CLI). */
function raw(fields: Record<string, unknown>): OrderRequest {
  return { ...BASE, ...fields } as unknown as OrderRequest;
}

function fieldOf(req: OrderRequest): string | null {
  try {
    validateOrderRequest(req);
    return null;
  } catch (e) {
    expect(isPi5Error(e)).toBe(true);
    if (!isPi5Error(e)) return null;
    expect(e.code).toBe('PI5_ERR_BAD_ORDER');
    const field = e.details['field'];
    expect(typeof field).toBe('string');
    expect(e.message).toContain(String(field));
    return String(field);
  }
}

describe('validateOrderRequest', () => {
  it('accepts well-formed requests of every type', () => {
    const ok: OrderRequest[] = [
      BASE,
      { ...BASE, type: 'market', tif: 'IOC' },
      { ...BASE, type: 'limit', limitPrice: 10.5, tif: 'DAY' },
      { ...BASE, type: 'stop', stopPrice: 9, tif: 'FOK' },
      { ...BASE, type: 'stop-limit', stopPrice: 9, limitPrice: 8.9, tif: 'GTC' },
      { ...BASE, type: 'trailing-stop', trailAmount: 1.25 },
      { ...BASE, side: 'sell', type: 'trailing-stop', trailPercent: 2.5 },
      { ...BASE, type: 'market', tif: 'OPG' },
      { ...BASE, type: 'limit', limitPrice: 10, tif: 'CLS' },
    ];
    for (const r of ok) expect(fieldOf(r)).toBeNull();
  });

  const bad: Array<[string, OrderRequest, string]> = [
    ['an empty symbol', { ...BASE, symbol: '' }, 'symbol'],
    ['a missing symbol', raw({ symbol: undefined }), 'symbol'],
    ['an unknown side', raw({ side: 'hold' }), 'side'],
    ['a zero quantity', { ...BASE, quantity: 0 }, 'quantity'],
    ['a negative quantity', { ...BASE, quantity: -5 }, 'quantity'],
    ['a fractional quantity', { ...BASE, quantity: 1.5 }, 'quantity'],
    ['a NaN quantity', { ...BASE, quantity: NaN }, 'quantity'],
    ['an unsafe quantity', { ...BASE, quantity: 2 ** 53 }, 'quantity'],
    ['an unknown type', raw({ type: 'iceberg' }), 'type'],
    ['an unknown time in force', raw({ tif: 'GTD' }), 'tif'],
    ['an opening-auction stop', { ...BASE, type: 'stop', stopPrice: 9, tif: 'OPG' }, 'tif'],
    ['a closing-auction trailing stop', { ...BASE, type: 'trailing-stop', trailPercent: 1, tif: 'CLS' }, 'tif'],
    ['a limit without limitPrice', { ...BASE, type: 'limit' }, 'limitPrice'],
    ['a limit at 0', { ...BASE, type: 'limit', limitPrice: 0 }, 'limitPrice'],
    ['a limit at a negative price', { ...BASE, type: 'limit', limitPrice: -1 }, 'limitPrice'],
    ['a limit at Infinity', { ...BASE, type: 'limit', limitPrice: Infinity }, 'limitPrice'],
    ['a stop without stopPrice', { ...BASE, type: 'stop' }, 'stopPrice'],
    ['a stop at NaN', { ...BASE, type: 'stop', stopPrice: NaN }, 'stopPrice'],
    ['a stop-limit without limitPrice', { ...BASE, type: 'stop-limit', stopPrice: 9 }, 'limitPrice'],
    ['a stop-limit without stopPrice', { ...BASE, type: 'stop-limit', limitPrice: 9 }, 'stopPrice'],
    ['a trailing stop with no trail', { ...BASE, type: 'trailing-stop' }, 'trailAmount'],
    ['a trailing stop with both trails', { ...BASE, type: 'trailing-stop', trailAmount: 1, trailPercent: 1 }, 'trailAmount'],
    ['a trailing stop with a negative amount', { ...BASE, type: 'trailing-stop', trailAmount: -1 }, 'trailAmount'],
    ['a trailing stop with a zero percent', { ...BASE, type: 'trailing-stop', trailPercent: 0 }, 'trailPercent'],
  ];
  for (const [what, req, field] of bad) {
    it(`refuses ${what}, naming ${field}`, () => {
      expect(fieldOf(req)).toBe(field);
    });
  }

  it('names the symbol in the details and the order in the message', () => {
    try {
      validateOrderRequest({ ...BASE, quantity: 0 });
      expect.unreachable();
    } catch (e) {
      expect(isPi5Error(e) && e.details['symbol']).toBe('AAA');
      expect(isPi5Error(e) && e.message).toBe('order buy 0 AAA: quantity must be a positive whole number, got 0');
    }
  });
});
