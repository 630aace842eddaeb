// Our orders to Alpaca's order bodies and back: order types, time in force, prices at the instrument's decimals,
// OCO pairs as one `oco` order, and the client order id each broker order carries. A replace makes a new broker
// order, which Alpaca requires to have a new client order id: it gets ours plus `~r<n>`, so recovery still finds
// it by our id.

import { brokerFill } from '../../brokerFill.js';
import type { Fill, Instrument, Order, OrderChanges, TimeInForce } from '../../../model/types.js';
import type { VenueOrderState } from '../venue.js';
import type { AlpacaOrderRequest } from './api.js';
import type { AlpacaOrder } from './schema.js';

const TYPES: Readonly<Record<Order['type'], string>> = {
  market: 'market',
  limit: 'limit',
  stop: 'stop',
  'stop-limit': 'stop_limit',
  'trailing-stop': 'trailing_stop',
};

// OPG and CLS are Alpaca's opening and closing auction orders (market or limit: market/limit on open or close).
const TIFS: Readonly<Record<TimeInForce, string>> = { DAY: 'day', GTC: 'gtc', IOC: 'ioc', FOK: 'fok', OPG: 'opg', CLS: 'cls' };

/** Per-venue choices our order model does not carry. */
export interface AlpacaOrderOptions {
  /** Lets DAY limit orders trade in the pre- and after-market sessions (Alpaca allows it only for those). */
  readonly extendedHours: boolean;
}

const REPLACE_MARK = '~r';

/** Our client order id of a broker client order id (a replacement's `~r<n>` suffix dropped). */
export function baseClientId(brokerClientId: string): string {
  const i = brokerClientId.lastIndexOf(REPLACE_MARK);
  return i > 0 && /^\d+$/.test(brokerClientId.slice(i + REPLACE_MARK.length)) ? brokerClientId.slice(0, i) : brokerClientId;
}

export function replacementClientId(clientOrderId: string, n: number): string {
  return `${clientOrderId}${REPLACE_MARK}${n}`;
}

const price = (p: number, inst: Instrument): string => p.toFixed(inst.priceDecimals);

/** The POST /v2/orders body of one simple order. */
export function orderBody(o: Order, inst: Instrument, opts: AlpacaOrderOptions): AlpacaOrderRequest {
  const body: Record<string, string | boolean> = {
    symbol: o.symbol,
    qty: String(o.quantity),
    side: o.side,
    type: TYPES[o.type],
    time_in_force: TIFS[o.tif],
    client_order_id: o.clientOrderId,
  };
  if (o.limitPrice !== null && (o.type === 'limit' || o.type === 'stop-limit')) body.limit_price = price(o.limitPrice, inst);
  if (o.stopPrice !== null && (o.type === 'stop' || o.type === 'stop-limit')) body.stop_price = price(o.stopPrice, inst);
  if (o.type === 'trailing-stop') {
    if (o.trailAmount !== null) body.trail_price = price(o.trailAmount, inst);
    else if (o.trailPercent !== null) body.trail_percent = String(o.trailPercent);
  }
  if (opts.extendedHours && o.type === 'limit' && o.tif === 'DAY') body.extended_hours = true;
  return body;
}

/** One `oco` order for a bracket's exits: the take-profit limit is the parent, the stop-loss its leg. */
export function ocoBody(takeProfit: Order, stopLoss: Order, inst: Instrument): AlpacaOrderRequest {
  const stop: Record<string, string> = { stop_price: price(stopLoss.stopPrice ?? 0, inst) };
  if (stopLoss.type === 'stop-limit' && stopLoss.limitPrice !== null) stop.limit_price = price(stopLoss.limitPrice, inst);
  return {
    symbol: takeProfit.symbol,
    qty: String(takeProfit.quantity),
    side: takeProfit.side,
    type: 'limit',
    time_in_force: TIFS[takeProfit.tif],
    order_class: 'oco',
    client_order_id: takeProfit.clientOrderId,
    take_profit: { limit_price: price(takeProfit.limitPrice ?? 0, inst) },
    stop_loss: stop,
  };
}

/** The PATCH /v2/orders/{id} body: the order's terms after `changes` (qty is the new total, as ours). */
export function replaceBody(o: Order, changes: OrderChanges, inst: Instrument, clientOrderId: string): AlpacaOrderRequest {
  const body: Record<string, string> = { client_order_id: clientOrderId };
  if (changes.quantity !== undefined) body.qty = String(changes.quantity);
  if (changes.limitPrice !== undefined) body.limit_price = price(changes.limitPrice, inst);
  if (changes.stopPrice !== undefined) body.stop_price = price(changes.stopPrice, inst);
  if (changes.trailAmount !== undefined) body.trail = price(changes.trailAmount, inst);
  else if (changes.trailPercent !== undefined) body.trail = String(changes.trailPercent);
  if (changes.tif !== undefined) body.time_in_force = TIFS[changes.tif];
  if (o.quantity === changes.quantity) delete body.qty;
  return body;
}

/** Statuses of a broker order that can still fill. */
const WORKING = new Set<AlpacaOrder['status']>(['new', 'partially_filled', 'pending_new', 'accepted', 'pending_cancel', 'pending_replace', 'held', 'accepted_for_bidding', 'calculated']);

export function isWorking(a: AlpacaOrder): boolean {
  return WORKING.has(a.status);
}

export const qtyOf = (text: string | null | undefined): number => (text === null || text === undefined ? 0 : Number(text));

/** A broker order as the venue reports it to recovery: under our client id, with what is left to fill. */
export function venueState(a: AlpacaOrder, clientOrderId: string): VenueOrderState {
  const quantity = qtyOf(a.qty);
  return { clientOrderId, symbol: a.symbol, side: a.side, quantity, leavesQuantity: quantity - qtyOf(a.filled_qty) };
}

/** Our fill of `quantity` at Alpaca's price text (Alpaca charges no commission on stocks). */
export function fillOf(o: Order, quantity: number, priceText: string, ts: number): Fill {
  return brokerFill(o, quantity, Number(priceText), ts);
}

/** Epoch ms of an Alpaca time stamp (RFC 3339, up to nanoseconds), or `fallback` when it has none. */
export function timeOf(text: string | null | undefined, fallback: number): number {
  if (text === null || text === undefined) return fallback;
  const t = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(t) ? fallback : t;
}
