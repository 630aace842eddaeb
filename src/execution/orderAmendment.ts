// Modify (cancel/replace) terms: checks the changes against the order like a new request, and merges them
// into the terms the venue works. Shared by the order manager and the simulated exchange.

import { Pi5Error } from '../core/errors.js';
import type { Order, OrderChanges, OrderRequest } from '../model/types.js';
import { validateOrderRequest } from './orderValidation.js';

/** The fields a modify may change. */
export interface OrderTerms {
  readonly quantity: number;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly trailAmount: number | null;
  readonly trailPercent: number | null;
  readonly tif: Order['tif'];
}

function bad(order: Order, message: string, field: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_ORDER', `modify order #${order.id} (${order.clientOrderId}, ${order.type}): ${message}`, { orderId: order.id, field });
}

/** Which price fields an order type has; a change to any other is a mistake, not a no-op. */
const PRICE_FIELDS: Readonly<Record<Order['type'], readonly string[]>> = {
  market: [],
  limit: ['limitPrice'],
  stop: ['stopPrice'],
  'stop-limit': ['stopPrice', 'limitPrice'],
  'trailing-stop': ['trailAmount', 'trailPercent'],
};

export function amendedTerms(order: Order, c: OrderChanges): OrderTerms {
  const trailChanged = c.trailAmount !== undefined || c.trailPercent !== undefined;
  return {
    quantity: c.quantity ?? order.quantity,
    limitPrice: c.limitPrice ?? order.limitPrice,
    stopPrice: c.stopPrice ?? order.stopPrice,
    trailAmount: trailChanged ? (c.trailAmount ?? null) : order.trailAmount,
    trailPercent: trailChanged ? (c.trailPercent ?? null) : order.trailPercent,
    tif: c.tif ?? order.tif,
  };
}

/**
 * The order as it would be after the changes, as a request: validated like a new order (PI5_ERR_BAD_ORDER),
 * and the new quantity must leave something to work above what has filled.
 */
export function amendedRequest(order: Order, c: OrderChanges): OrderRequest {
  const given = (['quantity', 'limitPrice', 'stopPrice', 'trailAmount', 'trailPercent', 'tif'] as const).filter((k) => c[k] !== undefined);
  if (given.length === 0) throw bad(order, 'no change given', 'changes');
  for (const k of given) {
    if (k !== 'quantity' && k !== 'tif' && !(PRICE_FIELDS[order.type] as readonly string[]).includes(k)) throw bad(order, `${k} does not apply to a ${order.type} order`, k);
  }
  const t = amendedTerms(order, c);
  if (t.quantity <= order.filledQuantity) {
    throw bad(order, `quantity ${t.quantity} is not above the filled quantity ${order.filledQuantity} (cancel the order instead)`, 'quantity');
  }
  const req: OrderRequest = {
    symbol: order.symbol,
    side: order.side,
    quantity: t.quantity,
    type: order.type,
    tif: t.tif,
    ...(t.limitPrice === null ? {} : { limitPrice: t.limitPrice }),
    ...(t.stopPrice === null ? {} : { stopPrice: t.stopPrice }),
    ...(t.trailAmount === null ? {} : { trailAmount: t.trailAmount }),
    ...(t.trailPercent === null ? {} : { trailPercent: t.trailPercent }),
    ...(order.tag === null ? {} : { tag: order.tag }),
  };
  validateOrderRequest(req);
  return req;
}

/** Amends the order in place (its id, client id and links stay: see docs/strategies.md, "Modifying orders"). */
export function applyTerms(order: Order, t: OrderTerms): void {
  // The terms are read-only to everyone else; this is the one place they change.
  Object.assign(order, t);
}
