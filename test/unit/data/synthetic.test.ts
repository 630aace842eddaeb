import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBarsCsv } from '../../../src/data/csv/index.js';
import { generateSyntheticBars, writeBarsCsv } from '../../../src/data/synthetic.js';
import { errorOf, utc } from './csv/helpers.js';

describe('generateSyntheticBars', () => {
  it('is a pure function of its seed', () => {
    const a = generateSyntheticBars({ symbol: 'SYN', bars: 500, seed: 42 });
    const b = generateSyntheticBars({ symbol: 'SYN', bars: 500, seed: 42 });
    const c = generateSyntheticBars({ symbol: 'SYN', bars: 500, seed: 43 });
    expect(b).toEqual(a);
    expect([...c.close]).not.toEqual([...a.close]);
  });

  it('makes valid bars: high ≥ max(open, close), low ≤ min(open, close), positive prices, whole positive volume', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 6 }), fc.constantFrom('1m', '5m', '1h', '1d', '1w'), (seed, decimals, timeframe) => {
        const s = generateSyntheticBars({ symbol: 'P', bars: 200, seed, priceDecimals: decimals, timeframe, startPrice: 50 });
        const scale = 10 ** decimals;
        for (let i = 0; i < s.length; i++) {
          const [o, h, l, c, v] = [s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!, s.volume[i]!];
          expect(h).toBeGreaterThanOrEqual(Math.max(o, c));
          expect(l).toBeLessThanOrEqual(Math.min(o, c));
          expect(l).toBeGreaterThan(0);
          expect(Number.isInteger(v) && v > 0).toBe(true);
          for (const p of [o, h, l, c]) expect(Math.round(p * scale) / scale).toBe(p);
          if (i > 0) expect(s.ts[i]!).toBeGreaterThan(s.ts[i - 1]!);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('puts daily bars on weekdays at 00:00 UTC, from the first weekday at or after start', () => {
    const s = generateSyntheticBars({ symbol: 'D', bars: 10, seed: 1, start: utc('2024-01-06T15:00:00Z') });
    expect(s.ts[0]).toBe(utc('2024-01-08T00:00:00Z'));
    for (const t of s.ts) {
      expect(t % 86_400_000).toBe(0);
      expect([1, 2, 3, 4, 5]).toContain(new Date(t).getUTCDay());
    }
    expect(s.timeframe).toBe('1d');
    expect(s.priceDecimals).toBe(2);
  });

  it('spaces intraday bars every interval from start', () => {
    const start = utc('2024-01-06T15:00:00Z');
    const s = generateSyntheticBars({ symbol: 'I', bars: 5, seed: 1, start, timeframe: '15m' });
    expect([...s.ts]).toEqual([0, 1, 2, 3, 4].map((i) => start + i * 900_000));
  });

  it('rejects impossible options', () => {
    expect(errorOf(() => generateSyntheticBars({ symbol: 'X', bars: -1, seed: 1 })).code).toBe('PI5_ERR_BAD_USAGE');
    expect(errorOf(() => generateSyntheticBars({ symbol: 'X', bars: 1, seed: 1, timeframe: 'daily' })).code).toBe('PI5_ERR_BAD_USAGE');
    expect(errorOf(() => generateSyntheticBars({ symbol: 'X', bars: 1, seed: 1, priceDecimals: 9 })).code).toBe('PI5_ERR_BAD_USAGE');
  });
});

describe('writeBarsCsv', () => {
  it('writes ISO dates for daily bars and prices with exactly priceDecimals decimals', () => {
    const s = generateSyntheticBars({ symbol: 'W', bars: 2, seed: 7, priceDecimals: 3 });
    const lines = writeBarsCsv(s).trimEnd().split('\n');
    expect(lines[0]).toBe('Date,Open,High,Low,Close,Volume');
    expect(lines[1]).toMatch(/^2020-01-01,\d+\.\d{3},\d+\.\d{3},\d+\.\d{3},\d+\.\d{3},\d+$/);
  });

  it('writes up to maxDecimals where a price needs them, never fewer than priceDecimals', () => {
    const s = generateSyntheticBars({ symbol: 'W', bars: 1, seed: 7, priceDecimals: 2 });
    s.open[0] = 57.35;
    s.high[0] = 58.5425;
    s.low[0] = 57.2;
    s.close[0] = 58;
    expect(writeBarsCsv(s, { maxDecimals: 6 }).split('\n')[1]).toMatch(/^2020-01-01,57\.35,58\.5425,57\.20,58\.00,\d+$/);
    const whole = generateSyntheticBars({ symbol: 'W', bars: 1, seed: 7, priceDecimals: 0 });
    whole.open[0] = 12;
    whole.high[0] = 12.5;
    whole.low[0] = 11.25;
    whole.close[0] = 12.0001;
    expect(writeBarsCsv(whole, { maxDecimals: 4 }).split('\n')[1]).toMatch(/^2020-01-01,12,12\.5,11\.25,12\.0001,\d+$/);
  });

  it('writes intraday bars as YYYY-MM-DD HH:MM:SS in UTC', () => {
    const s = generateSyntheticBars({ symbol: 'W', bars: 2, seed: 7, timeframe: '5m', start: utc('2024-01-02T14:30:00Z') });
    expect(writeBarsCsv(s).split('\n')[2]?.slice(0, 19)).toBe('2024-01-02 14:35:00');
  });

  it('round-trips exactly through parseBarsCsv', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom('1m', '5m', '1h', '1d', '1w', '1M'),
        fc.double({ min: 0.01, max: 5000, noNaN: true }),
        (seed, priceDecimals, timeframe, startPrice) => {
          const s = generateSyntheticBars({ symbol: 'RT', bars: 60, seed, priceDecimals, timeframe, startPrice });
          const back = parseBarsCsv(writeBarsCsv(s), { source: 'RT.csv' });
          expect(back.timeframe).toBe(s.timeframe);
          expect(back.priceDecimals).toBe(s.priceDecimals);
          for (const key of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) expect([...back[key]]).toEqual([...s[key]]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
