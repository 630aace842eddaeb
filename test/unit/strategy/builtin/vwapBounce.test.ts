// vwap-bounce: two hand-built sessions with the VWAP worked out bar by bar, the real 5-minute index data, and
// parameter validation.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../../src/core/errors.js';
import { readBarsCsv } from '../../../../src/data/csv/index.js';
import { runBacktest } from '../../../../src/engine/backtestRunner.js';
import { allocateSeries, type BarSeries } from '../../../../src/model/barSeries.js';
import { vwapBounce } from '../../../../src/strategy/builtin/vwapBounce.js';
import { sharedData } from '../../../helpers/shared.js';
import { parseSize } from '../../../../src/engine/specs.js';

type Row = readonly [utc: string, open: number, high: number, low: number, close: number, volume: number];

function buildSeries(rows: readonly Row[]): BarSeries {
  const s = allocateSeries('X', '5m', rows.length);
  rows.forEach(([utc, o, h, l, c, v], i) => {
    s.ts[i] = Date.parse(utc);
    s.open[i] = o;
    s.high[i] = h;
    s.low[i] = l;
    s.close[i] = c;
    s.volume[i] = v;
  });
  return s;
}

// New York in January is UTC−5: local 09:30 = 14:30Z. Session 09:30–10:30, warm-up 10 minutes (signals from bars
// closing at 09:40 or later), exit from the bar closing at 10:20, band 0.5 %, stop 1 % below the signal close.
// Most bars have typical price (h + l + c)/3 = 100, so the VWAP stays exactly 100 and the lower band 99.5.
// Prices are multiples of 0.25 (exact in binary) and never sit on the band, so no decision rests on a rounding.
const rows: Row[] = [
  // Day 1. 09:30: typical 100 → VWAP 100. Low 97 dips and close 99.75 bounces, but the bar closes inside the warm-up.
  ['2024-01-02T14:30:00Z', 100, 103.25, 97, 99.75, 1000],
  ['2024-01-02T14:35:00Z', 99.75, 100.25, 99.75, 100, 1000],
  // Low 99.25 ≤ 99.5 arms a dip; close 99.25 is below the band: no entry yet.
  ['2024-01-02T14:40:00Z', 100, 101.5, 99.25, 99.25, 1000],
  // Close 99.75 in (99.5, 100): BUY, stop 99.75 × 0.99 = 98.7525.
  ['2024-01-02T14:45:00Z', 99.25, 101, 99.25, 99.75, 1000],
  // Entry fills at the open, 99.75. Close 100 ≥ VWAP 100: take profit (cancel the stop, close).
  ['2024-01-02T14:50:00Z', 99.75, 100.25, 99.75, 100, 1000],
  // Exit fills at the open, 100.25.
  ['2024-01-02T14:55:00Z', 100.25, 100.25, 99.5, 100.25, 1000],
  // Dip and bounce in one bar (low 99.25, close 99.75): BUY, stop 98.7525.
  ['2024-01-02T15:00:00Z', 100, 101, 99.25, 99.75, 1000],
  // Entry fills at 99.75; close 99.75 < VWAP: hold.
  ['2024-01-02T15:05:00Z', 99.75, 100.5, 99.75, 99.75, 1000],
  // Low 98 reaches the stop (active from this bar): sells at min(open 99, 98.7525) = 98.7525.
  // Typical 98.5 → VWAP (8 × 100 000 + 98 500)/9000 = 99.8333, band 99.3342: low 98 arms a dip, close 98.5 is below.
  ['2024-01-02T15:10:00Z', 99, 99, 98, 98.5, 1000],
  // Typical 99.25 → VWAP 99.775, band 99.2761: close 99.5 would be a bounce, but the bar closes at 10:20, the exit time.
  ['2024-01-02T15:15:00Z', 98.5, 99.75, 98.5, 99.5, 1000],
  ['2024-01-02T15:20:00Z', 99.5, 99.5, 99.5, 99.5, 1000],
  ['2024-01-02T15:25:00Z', 99.5, 99.5, 99.5, 99.5, 1000],
  // Day 2. Pre-market, heavy volume at 50: outside the session, so not in the VWAP (else it would be about 51).
  ['2024-01-03T14:25:00Z', 50, 50, 50, 50, 100_000],
  // The VWAP restarts at 110, band 109.45 (without the reset it would be about 101, below every close of this day).
  ['2024-01-03T14:30:00Z', 110, 110, 110, 110, 1000],
  ['2024-01-03T14:35:00Z', 110, 110, 110, 110, 1000],
  // Typical 110, low 109.25 ≤ 109.45, close 109.75 in (109.45, 110): BUY, stop 109.75 × 0.99 = 108.6525.
  ['2024-01-03T14:40:00Z', 110, 111, 109.25, 109.75, 1000],
  // Fills at 109.75 (typical 110). Then flat at 109.75: the VWAP stays above 109.75, so no target, and no stop.
  ['2024-01-03T14:45:00Z', 109.75, 110.5, 109.75, 109.75, 1000],
  ['2024-01-03T14:50:00Z', 109.75, 109.75, 109.75, 109.75, 1000],
  ['2024-01-03T14:55:00Z', 109.75, 109.75, 109.75, 109.75, 1000],
  ['2024-01-03T15:00:00Z', 109.75, 109.75, 109.75, 109.75, 1000],
  ['2024-01-03T15:05:00Z', 109.75, 109.75, 109.75, 109.75, 1000],
  ['2024-01-03T15:10:00Z', 109.75, 109.75, 109.75, 109.75, 1000],
  // Closes at 10:20: forced exit (cancel the stop, close); sells at the next open, 110.
  ['2024-01-03T15:15:00Z', 109.75, 109.75, 109.75, 109.75, 1000],
  ['2024-01-03T15:20:00Z', 110, 110, 110, 110, 1000],
  ['2024-01-03T15:25:00Z', 110, 110, 110, 110, 1000],
];

