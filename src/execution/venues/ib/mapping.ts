// Translation between our orders and fills and IB's: order types and time in force, executions (with their
// commission reports) to fills, and which of IB's order states and error codes mean what to the order manager.

import { puToNumber, toPu } from '../../../model/money.js';
import type { Fill, Order, OrderChanges, TimeInForce } from '../../../model/types.js';
import { isAuctionTif } from '../../orderValidation.js';
import { refusalReason } from '../brokerRefusals.js';
import type { IbCommission, IbExecution } from './incoming.js';
import type { IbOrder, IbOrderType } from './outgoing.js';

const TYPES: Record<Order['type'], IbOrderType> = {
  market: 'MKT',
  limit: 'LMT',
  stop: 'STP',
  'stop-limit': 'STP LMT',
  'trailing-stop': 'TRAIL',
};

/**
 * Why IB is not sent a modify to this time in force, or null. An auction order's kind lives in IB's order type
 * (MOC/LOC) or tif (OPG), so an order is not moved into or out of an auction by a modify: cancel and place anew.
 */
export function tifChangeRefusal(from: TimeInForce, to: TimeInForce): string | null {
  return from !== to && (isAuctionTif(from) || isAuctionTif(to)) ? refusalReason('INVALID_ORDER', `IB venue: time in force ${from} cannot become ${to} by a modify; cancel and place a new order`) : null;
}

/**
 * IB's order type and time in force. Auction orders as IB's API has them: at the open, a market or limit order
 * with tif OPG (market-on-open, limit-on-open); at the close, the order types MOC and LOC with tif DAY
 * (market-on-close, limit-on-close). Order validation lets only market and limit orders be auction orders.
 */
function ibTypeAndTif(type: Order['type'], tif: TimeInForce): Pick<IbOrder, 'orderType' | 'tif'> {
  if (tif === 'CLS') return { orderType: type === 'limit' ? 'LOC' : 'MOC', tif: 'DAY' };
  return { orderType: TYPES[type], tif };
}

/** IB's terms for `order`, with `changes` applied when it is a modify. */
export function toIbOrder(order: Order, account: string, changes: OrderChanges = {}): IbOrder {
  const trailAmount = changes.trailPercent !== undefined ? null : (changes.trailAmount ?? order.trailAmount);
  const trailPercent = changes.trailAmount !== undefined ? null : (changes.trailPercent ?? order.trailPercent);
  const stop = changes.stopPrice ?? order.stopPrice;
  return {
    action: order.side === 'buy' ? 'BUY' : 'SELL',
    totalQuantity: changes.quantity ?? order.quantity,
    ...ibTypeAndTif(order.type, changes.tif ?? order.tif),
    lmtPrice: changes.limitPrice ?? order.limitPrice,
    auxPrice: order.type === 'trailing-stop' ? trailAmount : stop,
    trailingPercent: order.type === 'trailing-stop' ? trailPercent : null,
    ocaGroup: order.ocoGroup ?? '',
    account,
    orderRef: order.clientOrderId,
  };
}

/** Our fill of an execution and its commission report (null: the report never came; commission unknown, 0). */
export function toFill(order: Order, exec: IbExecution, commission: IbCommission | null, ts: number): Fill {
  const pricePu = toPu(Number(exec.priceText));
  return {
    orderId: order.id,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    quantity: exec.shares,
    price: puToNumber(pricePu),
    pricePu,
    commissionPu: commission === null ? 0 : toPu(Math.abs(Number(commission.commissionText))),
    slippagePu: 0,
    ts,
    liquidity: exec.lastLiquidity === 1 ? 'maker' : 'taker',
    strategyId: order.strategyId,
  };
}

/** IB order states of an order still working at IB (able to fill). */
const WORKING = new Set(['ApiPending', 'PendingSubmit', 'PreSubmitted', 'Submitted', 'PendingCancel']);

export function isWorkingStatus(status: string): boolean {
  return WORKING.has(status);
}

/** Acknowledged: IB holds the order (PreSubmitted: held until its trigger or the session opens). */
export function isAckStatus(status: string): boolean {
  return status === 'PreSubmitted' || status === 'Submitted';
}

export function isCanceledStatus(status: string): boolean {
  return status === 'Cancelled' || status === 'ApiCancelled';
}

/**
 * Error codes that inform and change no order: 399 (order warnings, e.g. held until the open), 2100–2199 (farm
 * connections, settings), 10167/10168 (delayed market data), 202 (the cancel we asked for, confirmed by the
 * Cancelled status that follows).
 */
export function isInformational(code: number): boolean {
  return code === 399 || code === 202 || code === 10167 || code === 10168 || (code >= 2100 && code < 2200);
}

/** "Order Canceled - reason: …": IB's word on a cancel, ours or its own. */
export const ORDER_CANCELED = 202;

/** Codes that refuse a cancel: not in a cancellable state (161), unknown order id (10147, 10148). */
export function isCancelRefusal(code: number): boolean {
  return code === 161 || code === 10147 || code === 10148;
}
