// What the fake IB Gateway writes, field by field as TWS does at server version 151, and how it reads the
// client's placeOrder (by field position, from the protocol's field order, not from our client's encoder).

import type { WireField } from '../../../src/execution/venues/ib/wire.js';

export interface FakeOrder {
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly symbol: string;
  readonly currency: string;
  readonly action: 'BUY' | 'SELL';
  quantity: number;
  orderType: string;
  lmtPrice: number | null;
  auxPrice: number | null;
  trailingPercent: number | null;
  tif: string;
  readonly ocaGroup: string;
  readonly account: string;
  readonly orderRef: string;
  filled: number;
  /** Sum of price × shares, for the average fill price. */
  notional: number;
  status: string;
  /** UTC day (ms / 86.4e6) of the first bar the order met: a DAY order ends when a later day trades. */
  day: number | null;
  trailStop: number | null;
  triggered: boolean;
}

/** The client's placeOrder, read by position: index 1 order id, 3 symbol, 11 currency, 16.. order terms. */
export function readPlaceOrder(f: readonly string[]): Omit<FakeOrder, 'clientId' | 'permId' | 'filled' | 'notional' | 'status' | 'day' | 'trailStop' | 'triggered'> {
  if (f.length !== 110) throw new Error(`fake IB: placeOrder has ${f.length} fields, version 151 has 110`);
  const at = (i: number): string => f[i] ?? '';
  const num = (i: number): number | null => (at(i) === '' ? null : Number(at(i)));
  const action = at(16);
  if (action !== 'BUY' && action !== 'SELL') throw new Error(`fake IB: placeOrder action ${action}`);
  return {
    orderId: Number(at(1)),
    symbol: at(3),
    currency: at(11),
    action,
    quantity: Number(at(17)),
    orderType: at(18),
    lmtPrice: num(19),
    auxPrice: num(20),
    tif: at(21),
    ocaGroup: at(22),
    account: at(23),
    orderRef: at(26),
    trailingPercent: num(70),
  };
}

function contract(o: { symbol: string; currency: string }): WireField[] {
  return [0, o.symbol, 'STK', '', 0, '', '', 'SMART', o.currency, o.symbol, o.symbol];
}

export function openOrder(o: FakeOrder): WireField[] {
  const f: WireField[] = [5, o.orderId, ...contract(o), o.action, o.quantity, o.orderType, o.lmtPrice ?? '', o.auxPrice ?? '', o.tif, o.ocaGroup, o.account, '', 0, o.orderRef];
  // clientId, permId, outsideRth, hidden, discretionaryAmt, goodAfterTime, sharesAllocation, faGroup, faMethod,
  // faPercentage, faProfile, modelCode, goodTillDate, rule80A, percentOffset, settlingFirm, shortSaleSlot,
  // designatedLocation, exemptCode, auctionStrategy, startingPrice, stockRefPrice, delta, stockRangeLower,
  // stockRangeUpper, displaySize, blockOrder, sweepToFill, allOrNone, minQty, ocaType, eTradeOnly,
  // firmQuoteOnly, nbboPriceCap, parentId, triggerMethod, volatility, volatilityType.
  f.push(o.clientId, o.permId, 0, 0, 0, '', '', '', '', '', '', '', '', '', '', '', 0, '', -1, 0, '', '', '', '', '', 0, 0, 0, 0, '', o.ocaGroup === '' ? 0 : 1, 0, 0, '', 0, 0, '', 0);
  // deltaNeutralOrderType, deltaNeutralAuxPrice, continuousUpdate, referencePriceType, trailStopPrice,
  // trailingPercent, basisPoints, basisPointsType, comboLegsDescrip, combo legs, order combo legs, smart params.
  f.push('', '', 0, 0, o.trailStop ?? '', o.trailingPercent ?? '', '', '', '', 0, 0, 0);
  // scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement, hedgeType, optOutSmartRouting, clearingAccount,
  // clearingIntent, notHeld, deltaNeutralContract present, algoStrategy, solicited, whatIf, status.
  f.push('', '', '', '', 0, '', '', 0, 0, '', 0, 0, o.status);
  // Margins before/change/after, commission, min/max commission, commission currency, warning text.
  f.push('', '', '', '', '', '', '', '', '', '', '', '', '', '');
  // randomizeSize, randomizePrice, conditions, adjustedOrderType, triggerPrice, trailStopPrice, lmtPriceOffset,
  // adjustedStopPrice, adjustedStopLimitPrice, adjustedTrailingAmount, adjustableTrailingUnit, soft dollar tier
  // (name, value, display name), cashQty, dontUseAutoPriceForHedge, isOmsContainer,
  // discretionaryUpToLimitPrice, usePriceMgmtAlgo.
  f.push(0, 0, 0, '', '', '', '', '', '', '', 0, '', '', '', '', 0, 0, 0, 0);
  return f;
}

