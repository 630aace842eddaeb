// What every pre-trade check sees: the order, the account as the checks see it (working orders included)
// and the limits; a check returns a Denial with a stable RISK_… code, or null.

import type { OrderRequest } from '../../model/types.js';
import type { RiskLimits } from '../limits.js';

export interface Denial {
  readonly code: string;
  readonly message: string;
}

/** Correlation of the order's symbol's returns with one held symbol's. */
export interface HeldCorrelation {
  readonly symbol: string;
  readonly value: number;
}

export interface PreTradeState {
  readonly equity: number;
  readonly cash: number;
  /** Signed position in the order's symbol. */
  readonly position: number;
  /** Unfilled quantity of working buy and sell orders in the order's symbol (an OCO group counts once). */
  readonly pendingBuy: number;
  readonly pendingSell: number;
  /** Last known price of the order's symbol. */
  readonly price: number;
  readonly grossExposure: number;
  /** Estimated notional of working orders (all symbols) that would add exposure if they filled. */
  readonly pendingExposure: number;
  readonly openOrders: number;
  // The fields below are filled only when a configured limit needs them (keeps the default path cheap).
  readonly killSwitchTripped?: boolean;
  /** Kernel clock, epoch ms. */
  readonly now?: number;
  /** Exchange time zone of the order's symbol. */
  readonly timeZone?: string;
  /** Σ position × price over all symbols (signed). */
  readonly netExposure?: number;
  /** Notional of all working buys / sells (all symbols), at their limit, stop or last price. */
  readonly pendingBuyNotional?: number;
  readonly pendingSellNotional?: number;
  /** Orders admitted in the last second / minute / since the start of the day (before this one). */
  readonly ordersLastSecond?: number;
  readonly ordersLastMinute?: number;
  readonly ordersToday?: number;
  readonly dayStartEquity?: number;
  readonly peakEquity?: number;
  /** Symbols other than the order's with a position or a working order that would open one. */
  readonly otherPositions?: number;
  /** The order's symbol's group and that group's gross exposure plus growing working orders. */
  readonly group?: string;
  readonly groupExposure?: number;
  readonly correlations?: readonly HeldCorrelation[];
}

/** Where the order leaves the position, assuming every working order on its side fills (the worst case). */
export interface OrderImpact {
  readonly before: number;
  readonly after: number;
  /** Only moves the position towards flat (never through it). */
  readonly reduces: boolean;
  /** |after| > |before|. */
  readonly grows: boolean;
  /** The order's limit, else stop, else last price (see exposurePrice). */
  readonly price: number;
}

export type Check = (req: OrderRequest, s: PreTradeState, limits: RiskLimits, impact: OrderImpact) => Denial | null;

export type MutableImpact = { -readonly [K in keyof OrderImpact]: OrderImpact[K] };

export function impactOf(req: OrderRequest, s: PreTradeState): OrderImpact {
  return impactInto(req, s, { before: 0, after: 0, reduces: false, grows: false, price: NaN });
}

/** impactOf written into `out` (the risk engine reuses one object rather than allocating per order). */
export function impactInto(req: OrderRequest, s: PreTradeState, out: MutableImpact): OrderImpact {
  const buy = req.side === 'buy';
  const before = buy ? s.position + s.pendingBuy : s.position - s.pendingSell;
  const after = before + (buy ? req.quantity : -req.quantity);
  out.before = before;
  out.after = after;
  out.reduces = Math.abs(after) < Math.abs(before) && Math.sign(after) !== -Math.sign(before);
  out.grows = Math.abs(after) > Math.abs(before);
  out.price = exposurePrice(req.side, req.limitPrice, req.stopPrice, s.price);
  return out;
}

/**
 * The price an order's exposure is judged at: its limit, else its stop, else the last price. A sell limit
 * below the last price is marketable and fills near the last price, so it is judged at the last price.
 */
export function exposurePrice(side: 'buy' | 'sell', limit: number | null | undefined, stop: number | null | undefined, last: number): number {
  if (limit !== undefined && limit !== null) return side === 'sell' && limit < last ? last : limit;
  return stop ?? last;
}

/** `buy 100 AAA`, the way every message names the order. */
export function describe(req: OrderRequest): string {
  return `${req.side} ${req.quantity} ${req.symbol}`;
}

export function money(x: number): string {
  return x.toFixed(2);
}

/** A configured notional limit cannot be judged without a price: fail closed, naming the limit. */
export function noPrice(code: string, req: OrderRequest, limitName: string): Denial {
  return { code, message: `${describe(req)}: no price known yet to judge ${limitName}` };
}

/** Tolerance for "at the limit" comparisons of float sums. */
export const EPS = 1e-9;
