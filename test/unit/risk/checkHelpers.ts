// Shared fixtures for the pre-trade check tests: a flat account of 100 000 with AAA at 50, and a helper that
// runs every configured check and returns the denial's code (or null when the order is admitted).

import type { OrderRequest } from '../../../src/model/types.js';
import { DEFAULT_LIMITS, checkPreTrade, type Denial, type PreTradeState, type RiskLimits } from '../../../src/risk/preTrade.js';

export const FLAT: PreTradeState = {
  equity: 100_000,
  cash: 100_000,
  position: 0,
  pendingBuy: 0,
  pendingSell: 0,
  price: 50,
  grossExposure: 0,
  pendingExposure: 0,
  openOrders: 0,
};

/** Leverage high enough that buying power never interferes with the limit under test. */
export const ROOMY: Partial<RiskLimits> = { maxLeverage: 100 };

export type Req = Omit<OrderRequest, 'symbol'> & { symbol?: string };

export function deny(req: Req, state: Partial<PreTradeState> = {}, limits: Partial<RiskLimits> = {}): Denial | null {
  return checkPreTrade({ symbol: 'AAA', ...req }, { ...FLAT, ...state }, { ...DEFAULT_LIMITS, ...ROOMY, ...limits });
}

export function code(req: Req, state: Partial<PreTradeState> = {}, limits: Partial<RiskLimits> = {}): string | null {
  return deny(req, state, limits)?.code ?? null;
}
