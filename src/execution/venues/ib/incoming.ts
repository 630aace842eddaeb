// Messages TWS / IB Gateway sends us, decoded for server version 151: the subset the venue reads. Fields we do
// not use are skipped by count, following the order the protocol defines for that version.

import { FieldCursor } from './wire.js';

export const IN = {
  orderStatus: 3,
  error: 4,
  openOrder: 5,
  accountValue: 6,
  nextValidId: 9,
  execDetails: 11,
  managedAccounts: 15,
  currentTime: 49,
  openOrderEnd: 53,
  accountDownloadEnd: 54,
  execDetailsEnd: 55,
  commissionReport: 59,
  position: 61,
  positionEnd: 62,
  completedOrder: 101,
  completedOrdersEnd: 102,
} as const;

export interface IbOrderStatus {
  readonly orderId: number;
  /** PendingSubmit, PreSubmitted, Submitted, ApiCancelled, Cancelled, Filled, Inactive, ... */
  readonly status: string;
  readonly filled: number;
  readonly remaining: number;
}

export interface IbError {
  /** The order id or request id the error is about; -1 for the connection. */
  readonly id: number;
  readonly code: number;
  readonly message: string;
}

export interface IbOpenOrder {
  readonly orderId: number;
  readonly symbol: string;
  readonly action: string;
  readonly totalQuantity: number;
  readonly orderType: string;
  readonly lmtPrice: number;
  readonly auxPrice: number;
  readonly tif: string;
  readonly orderRef: string;
  readonly status: string;
}

/** An order IB finished today (filled, canceled, expired or refused), as completedOrder reports it. */
export interface IbCompletedOrder {
  readonly symbol: string;
  readonly action: string;
  readonly totalQuantity: number;
  readonly orderType: string;
  readonly tif: string;
  readonly orderRef: string;
  readonly permId: number;
  /** IB's order state: Filled, Cancelled, ApiCancelled, Inactive, ... */
  readonly status: string;
  readonly filledQuantity: number;
  /** IB's words on how it ended ("Cancelled by Trader", ...) and when (TWS's own time text). */
  readonly completedStatus: string;
  readonly completedTime: string;
}

export interface IbExecution {
  readonly orderId: number;
  readonly symbol: string;
  readonly execId: string;
  /** BOT or SLD. */
  readonly side: string;
  readonly shares: number;
  /** The price as TWS wrote it (decimal text), so it converts to price units without float noise. */
  readonly priceText: string;
  readonly orderRef: string;
  /** 1 added liquidity, 2 removed, 3 routed out (IB's lastLiquidity). */
  readonly lastLiquidity: number;
}

export interface IbCommission {
  readonly execId: string;
  readonly commissionText: string;
  readonly currency: string;
}

export interface IbPosition {
  readonly account: string;
  readonly symbol: string;
  readonly position: number;
  readonly avgCost: number;
}

export interface IbAccountValue {
  readonly key: string;
  readonly value: string;
  readonly currency: string;
  readonly account: string;
}

/** conId, symbol, secType, lastTradeDate, strike, right, multiplier, exchange, currency, localSymbol, tradingClass. */
function contractSymbol(c: FieldCursor): string {
  c.skip(1);
  const symbol = c.str();
  c.skip(9);
  return symbol;
}

export function orderStatus(f: readonly string[]): IbOrderStatus {
  const c = new FieldCursor(f, 'orderStatus');
  c.skip(1);
  const orderId = c.int();
  const status = c.str();
  return { orderId, status, filled: c.num(), remaining: c.num() };
}

export function error(f: readonly string[]): IbError {
  const c = new FieldCursor(f, 'error');
  c.skip(2);
  return { id: c.int(), code: c.int(), message: c.str() };
}

/** openOrder: the order's terms and its state. Only the fields up to the state are read. */
export function openOrder(f: readonly string[]): IbOpenOrder {
  const c = new FieldCursor(f, 'openOrder');
  c.skip(1);
  const orderId = c.int();
  const symbol = contractSymbol(c);
  const action = c.str();
  const totalQuantity = c.num();
  const orderType = c.str();
  const lmtPrice = c.num();
  const auxPrice = c.num();
  const tif = c.str();
  // ocaGroup, account, openClose, origin.
  c.skip(4);
  const orderRef = c.str();
  // clientId, permId, ... volatility, volatilityType: 38 fields, then deltaNeutralOrderType and its aux price.
  c.skip(38);
  const deltaNeutralOrderType = c.str();
  c.skip(1);
  if (deltaNeutralOrderType !== '') c.skip(8);
  // continuousUpdate, referencePriceType, trailStopPrice, trailingPercent, basisPoints, basisPointsType,
  // comboLegsDescrip; then the combo legs, order combo legs and smart routing parameters, each counted.
  c.skip(7);
  c.skip(8 * c.int());
  c.skip(c.int());
  c.skip(2 * c.int());
  c.skip(2);
  const increment = c.num();
  if (increment > 0 && increment < Number.MAX_VALUE) c.skip(7);
  if (c.str() !== '') c.skip(1); // hedgeType, hedgeParam
  c.skip(4); // optOutSmartRouting, clearingAccount, clearingIntent, notHeld
  if (c.int() !== 0) c.skip(3); // delta-neutral contract
  if (c.str() !== '') c.skip(2 * c.int()); // algoStrategy and its parameters
  c.skip(2); // solicited, whatIf
  const status = c.str();
  return { orderId, symbol, action, totalQuantity, orderType, lmtPrice, auxPrice, tif, orderRef, status };
}

