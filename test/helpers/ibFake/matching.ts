// The fake gateway's market: orders fill on a bar by the usual touch rules, in arrival order, sharing at most
// half the bar's volume (the venue contract's liquidity rule, so large orders fill over several bars). Auction
// orders as IB's API has them trade at one auction only: tif OPG (a MKT or LMT order) at the bar's open, order
// types MOC and LOC at its close, a limit one only if the auction price is at or better than its limit.

import type { Bar } from '../../../src/model/types.js';
import type { FakeOrder } from './messages.js';

export interface FakeFill {
  readonly order: FakeOrder;
  readonly shares: number;
  readonly price: number;
}

const cents = (x: number): number => Math.round(x * 10_000) / 10_000;

/** The price an order trades at on this bar, or null when the bar does not reach it. */
function priceOn(o: FakeOrder, bar: Bar): number | null {
  const buy = o.action === 'BUY';
  const limit = (ref: number, lmt: number): number | null => {
    if (buy) return bar.low <= lmt ? Math.min(ref, lmt) : null;
    return bar.high >= lmt ? Math.max(ref, lmt) : null;
  };
  const stopHit = (stop: number): boolean => (buy ? bar.high >= stop : bar.low <= stop);
  const stopRef = (stop: number): number => (buy ? Math.max(bar.open, stop) : Math.min(bar.open, stop));
  const auction = (price: number, lmt: number | null): number | null => (lmt === null || (buy ? price <= lmt : price >= lmt) ? price : null);
  if (o.tif === 'OPG') return auction(bar.open, o.orderType === 'LMT' ? o.lmtPrice : null);
  switch (o.orderType) {
    case 'MOC':
      return bar.close;
    case 'LOC':
      return auction(bar.close, o.lmtPrice);
    case 'MKT':
      return bar.open;
    case 'LMT':
      return limit(bar.open, o.lmtPrice ?? NaN);
    case 'STP':
      return stopHit(o.auxPrice ?? NaN) ? stopRef(o.auxPrice ?? NaN) : null;
    case 'STP LMT':
      if (!o.triggered && !stopHit(o.auxPrice ?? NaN)) return null;
      o.triggered = true;
      return limit(stopRef(o.auxPrice ?? NaN), o.lmtPrice ?? NaN);
    case 'TRAIL': {
      const dist = (ref: number): number => (o.trailingPercent !== null ? (ref * o.trailingPercent) / 100 : (o.auxPrice ?? 0));
      const start = buy ? bar.open + dist(bar.open) : bar.open - dist(bar.open);
      const stop = o.trailStop === null ? start : buy ? Math.min(o.trailStop, start) : Math.max(o.trailStop, start);
      if (stopHit(stop)) return stopRef(stop);
      o.trailStop = cents(buy ? Math.min(stop, bar.low + dist(bar.low)) : Math.max(stop, bar.high - dist(bar.high)));
      return null;
    }
    default:
      return null;
  }
}

/** An order of the opening or closing auction: what the auction does not fill, IB cancels. */
export function isAuctionOrder(o: FakeOrder): boolean {
  return o.tif === 'OPG' || o.orderType === 'MOC' || o.orderType === 'LOC';
}

/** Why IB refuses these order terms (auction orders: which type goes with which tif), or null. */
export function auctionRefusal(o: Pick<FakeOrder, 'orderType' | 'tif' | 'lmtPrice'>): string | null {
  if (o.tif === 'OPG' && o.orderType !== 'MKT' && o.orderType !== 'LMT') return `Order rejected - reason:Time in force OPG is not valid for order type ${o.orderType}`;
  if ((o.orderType === 'MOC' || o.orderType === 'LOC') && o.tif !== 'DAY') return `Order rejected - reason:Order type ${o.orderType} needs time in force DAY`;
  if (o.orderType === 'LOC' && o.lmtPrice === null) return 'Order rejected - reason:A limit price is required for LOC orders';
  return null;
}

export function matchBar(orders: readonly FakeOrder[], bar: Bar): FakeFill[] {
  let capacity = Math.floor(bar.volume / 2);
  const fills: FakeFill[] = [];
  for (const o of orders) {
    if (capacity <= 0) break;
    const price = priceOn(o, bar);
    if (price === null) continue;
    const shares = Math.min(o.quantity - o.filled, capacity);
    if (shares <= 0) continue;
    capacity -= shares;
    fills.push({ order: o, shares, price: cents(price) });
  }
  return fills;
}
