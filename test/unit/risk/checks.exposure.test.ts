// Account-wide exposure checks at and around each limit: max gross and net exposure, leverage (buying
// power) and the minimum cash reserve. Working orders count as if they fill.

import { describe, expect, it } from 'vitest';
import { code, deny } from './checkHelpers.js';

describe('RISK_MAX_GROSS_EXPOSURE', () => {
  const limits = { maxGrossExposure: 150_000 };
  it('allows 100 000 held + 1000 × 50 = 150 000 exactly; one share more is denied', () => {
    expect(code({ side: 'buy', quantity: 1000 }, { grossExposure: 100_000 }, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 1001 }, { grossExposure: 100_000 }, limits)).toBe('RISK_MAX_GROSS_EXPOSURE');
  });

  it('counts working orders: 60 000 held + 40 000 working + 1000 × 50 = 150 000 allowed', () => {
    expect(code({ side: 'buy', quantity: 1000 }, { grossExposure: 60_000, pendingExposure: 40_000 }, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 1001 }, { grossExposure: 60_000, pendingExposure: 40_000 }, limits)).toBe('RISK_MAX_GROSS_EXPOSURE');
  });

  it('reducing orders pass even over the limit', () => {
    expect(code({ side: 'sell', quantity: 1000 }, { position: 4000, grossExposure: 200_000 }, limits)).toBeNull();
  });

  it('names value and limit', () => {
    expect(deny({ side: 'buy', quantity: 1001 }, { grossExposure: 100_000 }, limits)?.message).toBe(
      'buy 1001 AAA at ~50 would bring gross exposure to 150050.00; limit is 150000.00',
    );
  });
});

describe('RISK_MAX_NET_EXPOSURE', () => {
  const limits = { maxNetExposure: 50_000 };
  it('allows net long 50 000 exactly, denies 50 050', () => {
    expect(code({ side: 'buy', quantity: 1000 }, { netExposure: 0 }, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 1001 }, { netExposure: 0 }, limits)).toBe('RISK_MAX_NET_EXPOSURE');
  });

  it('adds working buys to a buy: 30 000 net + 10 000 working + 200 × 50 = 50 000 allowed, 201 denied', () => {
    const s = { netExposure: 30_000, pendingBuyNotional: 10_000 };
    expect(code({ side: 'buy', quantity: 200 }, s, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 201 }, s, limits)).toBe('RISK_MAX_NET_EXPOSURE');
  });

  it('is symmetric for net short', () => {
    expect(code({ side: 'sell', quantity: 1000 }, { netExposure: 0 }, limits)).toBeNull();
    expect(code({ side: 'sell', quantity: 1001 }, { netExposure: 0 }, limits)).toBe('RISK_MAX_NET_EXPOSURE');
  });

  it('an order that moves net towards zero passes even over the limit', () => {
    // Net long 80 000 elsewhere; shorting AAA brings it down.
    expect(code({ side: 'sell', quantity: 100 }, { netExposure: 80_000 }, limits)).toBeNull();
  });
});

describe('RISK_BUYING_POWER (max leverage)', () => {
  it('maxLeverage 1.5: 150 000 allowed, 150 050 denied', () => {
    expect(code({ side: 'buy', quantity: 3000 }, {}, { maxLeverage: 1.5 })).toBeNull();
    expect(code({ side: 'buy', quantity: 3001 }, {}, { maxLeverage: 1.5 })).toBe('RISK_BUYING_POWER');
  });
});

describe('RISK_MIN_CASH_RESERVE', () => {
  const limits = { minCashReserve: 20_000 };
  it('allows a buy that leaves exactly the reserve, denies one that leaves less', () => {
    // 100 000 − 1600 × 50 = 20 000.
    expect(code({ side: 'buy', quantity: 1600 }, {}, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 1601 }, {}, limits)).toBe('RISK_MIN_CASH_RESERVE');
  });

  it('counts working buys: 30 000 working leave room for 1000 × 50', () => {
    expect(code({ side: 'buy', quantity: 1000 }, { pendingBuyNotional: 30_000 }, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 1001 }, { pendingBuyNotional: 30_000 }, limits)).toBe('RISK_MIN_CASH_RESERVE');
  });

  it('does not judge sells, nor buys that cover a short', () => {
    expect(code({ side: 'sell', quantity: 1000 }, { cash: 0 }, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 100 }, { cash: 0, position: -100 }, limits)).toBeNull();
  });

  it('names cash left and the reserve', () => {
    expect(deny({ side: 'buy', quantity: 1601 }, {}, limits)?.message).toBe('buy 1601 AAA at ~50 would leave 19950.00 of cash; reserve is 20000.00');
  });
});
