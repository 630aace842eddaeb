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

/** Why IB is not sent this time in force (auction orders, which this venue does not map), or null. */
export function tifRefusal(tif: TimeInForce): string | null {
  return isAuctionTif(tif) ? refusalReason('INVALID_ORDER', `IB venue: time in force ${tif} (auction orders) is not supported here; use DAY or GTC`) : null;
}

function ibTif(tif: TimeInForce): IbOrder['tif'] {
  if (tif === 'OPG' || tif === 'CLS') throw new Error(`IB venue: ${tif} reached the wire mapping (the venue refuses it first)`);
  return tif;
}

/** IB's terms for `order`, with `changes` applied when it is a modify. */
export function toIbOrder(order: Order, account: string, changes: OrderChanges = {}): IbOrder {
  const trailAmount = changes.trailPercent !== undefined ? null : (changes.trailAmount ?? order.trailAmount);
  const trailPercent = changes.trailAmount !== undefined ? null : (changes.trailPercent ?? order.trailPercent);
  const stop = changes.stopPrice ?? order.stopPrice;
  return {
    action: order.side === 'buy' ? 'BUY' : 'SELL',
    totalQuantity: changes.quantity ?? order.quantity,
    orderType: TYPES[order.type],
    lmtPrice: changes.limitPrice ?? order.limitPrice,
    auxPrice: order.type === 'trailing-stop' ? trailAmount : stop,
    trailingPercent: order.type === 'trailing-stop' ? trailPercent : null,
    tif: ibTif(changes.tif ?? order.tif),
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
