// The Markets chart's paging: older pages joined at their seams without a missing or repeated bar, page sizes,
// the whole history fetched in time slices, and live bars after the loaded ones.

import { describe, expect, it } from 'vitest';
import { barAt, barsInRange, barsOf, FIRST_PAGE, historySlices, joinBars, MAX_PAGE, MAX_SLICES, nextPageSize, NO_BARS, olderPageTo, pushLive, SLICE_BARS, withLive, withOlder, type Growing } from '../../../web/src/markets/history.js';
import type { Bars, OHLCV } from '../../../web/src/markets/indicators.js';

const bar = (ts: number, close = ts): OHLCV => ({ ts, open: close, high: close + 1, low: close - 1, close, volume: 10 });
const bars = (rows: readonly OHLCV[]): Bars => barsOf({ ts: rows.map((b) => b.ts), open: rows.map((b) => b.open), high: rows.map((b) => b.high), low: rows.map((b) => b.low), close: rows.map((b) => b.close), volume: rows.map((b) => b.volume) });
const of = (...ts: number[]): Bars => bars(ts.map((t) => bar(t)));
const times = (b: Bars): number[] => Array.from(b.ts);
const rows = (b: Bars): OHLCV[] => Array.from({ length: b.length }, (_, i) => barAt(b, i));

/** Irregular gaps (weekends, missing minutes) and whole-ms times one apart at a seam. */
function storedBars(n: number): OHLCV[] {
  const out: OHLCV[] = [];
  let t = 1_000;
  for (let i = 0; i < n; i++) {
    t += i % 7 === 0 ? 3 : 1;
    out.push(bar(t));
  }
  return out;
}

/** What `GET /bars` answers: with `from`, the first `limit` bars in [from, to]; without, the last `limit` up to `to`. */
function page(all: readonly OHLCV[], from: number | null, to: number | null, limit: number): Bars {
  const within = all.filter((b) => (from === null || b.ts >= from) && (to === null || b.ts <= to));
  return bars(from === null ? within.slice(Math.max(0, within.length - limit)) : within.slice(0, limit));
}

