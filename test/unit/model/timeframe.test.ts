// Timeframes: parsing, bucket boundaries in UTC (weeks start Monday, months on the 1st) and periods per year.

import { describe, expect, it } from 'vitest';
import { bucketEnd, bucketStart, isDailyOrCoarser, parseTimeframe, periodsPerYear, type TimeframeSpec } from '../../../src/model/timeframe.js';

function tf(text: string): TimeframeSpec {
  const s = parseTimeframe(text);
  if (!s) throw new Error(`not a timeframe: ${text}`);
  return s;
}

const DAY = 86_400_000;

describe('parseTimeframe', () => {
  it('parses count and unit with the fixed length in ms', () => {
    expect(parseTimeframe('1m')).toEqual({ text: '1m', count: 1, unit: 'm', ms: 60_000 });
    expect(parseTimeframe('5m')?.ms).toBe(300_000);
    expect(parseTimeframe('15s')?.ms).toBe(15_000);
    expect(parseTimeframe('4h')?.ms).toBe(4 * 3_600_000);
    expect(parseTimeframe('1d')?.ms).toBe(DAY);
    expect(parseTimeframe('1w')?.ms).toBe(7 * DAY);
  });

  it("'1M' is a month, '1m' a minute", () => {
    expect(parseTimeframe('1M')?.unit).toBe('M');
    expect(parseTimeframe('1m')?.unit).toBe('m');
    expect(parseTimeframe('1M')?.ms).toBeCloseTo(30.436875 * DAY, 3);
  });

  it('returns null for anything else', () => {
    for (const t of ['', 'm', '0m', '-1d', '1.5h', '1x', '1 m', 'd1', '1D', '1mo']) expect(parseTimeframe(t)).toBeNull();
  });
});

describe('isDailyOrCoarser', () => {
  it('is true for days, weeks and months only', () => {
    expect(['1m', '1h', '23h', '1d', '1w', '1M'].map((t) => isDailyOrCoarser(tf(t)))).toEqual([false, false, false, true, true, true]);
  });
});

describe('bucketStart / bucketEnd', () => {
  it('intraday buckets align to multiples of their length since the epoch', () => {
    const t = Date.UTC(2024, 2, 8, 14, 37, 30);
    expect(bucketStart(tf('1h'), t)).toBe(Date.UTC(2024, 2, 8, 14));
    expect(bucketStart(tf('5m'), t)).toBe(Date.UTC(2024, 2, 8, 14, 35));
    expect(bucketStart(tf('15m'), t)).toBe(Date.UTC(2024, 2, 8, 14, 30));
    expect(bucketEnd(tf('15m'), Date.UTC(2024, 2, 8, 14, 30))).toBe(Date.UTC(2024, 2, 8, 14, 45));
    expect(bucketStart(tf('1d'), t)).toBe(Date.UTC(2024, 2, 8));
  });

  it('weeks start on Monday 00:00 UTC', () => {
    const monday = Date.UTC(2024, 0, 1);
    expect(bucketStart(tf('1w'), Date.UTC(2024, 0, 3))).toBe(monday); // Wednesday
    expect(bucketStart(tf('1w'), Date.UTC(2024, 0, 7, 23, 59))).toBe(monday); // Sunday night
    expect(bucketStart(tf('1w'), Date.UTC(2024, 0, 8))).toBe(Date.UTC(2024, 0, 8)); // next Monday
    expect(bucketEnd(tf('1w'), monday)).toBe(Date.UTC(2024, 0, 8));
  });

  it('weeks before 1970 also start on Monday', () => {
    // Wednesday 1969-12-31 → Monday 1969-12-29.
    expect(bucketStart(tf('1w'), Date.UTC(1969, 11, 31))).toBe(Date.UTC(1969, 11, 29));
  });

  it('months start on the 1st and end on the next 1st, across year ends', () => {
    expect(bucketStart(tf('1M'), Date.UTC(2024, 1, 15, 12))).toBe(Date.UTC(2024, 1, 1));
    expect(bucketEnd(tf('1M'), Date.UTC(2024, 1, 1))).toBe(Date.UTC(2024, 2, 1));
    expect(bucketEnd(tf('1M'), Date.UTC(2023, 11, 1))).toBe(Date.UTC(2024, 0, 1));
    expect(bucketStart(tf('1M'), Date.UTC(2024, 1, 29, 23, 59))).toBe(Date.UTC(2024, 1, 1));
  });

  it('3M buckets are calendar quarters', () => {
    expect(bucketStart(tf('3M'), Date.UTC(2024, 4, 10))).toBe(Date.UTC(2024, 3, 1));
    expect(bucketEnd(tf('3M'), Date.UTC(2024, 3, 1))).toBe(Date.UTC(2024, 6, 1));
    expect(bucketStart(tf('3M'), Date.UTC(2024, 0, 1))).toBe(Date.UTC(2024, 0, 1));
  });

  it('every time lies in [bucketStart, bucketEnd) of its bucket', () => {
    const times = [0, 1, Date.UTC(2024, 1, 29, 13, 7), Date.UTC(1999, 11, 31, 23, 59, 59), Date.UTC(2024, 0, 7, 23, 59, 59, 999)];
    for (const text of ['1m', '5m', '1h', '4h', '1d', '1w', '2w', '1M', '3M']) {
      for (const t of times) {
        const start = bucketStart(tf(text), t);
        expect(start).toBeLessThanOrEqual(t);
        expect(bucketEnd(tf(text), start)).toBeGreaterThan(t);
      }
    }
  });
});

describe('periodsPerYear', () => {
  it('is 252 daily, 52 weekly, 12 monthly', () => {
    expect([periodsPerYear(tf('1d')), periodsPerYear(tf('1w')), periodsPerYear(tf('1M'))]).toEqual([252, 52, 12]);
    expect(periodsPerYear(tf('3M'))).toBe(4);
  });

  it('intraday: 252 × bars per 390-minute session', () => {
    // 1h: 390 / 60 = 6.5 bars → 1638; 5m: 78 bars → 19 656.
    expect(periodsPerYear(tf('1h'))).toBe(1638);
    expect(periodsPerYear(tf('5m'))).toBe(19_656);
  });

  it('24/7 markets use 365 days of 1440 minutes', () => {
    expect(periodsPerYear(tf('1d'), 390, true)).toBe(365);
    expect(periodsPerYear(tf('1h'), 390, true)).toBe(8760);
  });
});