const params = { sessionStart: '09:30', sessionEnd: '10:30', warmupMinutes: 10, exitBeforeCloseMinutes: 10, bandPct: 0.5, stopPct: 1 };
const iso = (t: number): string => new Date(t).toISOString();

describe('vwap-bounce', () => {
  it('buys the bounce from the lower band, exits at the VWAP, at its stop, or before the close', () => {
    const result = runBacktest({ series: [buildSeries(rows)], strategy: vwapBounce, params, size: parseSize('100') });
    const trades = result.trades.map((t) => [iso(t.entryTime), t.entryPrice, iso(t.exitTime), t.exitPrice, t.quantity]);
    expect(trades).toEqual([
      ['2024-01-02T14:50:00.000Z', 99.75, '2024-01-02T14:55:00.000Z', 100.25, 100],
      ['2024-01-02T15:05:00.000Z', 99.75, '2024-01-02T15:10:00.000Z', 98.7525, 100],
      ['2024-01-03T14:45:00.000Z', 109.75, '2024-01-03T15:20:00.000Z', 110, 100],
    ]);
  });

  it('trades the real index data (no volume: equal weights) and is deterministic', async () => {
    // The file's times are bar ends (09:05 … 17:30), read as bar opens: the session is 09:05–17:35 in that labelling.
    const index = await readBarsCsv(sharedData('INDEX-2006-5min.csv'), { timeZone: 'Europe/Berlin' });
    const run = (): ReturnType<typeof runBacktest> =>
      runBacktest({
        series: [index],
        strategy: vwapBounce,
        params: { timeZone: 'Europe/Berlin', sessionStart: '09:05', sessionEnd: '17:35', bandPct: 0.2, weighting: 'equal' },
        timeZone: 'Europe/Berlin',
        size: parseSize('10'),
      });
    const a = run();
    const b = run();
    expect(a.trades.length).toBeGreaterThan(5);
    for (const t of a.trades) expect(iso(t.exitTime).slice(0, 10)).toBe(iso(t.entryTime).slice(0, 10));
    expect(a.openPositions).toEqual([]);
    expect(JSON.stringify({ t: a.trades, e: [...a.equity] })).toBe(JSON.stringify({ t: b.trades, e: [...b.equity] }));
  });

  it.each([
    [{ sessionStart: '25:00' }, 'sessionStart'],
    [{ sessionEnd: '16:60' }, 'sessionEnd'],
    [{ timeZone: 'Not/AZone' }, 'timeZone'],
    [{ warmupMinutes: 500 }, 'warmupMinutes'],
    [{ bandPct: 0 }, 'bandPct'],
    [{ weighting: 'tick' }, 'weighting'],
  ])('rejects %j with PI5_ERR_BAD_PARAM naming %s', (bad, name) => {
    let error: unknown;
    try {
      runBacktest({ series: [buildSeries(rows)], strategy: vwapBounce, params: bad });
    } catch (e) {
      error = e;
    }
    expect(isPi5Error(error) && error.code).toBe('PI5_ERR_BAD_PARAM');
    expect(String(error)).toContain(`parameter ${name}`);
  });
});
