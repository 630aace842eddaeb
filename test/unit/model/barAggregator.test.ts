// Coarser bars from base bars: BarAggregator (live, emits as soon as a bucket is known complete) and
// resampleSeries (offline, same buckets). Checked on a hand-built daily series resampled to weeks and months.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../src/core/errors.js';
import { resampleSeries } from '../../../src/data/resample.js';
import { BarAggregator } from '../../../src/model/barAggregator.js';
import { barAt } from '../../../src/model/barSeries.js';
import { parseTimeframe, type TimeframeSpec } from '../../../src/model/timeframe.js';
import type { Bar } from '../../../src/model/types.js';
import { bar, series, type Row } from '../engine/fixtures.js';

function tf(text: string): TimeframeSpec {
  const s = parseTimeframe(text);
  if (!s) throw new Error(text);
  return s;
}

const d = (m: number, day: number): number => Date.UTC(2024, m, day);

// Two full weeks (Wednesday 10 Jan is a holiday) and a lone Monday.
const DAILY: Array<[number, Row]> = [
  [d(0, 1), [10, 11, 9.5, 10.5, 100]],
  [d(0, 2), [10.5, 12, 10, 11.5, 200]],
  [d(0, 3), [11.5, 11.8, 10.2, 10.4, 150]],
  [d(0, 4), [10.4, 10.9, 9.1, 9.3, 300]],
  [d(0, 5), [9.3, 10, 9.2, 9.9, 250]],
  [d(0, 8), [10, 10.2, 9.8, 10.1, 10]],
  [d(0, 9), [10.1, 13, 10, 12.5, 20]],
  [d(0, 11), [12.5, 12.6, 11, 11.2, 30]],
  [d(0, 12), [11.2, 11.5, 11.1, 11.4, 40]],
  [d(0, 15), [11.4, 11.6, 11.3, 11.5, 5]],
];
const daily = series(
  DAILY.map(([, r]) => r),
  { times: DAILY.map(([t]) => t), symbol: 'XYZ', priceDecimals: 2 },
);

function rows(s: ReturnType<typeof resampleSeries>): Array<[string, number, number, number, number, number]> {
  const out: Array<[string, number, number, number, number, number]> = [];
  for (let i = 0; i < s.length; i++) {
    const b = barAt(s, i);
    out.push([new Date(b.ts).toISOString().slice(0, 10), b.open, b.high, b.low, b.close, b.volume]);
  }
  return out;
}

describe('resampleSeries', () => {
  it('builds weekly OHLCV from daily bars: Monday start, first open, max high, min low, last close, Σ volume', () => {
    const weekly = resampleSeries(daily, '1w');
    expect(weekly.timeframe).toBe('1w');
    expect(weekly.symbol).toBe('XYZ');
    expect(weekly.priceDecimals).toBe(2);
    expect(rows(weekly)).toEqual([
      // 100 + 200 + 150 + 300 + 250 = 1000; high 12 (Tue), low 9.1 (Thu).
      ['2024-01-01', 10, 12, 9.1, 9.9, 1000],
      // Holiday on Wednesday: 10 + 20 + 30 + 40 = 100; high 13 (Tue), low 9.8 (Mon).
      ['2024-01-08', 10, 13, 9.8, 11.4, 100],
      // The unfinished last week is flushed at the end of the data.
      ['2024-01-15', 11.4, 11.6, 11.3, 11.5, 5],
    ]);
  });

  it('builds monthly bars on calendar months', () => {
    const s = series(
      [
        [10, 11, 9, 10.5, 1],
        [10.5, 12, 10, 11, 2],
        [11, 11.5, 8, 9, 4],
      ],
      { times: [d(0, 30), d(0, 31), d(1, 1)] },
    );
    expect(rows(resampleSeries(s, '1M'))).toEqual([
      ['2024-01-01', 10, 12, 9, 11, 3],
      ['2024-02-01', 11, 11.5, 8, 9, 4],
    ]);
  });

  it('returns the series itself for its own timeframe', () => {
    expect(resampleSeries(daily, '1d')).toBe(daily);
  });

  it('refuses finer or unknown timeframes with PI5_ERR_BAD_USAGE', () => {
    for (const target of ['1h', '12h', 'weekly']) {
      try {
        resampleSeries(daily, target);
        expect.unreachable();
      } catch (e) {
        expect(isPi5Error(e) && e.code).toBe('PI5_ERR_BAD_USAGE');
        expect(isPi5Error(e) && e.message).toContain('XYZ');
      }
    }
  });
});

describe('BarAggregator', () => {
  function collect(target: string, baseMs: number): { agg: BarAggregator; out: Bar[] } {
    const out: Bar[] = [];
    return { agg: new BarAggregator('XYZ', tf(target), baseMs, (b) => out.push(b)), out };
  }

  it('emits an intraday bucket as soon as the base bar that closes it arrives', () => {
    const { agg, out } = collect('15m', 300_000);
    const t = (h: number, m: number): number => Date.UTC(2024, 2, 8, h, m);
    const feed = (ts: number, r: Row): void => {
      agg.beforeBar(ts);
      agg.add(bar(ts, r, 'XYZ', '5m'));
    };
    feed(t(14, 30), [10, 11, 9, 10.5, 1]);
    feed(t(14, 35), [10.5, 10.8, 10.1, 10.2, 2]);
    expect(out).toHaveLength(0);
    feed(t(14, 40), [10.2, 12, 10, 11, 3]); // 14:40 + 5m = 14:45: bucket complete
    expect(out).toEqual([{ symbol: 'XYZ', timeframe: '15m', ts: t(14, 30), open: 10, high: 12, low: 9, close: 11, volume: 6 }]);
  });

  it('closes an incomplete bucket when a later bucket starts (gap in the data)', () => {
    const { agg, out } = collect('15m', 300_000);
    const t = (h: number, m: number): number => Date.UTC(2024, 2, 8, h, m);
    agg.beforeBar(t(14, 30));
    agg.add(bar(t(14, 30), [10, 11, 9, 10.5, 1], 'XYZ', '5m'));
    agg.beforeBar(t(14, 50));
    expect(out.map((b) => [b.ts, b.close, b.volume])).toEqual([[t(14, 30), 10.5, 1]]);
    agg.add(bar(t(14, 50), [20, 21, 19, 20.5, 7], 'XYZ', '5m'));
    agg.flushOpen();
    expect(out.map((b) => [b.ts, b.open, b.volume])).toEqual([
      [t(14, 30), 10, 1],
      [t(14, 45), 20, 7],
    ]);
  });

  it('daily → weekly: the Friday bar does not complete the week; the next Monday does', () => {
    const { agg, out } = collect('1w', 86_400_000);
    for (const [ts, r] of DAILY.slice(0, 5)) {
      agg.beforeBar(ts);
      agg.add(bar(ts, r, 'XYZ'));
    }
    expect(out).toHaveLength(0);
    agg.beforeBar(d(0, 8));
    expect(out.map((b) => [b.ts, b.open, b.high, b.low, b.close, b.volume])).toEqual([[d(0, 1), 10, 12, 9.1, 9.9, 1000]]);
  });

  it('flushOpen does nothing when no bucket is open', () => {
    const { agg, out } = collect('1w', 86_400_000);
    agg.flushOpen();
    expect(out).toHaveLength(0);
  });
});