describe('bar history paging', () => {
  it('pages back through a whole history, irregular times included, to exactly the stored bars', () => {
    const stored = storedBars(2_537);
    let loaded = page(stored, null, null, 100);
    let requests = 1;
    for (;;) {
      const limit = nextPageSize(loaded.length * 100) / 100; // scaled down 100×: the same doubling in small numbers
      const older = page(stored, null, olderPageTo(loaded), limit);
      requests++;
      loaded = withOlder(loaded, older);
      if (older.length < limit) break;
    }
    expect(rows(loaded)).toEqual(stored);
    expect(requests).toBeLessThanOrEqual(7);
  });

  it('cuts the history before the loaded bars into time slices that together hold every bar once', () => {
    const stored = storedBars(250_000);
    const firstTs = stored[0]?.ts as number;
    const loaded = page(stored, null, null, FIRST_PAGE);
    const slices = historySlices(firstTs, olderPageTo(loaded) as number, loaded);
    // 240,000 older bars at about the loaded density: four or five slices of about SLICE_BARS, each within one answer.
    expect(slices.length).toBeGreaterThanOrEqual(240_000 / SLICE_BARS);
    expect(slices.length).toBeLessThanOrEqual(240_000 / SLICE_BARS + 1);
    for (let i = 1; i < slices.length; i++) expect(slices[i]?.from).toBe((slices[i - 1]?.to as number) + 1);
    expect(slices[0]?.from).toBe(firstTs);
    expect(slices[slices.length - 1]?.to).toBe(olderPageTo(loaded));
    const parts = slices.map((s) => page(stored, s.from, s.to, MAX_PAGE));
    for (const p of parts) expect(p.length).toBeLessThan(MAX_PAGE);
    expect(rows(joinBars([...parts, loaded]))).toEqual(stored);
  });

  it('pages on within a slice that holds more than one answer, forwards from `from` or back without it', async () => {
    const stored = storedBars(250_000);
    let requests = 0;
    const get = async (limit: number, from: number | null, to: number | null): Promise<Bars> => {
      requests++;
      return page(stored, from, to, limit);
    };
    const firstTs = stored[0]?.ts as number;
    const to = stored[239_999]?.ts as number;
    expect(rows(await barsInRange(get, firstTs, to))).toEqual(stored.slice(0, 240_000));
    expect(requests).toBe(3);
    requests = 0;
    expect(rows(await barsInRange(get, null, to))).toEqual(stored.slice(0, 240_000));
    expect(requests).toBe(3);
  });

  it('slices at most MAX_SLICES, one when nothing tells the density, none when nothing is older', () => {
    expect(historySlices(0, 1e12, of(1e12 + 1, 1e12 + 2)).length).toBe(MAX_SLICES);
    expect(historySlices(0, 999, of(1000))).toEqual([{ from: 0, to: 999 }]);
    expect(historySlices(1000, 999, of(1000, 1001))).toEqual([]);
  });

  it('drops bars of an overlapping page at the seam and refuses one out of time order', () => {
    const loaded = of(10, 11, 12);
    expect(times(withOlder(loaded, of(7, 8, 9, 10, 11)))).toEqual([7, 8, 9, 10, 11, 12]);
    expect(times(withOlder(loaded, NO_BARS))).toEqual([10, 11, 12]);
    expect(times(withOlder(NO_BARS, of(1, 2)))).toEqual([1, 2]);
    expect(times(joinBars([of(1, 2), NO_BARS, of(2, 3), of(4)]))).toEqual([1, 2, 3, 4]);
    expect(() => withOlder(loaded, of(5, 4))).toThrow(/out of time order at 1/);
    expect(() => withOlder(loaded, of(5, 5))).toThrow(/out of time order/);
  });

  it('asks for as many bars as are loaded, from the first page size to the API limit', () => {
    expect(nextPageSize(0)).toBe(FIRST_PAGE);
    expect(nextPageSize(FIRST_PAGE)).toBe(FIRST_PAGE);
    expect(nextPageSize(3 * FIRST_PAGE)).toBe(3 * FIRST_PAGE);
    expect(nextPageSize(5 * MAX_PAGE)).toBe(MAX_PAGE);
    expect(olderPageTo(NO_BARS)).toBeNull();
    expect(olderPageTo(of(500, 600))).toBe(499);
  });

  it('puts live bars after the loaded ones: the forming bar replaced, a new bar appended, an older one ignored', () => {
    const loaded = bars([bar(1), bar(2), bar(3)]);
    const out = withLive(loaded, [bar(3, 30), bar(3, 31), bar(4, 40), bar(2, 99), bar(4, 41)]);
    expect(rows(out).map((b) => [b.ts, b.close])).toEqual([
      [1, 1],
      [2, 2],
      [3, 31],
      [4, 41],
    ]);
    expect(times(loaded)).toEqual([1, 2, 3]);
    expect(withLive(loaded, [bar(0)])).toBe(loaded);
    expect(times(withLive(NO_BARS, [bar(9)]))).toEqual([9]);
  });

  it('turns the columns answer into typed columns', () => {
    const b = barsOf({ ts: [1, 2], open: [3, 4], high: [5, 6], low: [7, 8], close: [9, 10], volume: [11, 12] });
    expect(b.length).toBe(2);
    expect(b.close).toBeInstanceOf(Float64Array);
    expect(rows(b)).toEqual([
      { ts: 1, open: 3, high: 5, low: 7, close: 9, volume: 11 },
      { ts: 2, open: 4, high: 6, low: 8, close: 10, volume: 12 },
    ]);
  });

  it('puts live bars one at a time as withLive does, in room after the bars, never writing the loaded arrays', () => {
    const loaded = of(10, 20, 30);
    const before = rows(loaded);
    const live = [bar(30, 31), bar(40), bar(40, 41), bar(35), bar(50), ...Array.from({ length: 40 }, (_, i) => bar(60 + i * 10))];
    let g: Growing = { bars: loaded, room: null };
    const rooms = new Set<Bars | null>();
    for (let i = 0; i < live.length; i++) {
      g = pushLive(g, live[i] as OHLCV);
      rooms.add(g.room);
      expect(rows(g.bars)).toEqual(rows(withLive(loaded, live.slice(0, i + 1))));
    }
    expect(rows(loaded)).toEqual(before);
    // 45 live bars in rooms of 16, 32 and 64 bars, not a copy of every bar per live bar.
    expect(rooms.size).toBeLessThanOrEqual(4);
    // An older bar changes nothing.
    expect(pushLive(g, bar(15))).toBe(g);
    expect(rows(pushLive({ bars: NO_BARS, room: null }, bar(5)).bars)).toEqual([bar(5)]);
  });
});
