// The Markets chart's paging: older pages joined at their seams without a missing or repeated bar, page sizes,
// and live bars after the loaded ones.

import { describe, expect, it } from 'vitest';
import { FIRST_PAGE, MAX_PAGE, nextPageSize, olderPageTo, rowsOf, withLive, withOlder } from '../../../web/src/markets/history.js';
import type { OHLCV } from '../../../web/src/markets/indicators.js';

const bar = (ts: number, close = ts): OHLCV => ({ ts, open: close, high: close + 1, low: close - 1, close, volume: 10 });
const times = (bars: readonly OHLCV[]): number[] => bars.map((b) => b.ts);

/** What `GET /bars?to=&limit=` answers: the last `limit` bars at or before `to`. */
function page(all: readonly OHLCV[], to: number | null, limit: number): OHLCV[] {
  const upTo = all.filter((b) => to === null || b.ts <= to);
  return upTo.slice(Math.max(0, upTo.length - limit));
}

describe('bar history paging', () => {
  it('pages back through a whole history, irregular times included, to exactly the stored bars', () => {
    // Irregular gaps (weekends, missing minutes) and whole-ms times one apart at a seam.
    const stored: OHLCV[] = [];
    let t = 1_000;
    for (let i = 0; i < 2_537; i++) {
      t += i % 7 === 0 ? 3 : 1;
      stored.push(bar(t));
    }
    let loaded = page(stored, null, 100);
    let requests = 1;
    for (;;) {
      const limit = nextPageSize(loaded.length * 100) / 100; // scaled down 100×: the same doubling in small numbers
      const older = page(stored, olderPageTo(loaded), limit);
      requests++;
      loaded = withOlder(loaded, older);
      if (older.length < limit) break;
    }
    expect(times(loaded)).toEqual(times(stored));
    expect(requests).toBeLessThanOrEqual(7);
  });

  it('drops bars of an overlapping page at the seam and refuses one out of time order', () => {
    const loaded = [bar(10), bar(11), bar(12)];
    expect(times(withOlder(loaded, [bar(7), bar(8), bar(9), bar(10), bar(11)]))).toEqual([7, 8, 9, 10, 11, 12]);
    expect(times(withOlder(loaded, []))).toEqual([10, 11, 12]);
    expect(times(withOlder([], [bar(1), bar(2)]))).toEqual([1, 2]);
    expect(() => withOlder(loaded, [bar(5), bar(4)])).toThrow(/out of time order at 1/);
    expect(() => withOlder(loaded, [bar(5), bar(5)])).toThrow(/out of time order/);
  });

  it('asks for as many bars as are loaded, from the first page size to the API limit', () => {
    expect(nextPageSize(0)).toBe(FIRST_PAGE);
    expect(nextPageSize(FIRST_PAGE)).toBe(FIRST_PAGE);
    expect(nextPageSize(3 * FIRST_PAGE)).toBe(3 * FIRST_PAGE);
    expect(nextPageSize(5 * MAX_PAGE)).toBe(MAX_PAGE);
    expect(olderPageTo([])).toBeNull();
    expect(olderPageTo([bar(500), bar(600)])).toBe(499);
  });

  it('puts live bars after the loaded ones: the forming bar replaced, a new bar appended, an older one ignored', () => {
    const loaded = [bar(1), bar(2), bar(3)];
    const out = withLive(loaded, [bar(3, 30), bar(3, 31), bar(4, 40), bar(2, 99), bar(4, 41)]);
    expect(out.map((b) => [b.ts, b.close])).toEqual([
      [1, 1],
      [2, 2],
      [3, 31],
      [4, 41],
    ]);
    expect(times(loaded)).toEqual([1, 2, 3]);
    expect(times(withLive([], [bar(9)]))).toEqual([9]);
  });

  it('turns the columns answer into bars', () => {
    expect(rowsOf({ ts: [1, 2], open: [3, 4], high: [5, 6], low: [7, 8], close: [9, 10], volume: [11, 12] })).toEqual([
      { ts: 1, open: 3, high: 5, low: 7, close: 9, volume: 11 },
      { ts: 2, open: 4, high: 6, low: 8, close: 10, volume: 12 },
    ]);
  });
});
