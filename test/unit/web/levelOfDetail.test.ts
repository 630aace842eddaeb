// The price chart's level of detail: candles of k bars exact against a bar-by-bar fold, the level chosen from the
// bars in view and the pixels (with hysteresis at the boundaries), overlays sampled and fills placed on the
// candle holding them, the last candle following live bars, the window handed to the chart and when it moves.

import { describe, expect, it } from 'vitest';
import { barAt, barsOf, withLive } from '../../../web/src/markets/history.js';
import { barIndexOf, sma, type Bars, type OHLCV } from '../../../web/src/markets/indicators.js';
import { aggregate, barsInView, candleCount, chooseLevel, fillsOnCandles, HYSTERESIS, lastCandle, levelLabel, MAX_LEVEL, MIN_WINDOW_POINTS, nearWindowEdge, READABLE_BAR_PX, sampleToCandles, toBar, toCandle, windowAround, windowPoints, WINDOW_POINTS, WINDOW_VIEWS } from '../../../web/src/markets/levelOfDetail.js';

const bars = (rows: readonly OHLCV[]): Bars => barsOf({ ts: rows.map((b) => b.ts), open: rows.map((b) => b.open), high: rows.map((b) => b.high), low: rows.map((b) => b.low), close: rows.map((b) => b.close), volume: rows.map((b) => b.volume) });
const rows = (b: Bars): OHLCV[] => Array.from({ length: b.length }, (_, i) => barAt(b, i));

/** A random walk of n 1m bars (seeded), with gaps now and then. */
function walk(n: number, seed = 7): OHLCV[] {
  let s = seed;
  const rnd = (): number => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const out: OHLCV[] = [];
  let t = 1_600_000_000_000;
  let price = 100;
  for (let i = 0; i < n; i++) {
    t += rnd() < 0.05 ? 3_600_000 : 60_000;
    const open = price;
    price = Math.max(1, price + (rnd() - 0.5) * 2);
    const high = Math.max(open, price) + rnd();
    const low = Math.min(open, price) - rnd();
    out.push({ ts: t, open, high, low, close: price, volume: Math.floor(rnd() * 1000) });
  }
  return out;
}

/** One candle of bars [from, to), folded bar by bar: what aggregate must give. */
function fold(all: readonly OHLCV[], from: number, to: number): OHLCV {
  const part = all.slice(from, to);
  return { ts: part[0]!.ts, open: part[0]!.open, high: Math.max(...part.map((b) => b.high)), low: Math.min(...part.map((b) => b.low)), close: part[part.length - 1]!.close, volume: part.reduce((a, b) => a + b.volume, 0) };
}

describe('aggregate', () => {
  it('merges k consecutive bars from the first: first time and open, max high, min low, last close, summed volume', () => {
    const all = walk(1_003);
    const b = bars(all);
    for (const k of [2, 4, 32, 1_024]) {
      const c = aggregate(b, k);
      expect(c.length).toBe(Math.ceil(1_003 / k));
      expect(candleCount(1_003, k)).toBe(c.length);
      const want = Array.from({ length: c.length }, (_, i) => fold(all, i * k, Math.min(all.length, (i + 1) * k)));
      expect(rows(c)).toEqual(want);
    }
  });

  it('is the bars themselves at level 1, and nothing of nothing', () => {
    const b = bars(walk(10));
    expect(aggregate(b, 1)).toBe(b);
    expect(aggregate(bars([]), 8).length).toBe(0);
  });

  it('the last candle may hold fewer bars: 5 bars at k = 4 make a full candle and one of the fifth bar', () => {
    const all = walk(5);
    const c = rows(aggregate(bars(all), 4));
    expect(c).toEqual([fold(all, 0, 4), all[4]]);
  });
});

describe('lastCandle and live bars', () => {
  it('a live bar updates the last candle while it has room and starts a new one after k bars', () => {
    const all = walk(64);
    const loaded = bars(all.slice(0, 62));
    const k = 32;
    // Bar 62 joins the second candle [32, 64): the same time, its high/low/close/volume follow.
    let now = withLive(loaded, [all[62]!]);
    expect(lastCandle(now, k)).toEqual(fold(all, 32, 63));
    expect(lastCandle(now, k)).toEqual(rows(aggregate(now, k))[1]);
    // The forming bar 62 changes (same time): the candle follows it, not both versions.
    const formed = { ...all[62]!, high: all[62]!.high + 50, close: all[62]!.close + 1, volume: 7 };
    now = withLive(loaded, [all[62]!, formed]);
    expect(lastCandle(now, k)).toEqual(fold([...all.slice(0, 62), formed], 32, 63));
    // Bars 63 then 64: 63 completes the candle, 64 opens a third one of one bar.
    const next: OHLCV = { ts: all[63]!.ts + 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 };
    now = withLive(loaded, [all[62]!, all[63]!, next]);
    expect(candleCount(now.length, k)).toBe(3);
    expect(lastCandle(now, k)).toEqual(next);
    expect(rows(aggregate(now, k))[1]).toEqual(fold(all, 32, 64));
  });

  it('is the bar itself at level 1, and null without bars', () => {
    const all = walk(3);
    expect(lastCandle(bars(all), 1)).toEqual(all[2]);
    expect(lastCandle(bars([]), 4)).toBeNull();
  });
});

