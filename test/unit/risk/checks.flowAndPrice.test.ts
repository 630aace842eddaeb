// Order-flow and price checks at and around each limit: order rate, orders per day, max open orders, the
// restricted list, the fat-finger price band, the minimum price and trading hours.

import { describe, expect, it } from 'vitest';
import { OrderCounter } from '../../../src/risk/trackers.js';
import { code, deny } from './checkHelpers.js';

describe('RISK_ORDER_RATE', () => {
  it('per second: 4 orders in the last second leave room for the 5th of 5; the 6th is denied', () => {
    expect(code({ side: 'buy', quantity: 1 }, { ordersLastSecond: 4 }, { maxOrdersPerSecond: 5 })).toBeNull();
    expect(code({ side: 'buy', quantity: 1 }, { ordersLastSecond: 5 }, { maxOrdersPerSecond: 5 })).toBe('RISK_ORDER_RATE');
  });

  it('per minute, with its own message', () => {
    expect(code({ side: 'buy', quantity: 1 }, { ordersLastMinute: 59 }, { maxOrdersPerMinute: 60 })).toBeNull();
    expect(deny({ side: 'buy', quantity: 1 }, { ordersLastMinute: 60 }, { maxOrdersPerMinute: 60 })?.message).toBe(
      '60 orders in the last minute; limit is 60 per minute',
    );
  });

  it('lets reducing orders through', () => {
    expect(code({ side: 'sell', quantity: 1 }, { position: 10, ordersLastSecond: 99 }, { maxOrdersPerSecond: 5 })).toBeNull();
  });

  it('OrderCounter counts by the kernel clock: (now − 1 s, now] and (now − 60 s, now]', () => {
    const c = new OrderCounter('UTC');
    const t = Date.UTC(2024, 0, 2, 10);
    c.record(t - 60_000); // out of the minute window at t
    c.record(t - 59_999);
    c.record(t - 1000); // out of the second window at t
    c.record(t - 999);
    c.record(t);
    expect(c.counts(t)).toEqual({ lastSecond: 2, lastMinute: 4, today: 5 });
  });
});

describe('RISK_MAX_ORDERS_PER_DAY', () => {
  it('the 100th order of the day is allowed, the 101st denied', () => {
    expect(code({ side: 'buy', quantity: 1 }, { ordersToday: 99 }, { maxOrdersPerDay: 100 })).toBeNull();
    expect(code({ side: 'buy', quantity: 1 }, { ordersToday: 100 }, { maxOrdersPerDay: 100 })).toBe('RISK_MAX_ORDERS_PER_DAY');
  });

  it('the count restarts at midnight of the configured zone', () => {
    const c = new OrderCounter('America/New_York');
    // 2024-01-02 23:00 New York is 04:00 UTC on the 3rd; midnight New York is 05:00 UTC.
    c.record(Date.UTC(2024, 0, 3, 4));
    expect(c.counts(Date.UTC(2024, 0, 3, 4, 30)).today).toBe(1);
    expect(c.counts(Date.UTC(2024, 0, 3, 5)).today).toBe(0);
  });
});

describe('RISK_MAX_OPEN_ORDERS', () => {
  it('denies at the limit, allows one below', () => {
    expect(code({ side: 'buy', quantity: 1 }, { openOrders: 9 }, { maxOpenOrders: 10 })).toBeNull();
    expect(code({ side: 'buy', quantity: 1 }, { openOrders: 10 }, { maxOpenOrders: 10 })).toBe('RISK_MAX_OPEN_ORDERS');
  });
});

describe('RISK_RESTRICTED_SYMBOL', () => {
  const limits = { restrictedSymbols: ['AAA'] };
  it('denies opening or adding, allows reducing, ignores other symbols', () => {
    expect(code({ side: 'buy', quantity: 1 }, {}, limits)).toBe('RISK_RESTRICTED_SYMBOL');
    expect(code({ side: 'sell', quantity: 10 }, { position: 10 }, limits)).toBeNull();
    expect(code({ symbol: 'BBB', side: 'buy', quantity: 1 }, {}, limits)).toBeNull();
  });
});

