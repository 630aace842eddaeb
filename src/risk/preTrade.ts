// Pre-trade checks run on every order before it reaches the venue. A failed check is a denial with a
// reason code (an event and a report row), never an exception.

import type { OrderRequest } from '../model/types.js';

export interface PreTradeState {
  readonly equity: number;
  readonly cash: number;
  /** Signed position in the order's symbol. */
  readonly position: number;
  /** Last known price of the order's symbol. */
  readonly price: number;
  readonly grossExposure: number;
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

export function checkPreTrade(req: OrderRequest, s: PreTradeState, limits: RiskLimits): Denial | null {
  if (s.openOrders >= limits.maxOpenOrders) {
    return { code: 'RISK_MAX_OPEN_ORDERS', message: `${s.openOrders} open orders is the limit (${limits.maxOpenOrders})` };
  }
  const signed = req.side === 'buy' ? req.quantity : -req.quantity;
  const after = s.position + signed;
  if (!limits.allowShort && after < 0) {
    return { code: 'RISK_SHORT_NOT_ALLOWED', message: `${req.side} ${req.quantity} ${req.symbol} would leave a short position of ${after}` };
  }
  // Only orders that add exposure need buying power; closing trades are always allowed.
  if (Math.abs(after) > Math.abs(s.position)) {
    const price = estimatePrice(req, s.price);
    if (Number.isFinite(price)) {
      const added = (Math.abs(after) - Math.abs(s.position)) * price;
      const limit = s.equity * limits.maxLeverage;
      if (s.grossExposure + added > limit + 1e-9) {
        return {
          code: 'RISK_BUYING_POWER',
          message: `${req.side} ${req.quantity} ${req.symbol} at ~${price} needs ${(s.grossExposure + added).toFixed(2)} of exposure; limit is ${limit.toFixed(2)} (equity × ${limits.maxLeverage})`,
        };
      }
    }
  }
  return null;
}
