// Per-symbol position checks at and around each limit: max quantity, max notional and the number of symbols
// held; orders that only reduce a position pass them all.

import { describe, expect, it } from 'vitest';
import { code, deny } from './checkHelpers.js';

describe('RISK_MAX_POSITION_QTY', () => {
  const limits = { maxPositionQty: 500 };
  it('allows a position of exactly the limit and denies one share more', () => {
    expect(code({ side: 'buy', quantity: 500 }, {}, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 501 }, {}, limits)).toBe('RISK_MAX_POSITION_QTY');
  });

  it('counts the position and working buys: long 300 + 150 working + 50 = 500 allowed, 51 denied', () => {
    expect(code({ side: 'buy', quantity: 50 }, { position: 300, pendingBuy: 150 }, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 51 }, { position: 300, pendingBuy: 150 }, limits)).toBe('RISK_MAX_POSITION_QTY');
  });

  it('applies to shorts by absolute size', () => {
    expect(code({ side: 'sell', quantity: 500 }, {}, limits)).toBeNull();
    expect(code({ side: 'sell', quantity: 501 }, {}, limits)).toBe('RISK_MAX_POSITION_QTY');
  });

  it('lets a reducing order through even when the position is over the limit', () => {
    expect(code({ side: 'sell', quantity: 100 }, { position: 900 }, limits)).toBeNull();
  });

  it('names the position and the limit', () => {
    expect(deny({ side: 'buy', quantity: 501 }, {}, limits)?.message).toBe('buy 501 AAA would leave a position of 501; limit is 500');
  });
});

describe('RISK_MAX_POSITION_NOTIONAL', () => {
  const limits = { maxPositionNotional: 25_000 };
  it('allows 500 × 50 = 25 000 exactly and denies 501 × 50 = 25 050', () => {
    expect(code({ side: 'buy', quantity: 500 }, {}, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 501 }, {}, limits)).toBe('RISK_MAX_POSITION_NOTIONAL');
  });

  it('prices a limit order at its limit: 625 × 40 = 25 000 allowed, 626 denied', () => {
    expect(code({ side: 'buy', quantity: 625, type: 'limit', limitPrice: 40 }, {}, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 626, type: 'limit', limitPrice: 40 }, {}, limits)).toBe('RISK_MAX_POSITION_NOTIONAL');
  });

  it('names value and limit', () => {
    expect(deny({ side: 'buy', quantity: 501 }, {}, limits)?.message).toBe('buy 501 AAA at ~50 would leave a position worth 25050.00; limit is 25000.00');
  });
});

describe('RISK_MAX_POSITIONS', () => {
  const limits = { maxPositions: 3 };
  it('opens a new symbol while fewer than the limit are held, not when the limit is held', () => {
    expect(code({ side: 'buy', quantity: 1 }, { otherPositions: 2 }, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 1 }, { otherPositions: 3 }, limits)).toBe('RISK_MAX_POSITIONS');
  });

  it('adding to a held symbol needs no free slot', () => {
    expect(code({ side: 'buy', quantity: 1 }, { otherPositions: 3, position: 10 }, limits)).toBeNull();
  });

  it('closing is always allowed', () => {
    expect(code({ side: 'sell', quantity: 10 }, { otherPositions: 5, position: 10 }, limits)).toBeNull();
  });
});

describe('RISK_SHORT_NOT_ALLOWED', () => {
  it('stops at flat: sell 100 of a long 100 allowed, 101 denied', () => {
    expect(code({ side: 'sell', quantity: 100 }, { position: 100 }, { allowShort: false })).toBeNull();
    expect(code({ side: 'sell', quantity: 101 }, { position: 100 }, { allowShort: false })).toBe('RISK_SHORT_NOT_ALLOWED');
  });
});
