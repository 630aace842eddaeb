// Pre-trade checks: buying power and leverage on the exposure an order adds, max open orders and the short
// ban; closing trades need no buying power. A failed check is a denial with a reason code, never a throw.

import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, checkPreTrade, type PreTradeState, type RiskLimits } from '../../../src/risk/preTrade.js';
import type { OrderRequest } from '../../../src/model/types.js';

const FLAT: PreTradeState = {
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

function check(req: Omit<OrderRequest, 'symbol'>, state: Partial<PreTradeState> = {}, limits: Partial<RiskLimits> = {}): string | null {
  return checkPreTrade({ symbol: 'AAA', ...req }, { ...FLAT, ...state }, { ...DEFAULT_LIMITS, ...limits })?.code ?? null;
}

describe('checkPreTrade: buying power and leverage', () => {
  it('allows exposure up to equity × leverage, inclusive: 2000 × 50 = 100 000', () => {
    expect(check({ side: 'buy', quantity: 2000 })).toBeNull();
  });

  it('denies one share more with RISK_BUYING_POWER', () => {
    expect(check({ side: 'buy', quantity: 2001 })).toBe('RISK_BUYING_POWER');
  });

  it('counts opening a short as exposure too', () => {
    expect(check({ side: 'sell', quantity: 2000 })).toBeNull();
    expect(check({ side: 'sell', quantity: 2001 })).toBe('RISK_BUYING_POWER');
  });

  it('maxLeverage 2 doubles the limit: 4000 allowed, 4001 denied', () => {
    expect(check({ side: 'buy', quantity: 4000 }, {}, { maxLeverage: 2 })).toBeNull();
    expect(check({ side: 'buy', quantity: 4001 }, {}, { maxLeverage: 2 })).toBe('RISK_BUYING_POWER');
  });

  it('prices a limit order at its limit: 2500 × 40 = 100 000', () => {
    expect(check({ side: 'buy', quantity: 2500, type: 'limit', limitPrice: 40 })).toBeNull();
    expect(check({ side: 'buy', quantity: 2501, type: 'limit', limitPrice: 40 })).toBe('RISK_BUYING_POWER');
  });

  it('prices a stop order at its stop: 1000 × 100 = 100 000', () => {
    expect(check({ side: 'buy', quantity: 1000, type: 'stop', stopPrice: 100 })).toBeNull();
    expect(check({ side: 'buy', quantity: 1001, type: 'stop', stopPrice: 100 })).toBe('RISK_BUYING_POWER');
  });

  it('adds to the existing gross exposure: 60 000 + 900 × 50 = 105 000 > 100 000', () => {
    expect(check({ side: 'buy', quantity: 800 }, { grossExposure: 60_000 })).toBeNull();
    expect(check({ side: 'buy', quantity: 900 }, { grossExposure: 60_000 })).toBe('RISK_BUYING_POWER');
  });

  it('a reversal needs buying power only for the part beyond flat: long 100, sell 300 adds 100 × 50', () => {
    expect(check({ side: 'sell', quantity: 300 }, { position: 100, grossExposure: 5000 })).toBeNull();
    // 98 000 + 5000 = 103 000 > 100 000.
    expect(check({ side: 'sell', quantity: 300 }, { position: 100, grossExposure: 98_000 })).toBe('RISK_BUYING_POWER');
  });

  it('skips the buying-power check when no price is known yet', () => {
    expect(check({ side: 'buy', quantity: 1_000_000 }, { price: NaN })).toBeNull();
  });

  it('names the order and the limit in the message', () => {
    const d = checkPreTrade({ symbol: 'AAA', side: 'buy', quantity: 2001 }, FLAT, DEFAULT_LIMITS);
    expect(d?.message).toBe('buy 2001 AAA at ~50 needs 100050.00 of exposure; limit is 100000.00 (equity × 1)');
  });
});

describe('checkPreTrade: closing trades', () => {
  it('are always allowed, even when the account is over its limit', () => {
    // Long 3000 at 50 = 150 000 of exposure on 100 000 of equity.
    const over = { position: 3000, grossExposure: 150_000 };
    expect(check({ side: 'sell', quantity: 1000 }, over)).toBeNull();
    expect(check({ side: 'sell', quantity: 3000 }, over)).toBeNull();
    expect(check({ side: 'buy', quantity: 500 }, { position: -3000, grossExposure: 150_000 })).toBeNull();
  });

  it('are allowed with shorts disallowed as long as they stop at flat', () => {
    expect(check({ side: 'sell', quantity: 100 }, { position: 100 }, { allowShort: false })).toBeNull();
    expect(check({ side: 'sell', quantity: 101 }, { position: 100 }, { allowShort: false })).toBe('RISK_SHORT_NOT_ALLOWED');
  });
});

describe('checkPreTrade: other limits', () => {
  it('denies a short with RISK_SHORT_NOT_ALLOWED when shorts are off', () => {
    const d = checkPreTrade({ symbol: 'AAA', side: 'sell', quantity: 1 }, FLAT, { ...DEFAULT_LIMITS, allowShort: false });
    expect(d).toEqual({ code: 'RISK_SHORT_NOT_ALLOWED', message: 'sell 1 AAA would leave a short position of -1' });
  });

  it('counts working orders as if they fill: 1500 working to buy leave room for 500 more at 50', () => {
    expect(check({ side: 'buy', quantity: 500 }, { pendingBuy: 1500, pendingExposure: 75_000 })).toBeNull();
    expect(check({ side: 'buy', quantity: 501 }, { pendingBuy: 1500, pendingExposure: 75_000 })).toBe('RISK_BUYING_POWER');
  });

  it('with shorts off, judges a sell against the position after working sells: long 100, 60 working, sell 41 denied', () => {
    expect(check({ side: 'sell', quantity: 40 }, { position: 100, pendingSell: 60 }, { allowShort: false })).toBeNull();
    expect(check({ side: 'sell', quantity: 41 }, { position: 100, pendingSell: 60 }, { allowShort: false })).toBe('RISK_SHORT_NOT_ALLOWED');
  });

  it('lets an order that only reduces a position past the open-order limit', () => {
    expect(check({ side: 'sell', quantity: 100 }, { position: 100, openOrders: 5 }, { maxOpenOrders: 5 })).toBeNull();
    expect(check({ side: 'sell', quantity: 101 }, { position: 100, openOrders: 5 }, { maxOpenOrders: 5 })).toBe('RISK_MAX_OPEN_ORDERS');
  });

  it('denies any order once maxOpenOrders orders are open', () => {
    expect(check({ side: 'buy', quantity: 1 }, { openOrders: 4 }, { maxOpenOrders: 5 })).toBeNull();
    expect(check({ side: 'buy', quantity: 1 }, { openOrders: 5 }, { maxOpenOrders: 5 })).toBe('RISK_MAX_OPEN_ORDERS');
  });

  it('defaults: leverage 1, 1000 open orders, shorts allowed', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxLeverage: 1, maxOpenOrders: 1000, allowShort: true });
  });
});