describe('chooseLevel', () => {
  const width = 1_000;
  const readable = width / READABLE_BAR_PX; // 250 bars fit readably

  it('shows real bars while they fit readably, and the smallest power of 2 that makes candles readable beyond', () => {
    expect(chooseLevel(100, width, 1)).toBe(1);
    expect(chooseLevel(readable, width, 1)).toBe(1);
    expect(chooseLevel(readable * 3, width, 1)).toBe(4);
    expect(chooseLevel(120_000, 1_280, 1)).toBe(512); // 120k bars on 1280 px: 375 bars per readable candle
    expect(chooseLevel(1e12, width, 1)).toBe(MAX_LEVEL);
  });

  it('keeps the level within its hysteresis band around each boundary, and leaves it past the band', () => {
    // At level 8 (readable for 1,001-2,000 bars), zooming out: kept up to 25% past the boundary.
    expect(chooseLevel(readable * 8, width, 8)).toBe(8);
    expect(chooseLevel(readable * 8 * (1 + HYSTERESIS), width, 8)).toBe(8);
    expect(chooseLevel(readable * 8 * (1 + HYSTERESIS) + 1, width, 8)).toBe(16);
    // Zooming in: kept until candles are 2·(1 + HYSTERESIS) times the readable width.
    expect(chooseLevel((readable * 4) / (1 + HYSTERESIS) + 1, width, 8)).toBe(8);
    expect(chooseLevel((readable * 4) / (1 + HYSTERESIS), width, 8)).toBe(4);
    // From 16 the same view gives 16 (no swap back): the bands overlap.
    expect(chooseLevel(readable * 8 * (1 + HYSTERESIS) + 1, width, 16)).toBe(16);
    expect(chooseLevel(readable * 8, width, 16)).toBe(16);
    // Real bars are kept until 25% more than fit are in view; a big zoom out jumps levels at once.
    expect(chooseLevel(readable * (1 + HYSTERESIS), width, 1)).toBe(1);
    expect(chooseLevel(readable * (1 + HYSTERESIS) + 1, width, 1)).toBe(2);
    expect(chooseLevel(readable * 100, width, 1)).toBe(128);
    expect(chooseLevel(10, width, 512)).toBe(1);
  });

  it('counts the bars in view, not the blank space past either end of them', () => {
    expect(barsInView({ from: 10.5, to: 20.5 }, 100)).toBe(10);
    expect(barsInView({ from: -500, to: 2_000 }, 122)).toBe(122);
    expect(barsInView({ from: 90.5, to: 300 }, 100)).toBe(9);
    expect(barsInView({ from: 200, to: 300 }, 100)).toBe(0);
    // Zoomed far out past a short history: its bars stay real bars.
    expect(chooseLevel(barsInView({ from: -1_000, to: 1_500 }, 122), 950, 1)).toBe(1);
  });

  it('keeps the level without a width or a view', () => {
    expect(chooseLevel(1_000, 0, 4)).toBe(4);
    expect(chooseLevel(0, 1_000, 4)).toBe(4);
  });
});

describe('overlays and fills on candles', () => {
  it('samples an overlay of the real bars at each candle\'s last bar, so that it means the same at every zoom', () => {
    const all = walk(100);
    const b = bars(all);
    const values = sma(b.close, 20);
    const k = 8;
    const s = sampleToCandles(values, k, { from: 0, to: candleCount(100, k) });
    expect(s.length).toBe(13);
    expect(Number.isNaN(s[1])).toBe(true); // bars 8..15: still warming up
    expect(s[2]).toBe(values[23]);
    expect(s[12]).toBe(values[99]); // the last candle holds bars 96..99
    // A window of candles: the same values at the same candles.
    expect(Array.from(sampleToCandles(values, k, { from: 5, to: 9 }))).toEqual(Array.from(s.subarray(5, 9)));
    expect(Array.from(sampleToCandles(values, 1, { from: 0, to: 100 }))).toEqual(Array.from(values));
  });

  it('marks each fill at the candle holding its bar, only when that candle is handed to the chart', () => {
    const all = walk(100);
    const b = bars(all);
    const fills = [0, 7, 8, 63, 99].map((i) => ({ at: barIndexOf(b.ts, all[i]!.ts + 30_000, 60_000), side: 'buy' as const }));
    expect(fills.map((f) => f.at)).toEqual([0, 7, 8, 63, 99]);
    expect(fillsOnCandles(fills, 8, { from: 0, to: 13 }).map((f) => f.candle)).toEqual([0, 0, 1, 7, 12]);
    expect(fillsOnCandles(fills, 8, { from: 1, to: 8 }).map((f) => f.candle)).toEqual([1, 7]);
    expect(fillsOnCandles(fills, 1, { from: 0, to: 100 }).map((f) => f.candle)).toEqual([0, 7, 8, 63, 99]);
    // The candle's time is its first bar's: where the marker goes.
    const c = aggregate(b, 8);
    expect(c.ts[fillsOnCandles(fills, 8, { from: 0, to: 13 })[3]!.candle]).toBe(all[56]!.ts);
  });
});