/** completedOrder at version 151: the order IB finished, field by field in the protocol's order (no order id). */
export function completedOrder(o: FakeOrder, completedStatus: string): WireField[] {
  const f: WireField[] = [101, ...contract(o), o.action, o.quantity, o.orderType, o.lmtPrice ?? '', o.auxPrice ?? '', o.tif, o.ocaGroup, o.account, '', 0, o.orderRef, o.permId];
  // outsideRth, hidden, discretionaryAmt, goodAfterTime, faGroup, faMethod, faPercentage, faProfile, modelCode,
  // goodTillDate, rule80A, percentOffset, settlingFirm, shortSaleSlot, designatedLocation, exemptCode,
  // startingPrice, stockRefPrice, delta, stockRangeLower, stockRangeUpper, displaySize, sweepToFill, allOrNone,
  // minQty, ocaType, triggerMethod, volatility, volatilityType, deltaNeutralOrderType, deltaNeutralAuxPrice,
  // continuousUpdate, referencePriceType, trailStopPrice, trailingPercent.
  f.push(0, 0, 0, '', '', '', '', '', '', '', '', '', '', 0, '', -1, '', '', '', '', '', '', 0, 0, '', o.ocaGroup === '' ? 0 : 1, 0, '', 0, '', '', 0, 0, o.trailStop ?? '', o.trailingPercent ?? '');
  // comboLegsDescrip, combo legs, order combo legs, smart routing params, scaleInitLevelSize, scaleSubsLevelSize,
  // scalePriceIncrement, hedgeType, clearingAccount, clearingIntent, notHeld, deltaNeutralContract present,
  // algoStrategy, solicited, status.
  f.push('', 0, 0, 0, '', '', '', '', '', '', 0, 0, '', 0, o.status);
  // randomizeSize, randomizePrice, conditions (none), trailStopPrice, lmtPriceOffset, cashQty,
  // dontUseAutoPriceForHedge, isOmsContainer, autoCancelDate, filledQuantity, refFuturesConId, autoCancelParent,
  // shareholder, imbalanceOnly, routeMarketableToBbo, parentPermId, completedTime, completedStatus.
  f.push(0, 0, 0, '', '', '', 0, 0, '', o.filled, 0, 0, '', 0, 0, '', '20240101 16:00:00 America/New_York', completedStatus);
  return f;
}

export function orderStatus(o: FakeOrder): WireField[] {
  const avg = o.filled === 0 ? 0 : o.notional / o.filled;
  return [3, o.orderId, o.status, o.filled, o.quantity - o.filled, avg, o.permId, 0, avg, o.clientId, '', 0];
}

export function error(id: number, code: number, message: string): WireField[] {
  return [4, 2, id, code, message];
}

export interface FakeExecution {
  readonly execId: string;
  readonly order: FakeOrder;
  readonly shares: number;
  readonly price: string;
  readonly cumQty: number;
  readonly commission: string;
}

export function execDetails(reqId: number, e: FakeExecution): WireField[] {
  const o = e.order;
  return [11, reqId, o.orderId, ...contract(o), e.execId, '20240101  09:30:00', o.account, 'ISLAND', o.action === 'BUY' ? 'BOT' : 'SLD', e.shares, e.price, o.permId, o.clientId, 0, e.cumQty, e.price, o.orderRef, '', '', '', 2];
}

export function commissionReport(e: FakeExecution): WireField[] {
  return [59, 1, e.execId, e.commission, e.order.currency, '', '', ''];
}

export function position(account: string, symbol: string, currency: string, qty: number, avgCost: number): WireField[] {
  return [61, 3, account, ...contract({ symbol, currency }), qty, avgCost];
}