/**
 * completedOrder (server version 150+): no order id (the order may be another session's), no message version.
 * The terms up to orderRef and permId are read in order; the order state's status follows a run of attributes
 * with counted and conditional parts, walked as the protocol defines them; the last nine fields at version 151
 * are fixed (filledQuantity, refFuturesConId, autoCancelParent, shareholder, imbalanceOnly,
 * routeMarketableToBbo, parentPermId, completedTime, completedStatus) and are read from the end, so order
 * conditions between the two (variable and unused here) need no decoding.
 */
export function completedOrder(f: readonly string[]): IbCompletedOrder {
  const c = new FieldCursor(f, 'completedOrder');
  c.skip(1);
  const symbol = contractSymbol(c);
  const action = c.str();
  const totalQuantity = c.num();
  const orderType = c.str();
  c.skip(2); // lmtPrice, auxPrice
  const tif = c.str();
  c.skip(4); // ocaGroup, account, openClose, origin
  const orderRef = c.str();
  const permId = c.int();
  // outsideRth, hidden, discretionaryAmt, goodAfterTime; faGroup, faMethod, faPercentage, faProfile; modelCode;
  // goodTillDate, rule80A, percentOffset, settlingFirm; shortSaleSlot, designatedLocation, exemptCode;
  // startingPrice, stockRefPrice, delta; stockRangeLower, stockRangeUpper; displaySize, sweepToFill, allOrNone,
  // minQty, ocaType, triggerMethod; volatility, volatilityType.
  c.skip(29);
  const deltaNeutralOrderType = c.str();
  c.skip(1);
  if (deltaNeutralOrderType !== '') c.skip(4); // conId, shortSale, shortSaleSlot, designatedLocation
  c.skip(4); // continuousUpdate, referencePriceType, trailStopPrice, trailingPercent
  c.skip(1); // comboLegsDescrip
  c.skip(8 * c.int());
  c.skip(c.int());
  c.skip(2 * c.int());
  c.skip(2); // scaleInitLevelSize, scaleSubsLevelSize
  const increment = c.num();
  if (increment > 0 && increment < Number.MAX_VALUE) c.skip(7);
  if (c.str() !== '') c.skip(1); // hedgeType, hedgeParam
  c.skip(3); // clearingAccount, clearingIntent, notHeld
  if (c.int() !== 0) c.skip(3); // delta-neutral contract
  const algo = c.str();
  if (algo !== '') c.skip(2 * c.int());
  c.skip(1); // solicited
  const status = c.str();
  const tail = (fromEnd: number): string => f[f.length - fromEnd] ?? '';
  if (c.remaining < 9) throw new Error(`IB completedOrder: ${f.length} fields end before the completion fields`);
  return { symbol, action, totalQuantity, orderType, tif, orderRef, permId, status, filledQuantity: Number(tail(9) || 0), completedTime: tail(2), completedStatus: tail(1) };
}

export function execDetails(f: readonly string[]): IbExecution {
  const c = new FieldCursor(f, 'execDetails');
  c.skip(2); // message id, request id
  const orderId = c.int();
  const symbol = contractSymbol(c);
  const execId = c.str();
  c.skip(3); // time, account, exchange
  const side = c.str();
  const shares = c.num();
  const priceText = c.str();
  c.skip(5); // permId, clientId, liquidation, cumQty, avgPrice
  const orderRef = c.str();
  c.skip(3); // evRule, evMultiplier, modelCode
  return { orderId, symbol, execId, side, shares, priceText, orderRef, lastLiquidity: c.int() };
}

export function commissionReport(f: readonly string[]): IbCommission {
  const c = new FieldCursor(f, 'commissionReport');
  c.skip(2);
  return { execId: c.str(), commissionText: c.str(), currency: c.str() };
}

export function position(f: readonly string[]): IbPosition {
  const c = new FieldCursor(f, 'position');
  c.skip(2);
  const account = c.str();
  const symbol = contractSymbol(c);
  return { account, symbol, position: c.num(), avgCost: c.num() };
}

export function accountValue(f: readonly string[]): IbAccountValue {
  const c = new FieldCursor(f, 'accountValue');
  c.skip(2);
  return { key: c.str(), value: c.str(), currency: c.str(), account: c.str() };
}

export function nextValidId(f: readonly string[]): number {
  const c = new FieldCursor(f, 'nextValidId');
  c.skip(2);
  return c.int();
}
