// Chart overlays against hand-computed values, and placing fills on their bars.

import { describe, expect, it } from 'vitest';
import { barsOf } from '../../../web/src/markets/history.js';
import { barIndexOf, bollinger, ema, sma, timeframeMs, vwap, type OHLCV } from '../../../web/src/markets/indicators.js';

const close = [1, 2, 3, 4, 5, 6];

describe('chart overlays', () => {
  it('SMA and EMA warm up with NaN, then follow their definitions', () => {
    expect(Array.from(sma(close, 3))).toEqual([NaN, NaN, 2, 3, 4, 5]);
    // EMA(3): seeded with SMA(1,2,3)=2, then k=0.5: 0.5*4+0.5*2=3, 0.5*5+0.5*3=4, 0.5*6+0.5*4=5
    expect(Array.from(ema(close, 3))).toEqual([NaN, NaN, 2, 3, 4, 5]);
    expect(Array.from(ema([2, 4, 8], 2))).toEqual([NaN, 3, 8 * (2 / 3) + 3 * (1 / 3)]);
  });

  it('Bollinger bands use the population standard deviation', () => {
    const bb = bollinger([2, 4, 4, 4, 5, 5, 7, 9], 8, 2);
    // mean 5, population sd 2
    expect(bb.mid[7]).toBe(5);
    expect(bb.upper[7]).toBe(9);
    expect(bb.lower[7]).toBe(1);
    expect(bb.upper[6]).toBeNaN();
  });

  it('VWAP weighs the typical price by volume, restarting each day for intraday bars', () => {
    const day = 86_400_000;
    const bar = (ts: number, p: number, v: number): OHLCV => ({ ts, open: p, high: p, low: p, close: p, volume: v });
    const cols = (rows: OHLCV[]) => barsOf({ ts: rows.map((b) => b.ts), open: rows.map((b) => b.open), high: rows.map((b) => b.high), low: rows.map((b) => b.low), close: rows.map((b) => b.close), volume: rows.map((b) => b.volume) });
    const bars = cols([bar(0, 10, 100), bar(60_000, 20, 300), bar(day, 30, 50)]);
    expect(Array.from(vwap(bars, true))).toEqual([10, 17.5, 30]);
    expect(vwap(bars, false)[2]).toBeCloseTo((1000 + 6000 + 1500) / 450, 12);
    expect(Array.from(vwap(cols([bar(0, 10, 0)]), true))).toEqual([NaN]);
  });

  it('places a time on the bar it falls in, or nowhere outside the bars', () => {
    const ts = [0, 100, 200, 300];
    expect(barIndexOf(ts, 150, 100)).toBe(1);
    expect(barIndexOf(ts, 300, 100)).toBe(3);
    expect(barIndexOf(ts, 399, 100)).toBe(3);
    expect(barIndexOf(ts, 400, 100)).toBe(-1);
    expect(barIndexOf(ts, -1, 100)).toBe(-1);
    expect(barIndexOf([], 5, 100)).toBe(-1);
  });

  it('knows timeframe lengths', () => {
    expect(timeframeMs('5m')).toBe(300_000);
    expect(timeframeMs('1d')).toBe(86_400_000);
    expect(timeframeMs('bogus')).toBeNull();
  });
});