describe('RISK_PRICE_BAND', () => {
  const limits = { priceBandPct: 10 };
  it('a limit exactly 10% from the last price (50 → 55 or 45) passes; 55.01 and 44.99 are denied', () => {
    expect(code({ side: 'buy', quantity: 1, type: 'limit', limitPrice: 55 }, {}, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 1, type: 'limit', limitPrice: 45 }, {}, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 1, type: 'limit', limitPrice: 55.01 }, {}, limits)).toBe('RISK_PRICE_BAND');
    expect(code({ side: 'sell', quantity: 1, type: 'limit', limitPrice: 44.99 }, {}, limits)).toBe('RISK_PRICE_BAND');
  });

  it('judges stop prices too, and reducing orders as well', () => {
    expect(code({ side: 'sell', quantity: 10, type: 'stop', stopPrice: 40 }, { position: 10 }, limits)).toBe('RISK_PRICE_BAND');
  });

  it('leaves market orders and unknown last prices alone', () => {
    expect(code({ side: 'buy', quantity: 1 }, {}, limits)).toBeNull();
    expect(code({ side: 'buy', quantity: 1, type: 'limit', limitPrice: 500 }, { price: NaN }, limits)).toBeNull();
  });

  it('names the price, its distance and the band', () => {
    expect(deny({ side: 'buy', quantity: 1, type: 'limit', limitPrice: 60 }, {}, limits)?.message).toBe(
      'buy 1 AAA: limit 60 is 20.00% from the last price 50; band is ±10%',
    );
  });
});

describe('RISK_MIN_PRICE', () => {
  it('a last price exactly at the minimum passes, below is denied; reducing passes', () => {
    expect(code({ side: 'buy', quantity: 1 }, { price: 5 }, { minPrice: 5 })).toBeNull();
    expect(code({ side: 'buy', quantity: 1 }, { price: 4.99 }, { minPrice: 5 })).toBe('RISK_MIN_PRICE');
    expect(code({ side: 'sell', quantity: 1 }, { price: 4.99, position: 1 }, { minPrice: 5 })).toBeNull();
  });
});

describe('RISK_TRADING_HOURS', () => {
  const regular = { tradingHours: { startMin: 570, endMin: 960, timeZone: 'America/New_York', weekdaysOnly: true } };
  const at = (iso: string): string | null => code({ side: 'buy', quantity: 1 }, { now: Date.parse(iso) }, regular);
  it('09:30 New York is inside, 09:29 outside; 15:59 inside, 16:00 (end, exclusive) outside', () => {
    expect(at('2024-01-02T14:30:00Z')).toBeNull();
    expect(at('2024-01-02T14:29:00Z')).toBe('RISK_TRADING_HOURS');
    expect(at('2024-01-02T20:59:00Z')).toBeNull();
    expect(at('2024-01-02T21:00:00Z')).toBe('RISK_TRADING_HOURS');
  });

  it('follows daylight saving time (09:30 EDT = 13:30 UTC) and denies weekends', () => {
    expect(at('2024-07-02T13:30:00Z')).toBeNull();
    expect(at('2024-01-06T15:00:00Z')).toBe('RISK_TRADING_HOURS');
  });

  it('uses the instrument zone when the window names none, and applies to reducing orders', () => {
    const noZone = { tradingHours: { startMin: 570, endMin: 960, weekdaysOnly: false } };
    expect(code({ side: 'sell', quantity: 1 }, { position: 1, now: Date.parse('2024-01-02T16:30:00Z'), timeZone: 'America/New_York' }, noZone)).toBeNull();
    expect(code({ side: 'sell', quantity: 1 }, { position: 1, now: Date.parse('2024-01-02T16:30:00Z'), timeZone: 'UTC' }, noZone)).toBe('RISK_TRADING_HOURS');
  });

  it('names the local time and the window', () => {
    expect(deny({ side: 'buy', quantity: 1 }, { now: Date.parse('2024-01-06T15:00:00Z') }, regular)?.message).toBe(
      'buy 1 AAA at 10:00 on a weekend America/New_York is outside trading hours 09:30–16:00',
    );
  });
});