describe('the window handed to the chart', () => {
  it('is everything that fits, else WINDOW_POINTS candles centred on the view, inside the data', () => {
    expect(windowAround(5_000, { from: 10, to: 20 })).toEqual({ from: 0, to: 5_000 });
    expect(windowAround(120_000, { from: 60_000, to: 60_200 })).toEqual({ from: 60_100 - WINDOW_POINTS / 2, to: 60_100 + WINDOW_POINTS / 2 });
    expect(windowAround(120_000, { from: 119_800, to: 120_010 })).toEqual({ from: 120_000 - WINDOW_POINTS, to: 120_000 });
    expect(windowAround(120_000, { from: -30, to: 200 })).toEqual({ from: 0, to: WINDOW_POINTS });
  });

  it('holds WINDOW_VIEWS views, at least MIN_WINDOW_POINTS and at most WINDOW_POINTS points', () => {
    expect(windowPoints(300)).toBe(300 * WINDOW_VIEWS);
    expect(windowPoints(10)).toBe(MIN_WINDOW_POINTS);
    expect(windowPoints(5_000)).toBe(WINDOW_POINTS);
    expect(windowAround(120_000, { from: 60_000, to: 60_300 }, windowPoints(300))).toEqual({ from: 60_150 - 2_400, to: 60_150 + 2_400 });
  });

  it('moves when the view comes within a view (at most an eighth of the window) of an edge that is not the data\'s', () => {
    const shown = { from: 50_000, to: 60_000 };
    expect(nearWindowEdge(shown, 120_000, { from: 54_000, to: 54_300 })).toBe(false);
    expect(nearWindowEdge(shown, 120_000, { from: 50_200, to: 50_500 })).toBe(true);
    expect(nearWindowEdge(shown, 120_000, { from: 59_500, to: 59_800 })).toBe(true);
    // The data's own edges: nothing more to show there.
    expect(nearWindowEdge({ from: 0, to: 10_000 }, 120_000, { from: 10, to: 300 })).toBe(false);
    expect(nearWindowEdge({ from: 110_000, to: 120_000 }, 120_000, { from: 119_800, to: 120_050 })).toBe(false);
    // A window freshly centred on the view never asks to move at once.
    const view = { from: 70_000, to: 70_400 };
    expect(nearWindowEdge(windowAround(120_000, view), 120_000, view)).toBe(false);
  });

  it('maps bar positions to candle positions and back, bar centres to candle centres', () => {
    expect(toCandle(0, 1)).toBe(0);
    expect(toCandle(3.5, 8)).toBe(0); // bars 0..7: centre 3.5
    expect(toCandle(11.5, 8)).toBe(1);
    for (const x of [-10, 0, 17.25, 1e5]) expect(toBar(toCandle(x, 32), 32)).toBeCloseTo(x, 9);
  });
});

describe('levelLabel', () => {
  it('says how many bars a candle stands for and their time span', () => {
    expect(levelLabel(1, 60_000)).toBe('1 candle = 1 bar');
    expect(levelLabel(32, 60_000)).toBe('1 candle = 32 bars (32m)');
    expect(levelLabel(64, 60_000)).toBe('1 candle = 64 bars (64m)');
    expect(levelLabel(128, 60_000)).toBe('1 candle = 128 bars (≈2.1h)');
    expect(levelLabel(1_024, 60_000)).toBe('1 candle = 1,024 bars (≈17.1h)');
    expect(levelLabel(4, 3_600_000)).toBe('1 candle = 4 bars (4h)');
    expect(levelLabel(512, 86_400_000)).toBe('1 candle = 512 bars (512d)');
    expect(levelLabel(2, 30_000)).toBe('1 candle = 2 bars (1m)');
  });
});
