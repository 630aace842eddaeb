// Completed bars out of Yahoo's polled chart (the real v8 payload shape from the fixture builder): the forming
// last row is held back until a later row comes or its minute ended a grace period ago, a bar comes out once
// however often it is polled again, a changed bar comes out again as a correction, and daily rows are keyed by
// their exchange date.

import { describe, expect, it } from 'vitest';
import { YahooBarTracker } from '../../../../src/data/providers/yahoo/barPolling.js';
import { chartPayloadSchema, type ChartResult } from '../../../../src/data/providers/yahoo/schema.js';
import { chartPayload, type RawBar } from '../../../integration/data/providers/yahooFixture.js';

const T0 = Date.UTC(2024, 5, 3, 13, 30);
const minute = (m: number, close: number, volume = 1_000): RawBar => ({ at: new Date(T0 + m * 60_000).toISOString(), open: close - 0.25, high: close + 0.5, low: close - 0.5, close, volume });

function chart(bars: RawBar[], interval = '1m'): ChartResult {
  const parsed = chartPayloadSchema.parse(chartPayload({ symbol: 'AAPL', interval, bars }));
  return parsed.chart.result?.[0] as ChartResult;
}

const seen = (t: YahooBarTracker, r: ChartResult, now: number) => t.take(r, now).map((b) => [b.bar.ts - T0, b.bar.close, b.bar.volume, b.backfilled, b.corrected ?? false]);

describe('Yahoo polled bars', () => {
  it('emits completed minutes once each, holds the forming one back, and re-emits a changed one as a correction', () => {
    const t = new YahooBarTracker('AAPL', '1m', 60_000);
    // First poll: minutes 0 and 1 complete (a later row exists), minute 2 forming: the first poll is backfill.
    expect(seen(t, chart([minute(0, 100), minute(1, 101), minute(2, 102)]), T0 + 150_000)).toEqual([
      [0, 100, 1_000, true, false],
      [60_000, 101, 1_000, true, false],
    ]);
    // Polled again with nothing new: nothing; minute 2 still forming (its end + 60 s grace not reached).
    expect(seen(t, chart([minute(0, 100), minute(1, 101), minute(2, 102.5)]), T0 + 200_000)).toEqual([]);
    // Minute 3 starts: minute 2 is complete, with its last values; minute 1's volume was revised by Yahoo.
    expect(seen(t, chart([minute(0, 100), minute(1, 101, 1_200), minute(2, 102.75), minute(3, 103)]), T0 + 190_000)).toEqual([
      [60_000, 101, 1_200, false, true],
      [120_000, 102.75, 1_000, false, false],
    ]);
    // No later row, but minute 3 ended more than the grace period ago (a quiet symbol): complete.
    expect(seen(t, chart([minute(0, 100), minute(1, 101, 1_200), minute(2, 102.75), minute(3, 103)]), T0 + 240_000 + 59_999)).toEqual([]);
    expect(seen(t, chart([minute(0, 100), minute(1, 101, 1_200), minute(2, 102.75), minute(3, 103)]), T0 + 240_000 + 60_000)).toEqual([[180_000, 103, 1_000, false, false]]);
  });

  it('keys daily rows by their exchange date; the day forming is held back until the next one starts', () => {
    const t = new YahooBarTracker('AAPL', '1d', 60_000);
    const day = (d: string, close: number): RawBar => ({ at: d, open: close, high: close + 1, low: close - 1, close, volume: 5_000 });
    const r = chart([day('2024-06-03', 190), day('2024-06-04', 191)], '1d');
    const out = t.take(r, Date.UTC(2024, 5, 4, 15));
    expect(out.map((b) => [new Date(b.bar.ts).toISOString(), b.bar.timeframe, b.bar.close])).toEqual([['2024-06-03T00:00:00.000Z', '1d', 190]]);
  });
});
