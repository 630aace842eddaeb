// The dashboard's state logic: hash routes, the bounded live equity series, theme cycling, plain words for
// rejections and errors.

import { describe, expect, it } from 'vitest';
import { hrefOf, parseHash } from '../../../web/src/router.js';
import { BoundedSeries } from '../../../web/src/series.js';
import { applyTheme, nextTheme, savedTheme, saveTheme } from '../../../web/src/theme.js';
import { apiErrorInWords, rejectionInWords } from '../../../web/src/words.js';

describe('hash routes', () => {
  it('parses paths and parameters; unknown or empty is the overview', () => {
    expect(parseHash('#/markets?symbol=DEMOA&tf=1d')).toEqual({ path: 'markets', params: { symbol: 'DEMOA', tf: '1d' } });
    expect(parseHash('')).toEqual({ path: 'overview', params: {} });
    expect(parseHash('#/nope')).toEqual({ path: 'overview', params: {} });
    expect(parseHash('#orders')).toEqual({ path: 'orders', params: {} });
  });

  it('builds links that parse back', () => {
    const href = hrefOf('markets', { symbol: 'A B' });
    expect(parseHash(href)).toEqual({ path: 'markets', params: { symbol: 'A B' } });
    expect(hrefOf('risk')).toBe('#/risk');
  });
});

describe('bounded equity series', () => {
  it('keeps time order, one point per time, and drops the oldest past the cap', () => {
    const s = new BoundedSeries(3);
    s.reset([
      { time: 3, value: 30 },
      { time: 1, value: 10 },
      { time: 3, value: 31 },
      { time: 2, value: 20 },
    ]);
    expect(s.all()).toEqual([
      { time: 1, value: 10 },
      { time: 2, value: 20 },
      { time: 3, value: 31 },
    ]);
    expect(s.push({ time: 2, value: 99 })).toBe('ignore');
    expect(s.push({ time: 3, value: 32 })).toBe('replace');
    expect(s.push({ time: 4, value: 40 })).toBe('append');
    expect(s.all().map((p) => p.time)).toEqual([2, 3, 4]);
    expect(s.last()).toEqual({ time: 4, value: 40 });
    expect(s.length).toBe(3);
  });
});

describe('theme', () => {
  it('cycles system → dark → light and stores only an explicit choice', () => {
    const m = new Map<string, string>();
    const store = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
    expect(savedTheme(store)).toBe('system');
    saveTheme(nextTheme('system'), store);
    expect(savedTheme(store)).toBe('dark');
    saveTheme(nextTheme('dark'), store);
    expect(savedTheme(store)).toBe('light');
    saveTheme(nextTheme('light'), store);
    expect(m.size).toBe(0);
    const attrs = new Map<string, string>();
    const el = { setAttribute: (k: string, v: string) => void attrs.set(k, v), removeAttribute: (k: string) => void attrs.delete(k) };
    applyTheme('dark', el);
    expect(attrs.get('data-theme')).toBe('dark');
    applyTheme('system', el);
    expect(attrs.has('data-theme')).toBe(false);
  });
});

describe('plain words', () => {
  it('explains risk rejection codes and keeps the detail', () => {
    expect(rejectionInWords('RISK_BUYING_POWER: needs 10000.00, has 50.00')).toBe('Not enough buying power for this order. (needs 10000.00, has 50.00)');
    expect(rejectionInWords('RISK_KILL_SWITCH')).toMatch(/kill switch is tripped/);
    expect(rejectionInWords('parent #3 canceled')).toBe('parent #3 canceled');
    expect(rejectionInWords(null)).toBe('');
    const sim = 'time in force CLS (auction order) is for broker venues (alpaca); the simulated exchange has no opening or closing auction';
    expect(rejectionInWords(sim)).toBe(`This venue does not take CLS orders (they trade in the closing auction): choose DAY or GTC, or trade CLS at a broker that has auctions, such as Alpaca. (${sim})`);
    expect(rejectionInWords('INVALID_ORDER: IB venue: time in force OPG (auction orders) is not supported here; use DAY or GTC')).toMatch(/^This venue does not take OPG orders \(they trade in the opening auction\)/);
  });

  it('prefers the server message, adds words for a nested risk code, falls back to the code', () => {
    expect(apiErrorInWords('PI5_ERR_CONFLICT', 'order 4 (working) was not modified: RISK_MAX_POSITION_QTY qty 900 > 500')).toMatch(/^The position would be larger than the per-position quantity limit\. \(order 4/);
    expect(apiErrorInWords('PI5_ERR_FORBIDDEN', '')).toBe('Your role does not allow this.');
    expect(apiErrorInWords('PI5_ERR_WHATEVER', undefined)).toBe('PI5_ERR_WHATEVER');
  });
});
