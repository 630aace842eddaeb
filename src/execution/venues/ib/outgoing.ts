// Requests our client sends to TWS / IB Gateway, field by field in the order server version 151 reads them
// (the version we negotiate: see docs/decisions/0008-ib-client.md). Only the subset the venue uses.

import type { WireField } from './wire.js';

/** The protocol version we speak; we accept no other (the field lists below are for exactly this one). */
export const IB_SERVER_VERSION = 151;

export const OUT = {
  placeOrder: 3,
  cancelOrder: 4,
  reqOpenOrders: 5,
  reqAccountUpdates: 6,
  reqExecutions: 7,
  reqIds: 8,
  reqAllOpenOrders: 16,
  reqCurrentTime: 49,
  reqGlobalCancel: 58,
  reqPositions: 61,
  startApi: 71,
  reqCompletedOrders: 99,
} as const;

/** A stock contract routed by IB's SMART router. */
export interface IbContract {
  readonly symbol: string;
  readonly currency: string;
  readonly exchange: string;
}

/** IB's order types we send. */
export type IbOrderType = 'MKT' | 'LMT' | 'STP' | 'STP LMT' | 'TRAIL' | 'MOC' | 'LOC';

/** The order terms we set; every other IB order attribute goes out unset or false. */
export interface IbOrder {
  readonly action: 'BUY' | 'SELL';
  readonly totalQuantity: number;
  readonly orderType: IbOrderType;
  readonly lmtPrice: number | null;
  /** Stop price (STP, STP LMT) or trailing amount (TRAIL). */
  readonly auxPrice: number | null;
  readonly trailingPercent: number | null;
  /** OPG: at the opening auction (with MKT or LMT); the closing auction is an order type (MOC, LOC) with DAY. */
  readonly tif: 'DAY' | 'GTC' | 'IOC' | 'FOK' | 'OPG';
  /** One-cancels-all group of bracket exits; empty for none. */
  readonly ocaGroup: string;
  readonly account: string;
  /** Our client order id: IB keeps it on the order, so a restarted session finds its orders by it. */
  readonly orderRef: string;
}

export function startApi(clientId: number): WireField[] {
  return [OUT.startApi, 2, clientId, ''];
}

function contractFields(c: IbContract): WireField[] {
  // conId, symbol, secType, lastTradeDateOrContractMonth, strike, right, multiplier, exchange, primaryExchange,
  // currency, localSymbol, tradingClass; then secIdType, secId.
  return [0, c.symbol, 'STK', '', 0, '', '', c.exchange, '', c.currency, '', '', '', ''];
}

/** placeOrder: a new order, or a modify when `orderId` is one already working (IB has no separate replace). */
export function placeOrder(orderId: number, c: IbContract, o: IbOrder): WireField[] {
  const f: WireField[] = [OUT.placeOrder, orderId, ...contractFields(c)];
  f.push(o.action, o.totalQuantity, o.orderType, o.lmtPrice, o.auxPrice, o.tif, o.ocaGroup, o.account);
  // openClose, origin (0 = customer), orderRef, transmit, parentId, blockOrder, sweepToFill, displaySize,
  // triggerMethod, outsideRth, hidden.
  f.push('', 0, o.orderRef, true, 0, false, false, 0, 0, false, false);
  // sharesAllocation (deprecated), discretionaryAmt, goodAfterTime, goodTillDate, faGroup, faMethod,
  // faPercentage, faProfile, modelCode, shortSaleSlot, designatedLocation, exemptCode.
  f.push('', 0, '', '', '', '', '', '', '', 0, '', -1);
  // ocaType (1: cancel the other legs, with block), rule80A, settlingFirm, allOrNone, minQty, percentOffset,
  // eTradeOnly, firmQuoteOnly, nbboPriceCap, auctionStrategy, startingPrice, stockRefPrice, delta,
  // stockRangeLower, stockRangeUpper, overridePercentageConstraints, volatility, volatilityType,
  // deltaNeutralOrderType, deltaNeutralAuxPrice.
  f.push(o.ocaGroup === '' ? 0 : 1, '', '', false, '', '', false, false, '', 0, '', '', '', '', '', false, '', '', '', '');
  // continuousUpdate, referencePriceType, trailStopPrice, trailingPercent, scaleInitLevelSize,
  // scaleSubsLevelSize, scalePriceIncrement, scaleTable, activeStartTime, activeStopTime, hedgeType.
  f.push(false, '', '', o.trailingPercent, '', '', '', '', '', '', '');
  // optOutSmartRouting, clearingAccount, clearingIntent, notHeld, deltaNeutralContract present, algoStrategy,
  // algoId, whatIf, orderMiscOptions, solicited, randomizeSize, randomizePrice, conditions count.
  f.push(false, '', '', false, false, '', '', false, '', false, false, false, 0);
  // adjustedOrderType, triggerPrice, lmtPriceOffset, adjustedStopPrice, adjustedStopLimitPrice,
  // adjustedTrailingAmount, adjustableTrailingUnit, extOperator, softDollarTier name and value, cashQty.
  f.push('', '', '', '', '', '', 0, '', '', '', '');
  // mifid2DecisionMaker, mifid2DecisionAlgo, mifid2ExecutionTrader, mifid2ExecutionAlgo,
  // dontUseAutoPriceForHedge, isOmsContainer, discretionaryUpToLimitPrice, usePriceMgmtAlgo.
  f.push('', '', '', '', false, false, false, '');
  return f;
}

export function cancelOrder(orderId: number): WireField[] {
  return [OUT.cancelOrder, 1, orderId];
}
export function reqGlobalCancel(): WireField[] {
  return [OUT.reqGlobalCancel, 1];
}
/** Every open order of the account (every client id), answered with openOrder… then openOrderEnd. */
export function reqAllOpenOrders(): WireField[] {
  return [OUT.reqAllOpenOrders, 1];
}
export function reqIds(): WireField[] {
  return [OUT.reqIds, 1, 1];
}
/** Today's executions of this client id (and their commission reports), answered then execDetailsEnd. */
export function reqExecutions(reqId: number, clientId: number, account: string): WireField[] {
  return [OUT.reqExecutions, 3, reqId, clientId, account, '', '', '', '', ''];
}
/** Orders IB finished today; `apiOnly` leaves out those placed in TWS by hand. No version field. */
export function reqCompletedOrders(apiOnly: boolean): WireField[] {
  return [OUT.reqCompletedOrders, apiOnly];
}
export function reqPositions(): WireField[] {
  return [OUT.reqPositions, 1];
}
export function reqAccountUpdates(subscribe: boolean, account: string): WireField[] {
  return [OUT.reqAccountUpdates, 2, subscribe, account];
}
/** A round trip: TWS answers in order, so its answer means every earlier answer has arrived. */
export function reqCurrentTime(): WireField[] {
  return [OUT.reqCurrentTime, 1];
}
