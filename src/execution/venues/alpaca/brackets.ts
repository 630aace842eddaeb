// A bracket as Alpaca's own order classes: an entry with both exits is one `bracket` order, with one exit one `oto`
// order, sent in one request under the entry's client id. Alpaca holds the exit legs until the entry fills and
// makes the two exits of a bracket cancel each other, so the position is protected at the broker from its first
// share. Legs carry Alpaca's client ids, not ours: they are matched to our exits by kind (a limit leg is the
// take-profit, a stop or stop-limit leg the stop-loss).

import type { Instrument, Order } from '../../../model/types.js';
import type { AlpacaOrderRequest } from './api.js';
import { orderBody, type AlpacaOrderOptions } from './mapper.js';
import type { AlpacaOrder } from './schema.js';

const price = (p: number | null, inst: Instrument): string => (p ?? 0).toFixed(inst.priceDecimals);

/** The order classes whose legs wait for their entry. */
export const isLegClass = (a: AlpacaOrder): boolean => a.order_class === 'bracket' || a.order_class === 'oto';

/**
 * The POST /v2/orders body of an entry and its exits, or null when Alpaca's classes cannot carry them as we mean
 * them: Alpaca gives the legs the entry's time in force, so only a GTC entry qualifies (our exits are GTC: a DAY
 * bracket's stop would expire at the close); a trailing-stop entry is not allowed. Those go the old way: the
 * exits are sent as one `oco` once the entry fills.
 */
export function bracketBody(entry: Order, exits: readonly Order[], inst: Instrument, opts: AlpacaOrderOptions): AlpacaOrderRequest | null {
  if (entry.tif !== 'GTC' || entry.type === 'trailing-stop' || exits.length === 0 || exits.length > 2) return null;
  const tp = exits.find((e) => e.role === 'take-profit' && e.type === 'limit');
  const sl = exits.find((e) => e.role === 'stop-loss' && (e.type === 'stop' || e.type === 'stop-limit'));
  if ((tp === undefined ? 0 : 1) + (sl === undefined ? 0 : 1) !== exits.length) return null;
  if (exits.some((e) => e.quantity !== entry.quantity || e.status !== 'new')) return null;
  const body: Record<string, string | boolean | Readonly<Record<string, string>>> = { ...orderBody(entry, inst, { ...opts, extendedHours: false }) };
  body.order_class = exits.length === 2 ? 'bracket' : 'oto';
  if (tp !== undefined) body.take_profit = { limit_price: price(tp.limitPrice, inst) };
  if (sl !== undefined) {
    body.stop_loss = sl.type === 'stop-limit' ? { stop_price: price(sl.stopPrice, inst), limit_price: price(sl.limitPrice, inst) } : { stop_price: price(sl.stopPrice, inst) };
  }
  return body;
}

/** The broker leg of one of our exits among an entry's legs. */
export function legOf(exit: Order, legs: readonly AlpacaOrder[]): AlpacaOrder | undefined {
  const wanted = exit.role === 'take-profit' ? ['limit'] : ['stop', 'stop_limit'];
  return legs.find((l) => wanted.includes(l.type));
}

/** The PATCH body that brings a leg to an exit's terms (amended while it was held here), or null when they agree. */
export function legAmendment(exit: Order, leg: AlpacaOrder, inst: Instrument, clientOrderId: string): AlpacaOrderRequest | null {
  const body: Record<string, string> = {};
  if (exit.limitPrice !== null && leg.limit_price != null && price(exit.limitPrice, inst) !== price(Number(leg.limit_price), inst)) body.limit_price = price(exit.limitPrice, inst);
  if (exit.stopPrice !== null && leg.stop_price != null && price(exit.stopPrice, inst) !== price(Number(leg.stop_price), inst)) body.stop_price = price(exit.stopPrice, inst);
  return Object.keys(body).length === 0 ? null : { ...body, client_order_id: clientOrderId };
}
