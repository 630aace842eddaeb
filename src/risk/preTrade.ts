// Pre-trade checks run on every order before it reaches the venue. A failed check is a denial with a
// reason code (an event and a report row), never an exception.

import type { OrderRequest } from '../model/types.js';

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
}

export interface RiskLimits {
  /** Gross exposure after the order at most equity × maxLeverage (1 = no margin). */
  readonly maxLeverage: number;
  readonly maxOpenOrders: number;
  readonly allowShort: boolean;
}

export const DEFAULT_LIMITS: RiskLimits = { maxLeverage: 1, maxOpenOrders: 1000, allowShort: true };

export interface Denial {
  readonly code: string;
  readonly message: string;
}

function estimatePrice(req: OrderRequest, last: number): number {
  return req.limitPrice ?? req.stopPrice ?? last;
}

/**
 * Checks assume every working order fills (the worst case): a sell is judged against the position after the
 * working sells, a buy against the position after the working buys.
 */
export function checkPreTrade(req: OrderRequest, s: PreTradeState, limits: RiskLimits): Denial | null {
  const buy = req.side === 'buy';
  const before = buy ? s.position + s.pendingBuy : s.position - s.pendingSell;
  const after = before + (buy ? req.quantity : -req.quantity);
  const reduces = Math.abs(after) < Math.abs(before) && Math.sign(after) !== -Math.sign(before);
  // Orders that only reduce a position are never blocked by the open-order count.
  if (!reduces && s.openOrders >= limits.maxOpenOrders) {
    return { code: 'RISK_MAX_OPEN_ORDERS', message: `${s.openOrders} open orders is the limit (${limits.maxOpenOrders})` };
  }
  if (!limits.allowShort && after < 0) {
    const working = s.pendingSell > 0 ? ` with ${s.pendingSell} already working to sell` : '';
    return { code: 'RISK_SHORT_NOT_ALLOWED', message: `${req.side} ${req.quantity} ${req.symbol}${working} would leave a short position of ${after}` };
  }
  // Only orders that add exposure need buying power; closing trades are always allowed.
  if (Math.abs(after) > Math.abs(before)) {
    const price = estimatePrice(req, s.price);
    if (Number.isFinite(price)) {
      const committed = s.grossExposure + s.pendingExposure;
      const added = (Math.abs(after) - Math.abs(before)) * price;
      const limit = s.equity * limits.maxLeverage;
      if (committed + added > limit + 1e-9) {
        return {
          code: 'RISK_BUYING_POWER',
          message: `${req.side} ${req.quantity} ${req.symbol} at ~${price} needs ${(committed + added).toFixed(2)} of exposure${s.pendingExposure > 0 ? ' (working orders included)' : ''}; limit is ${limit.toFixed(2)} (equity × ${limits.maxLeverage})`,
        };
      }
    }
  }
  return null;
}
