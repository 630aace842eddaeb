// opening-range-breakout: hand-built sessions across the 2024 US DST change, the real 5-minute index data, and
// parameter validation.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../../src/core/errors.js';
import { readBarsCsv } from '../../../../src/data/csv/index.js';
import { runBacktest } from '../../../../src/engine/backtestRunner.js';
import { allocateSeries, type BarSeries } from '../../../../src/model/barSeries.js';
import { openingRangeBreakout } from '../../../../src/strategy/builtin/openingRangeBreakout.js';
import { sharedData } from '../../../helpers/shared.js';
import { parseSize } from '../../../../src/engine/specs.js';

type Ohlc = readonly [open: number, high: number, low: number, close: number];

interface Session {
  /** Local calendar date, YYYY-MM-DD. */
  readonly date: string;
  /** UTC offset of the exchange that day, in hours (New York: −5 in winter, −4 in summer). */
  readonly utcOffset: number;
  /** Bars by local open time 'HH:MM'; session bars not listed are flat at the previous close. */
  readonly bars: Readonly<Record<string, Ohlc>>;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** 5-minute bars 09:30–15:55 local for each session, plus any listed bars outside it; UTC times written out. */
function buildSeries(symbol: string, sessions: readonly Session[]): BarSeries {
  const rows: { ts: number; bar: Ohlc }[] = [];
  let last = 100;
  for (const s of sessions) {
    const times = new Set(Object.keys(s.bars));
    for (let m = 9 * 60 + 30; m < 16 * 60; m += 5) times.add(`${pad(Math.floor(m / 60))}:${pad(m % 60)}`);
    const [y, mo, d] = s.date.split('-').map(Number) as [number, number, number];
    for (const hhmm of [...times].sort()) {
      const [h, mi] = hhmm.split(':').map(Number) as [number, number];
      const bar = s.bars[hhmm] ?? [last, last, last, last];
      last = bar[3];
      rows.push({ ts: Date.UTC(y, mo - 1, d, h, mi) - s.utcOffset * 3_600_000, bar });
    }
  }
  const series = allocateSeries(symbol, '5m', rows.length);
  rows.forEach((r, i) => {
    series.ts[i] = r.ts;
    [series.open[i], series.high[i], series.low[i], series.close[i]] = r.bar;
    series.volume[i] = 1000;
  });
  return series;
}

const iso = (t: number): string => new Date(t).toISOString();

// Friday 2024-03-08 is EST (09:30 = 14:30Z); DST starts Sunday 03-10, so Monday and Tuesday are EDT (09:30 = 13:30Z).
// Params: rangeMinutes 30 (bars 09:30–09:55), targetR 2, allowShort, exit from the bar closing at 15:55 (the 15:50 bar).
const sessions: Session[] = [
  {
    date: '2024-03-08',
    utcOffset: -5,
    bars: {
      // Pre-market: ignored. Counted, its 120 high would make the range [99, 120] and block the breakout below.
      '09:25': [100, 120, 100, 100],
      '09:30': [100, 100, 100, 100],
      '09:35': [100, 101, 100, 100.5],
      '09:45': [100.5, 100.5, 99, 99.5],
      // Range [99, 101], height 2. 10:00 closes inside it.
      '10:00': [100, 100.8, 100, 100.5],
      // Close 101.5 > 101: BUY, stop 99, take-profit 101 + 2 × 2 = 105; fills at the 10:10 open 101.6.
      '10:05': [100.5, 101.6, 100.5, 101.5],
      '10:10': [101.6, 102, 101.5, 101.8],
      // High 105.5 reaches the take-profit: sells at max(open 101.8, 105) = 105.
      '11:00': [101.8, 105.5, 101.8, 105.2],
      // Another close above the range: ignored, the day's trade is used.
      '12:00': [105.2, 106, 105.2, 106],
    },
  },
  {
    date: '2024-03-11',
    utcOffset: -4,
    bars: {
      '09:30': [100, 100.5, 99.8, 100],
      '09:40': [100, 100.2, 99.5, 99.9],
      // Range [99.5, 100.5]. Close 99 < 99.5: SELL short, stop 100.5, target 99.5 − 2 × 1 = 97.5; fills at 10:05 open 99.
      '10:00': [99.9, 99.9, 98.9, 99],
      // High 100.7 reaches the stop: buys at max(open 99, 100.5) = 100.5.
      '11:00': [99, 100.7, 99, 100.6],
      // A second breakdown: ignored.
      '12:00': [100.6, 100.6, 97, 97.2],
    },
  },
  {
    date: '2024-03-12',
    utcOffset: -4,
    bars: {
      '09:30': [100, 100, 100, 100],
      // Closes above everything so far, but the range is not complete: no entry.
      '09:40': [100, 102, 100, 102],
      '09:50': [102, 102, 99, 100],
      // Range [99, 102]. Close 103 at 15:50 (before the 15:55 exit): BUY, stop 99, target 108; fills at 15:50 open 103.1.
      '15:45': [100, 103, 100, 103],
      // This bar closes at 15:55: cancel the bracket legs and close; sells at the 15:55 open 103.3.
      '15:50': [103.1, 103.2, 103, 103.1],
      '15:55': [103.3, 103.4, 103.2, 103.3],
      // After hours: ignored.
      '16:00': [103.3, 110, 103.3, 110],
    },
  },
];

const params = { rangeMinutes: 30, targetR: 2, allowShort: true };

describe('opening-range-breakout', () => {
  it('trades once a day after the range, with DST-correct session times and a forced exit before the close', () => {
    const result = runBacktest({ series: [buildSeries('X', sessions)], strategy: openingRangeBreakout, params, size: parseSize('100') });
    const trades = result.trades.map((t) => [t.side, t.quantity, iso(t.entryTime), t.entryPrice, iso(t.exitTime), t.exitPrice]);
    expect(trades).toEqual([
      ['long', 100, '2024-03-08T15:10:00.000Z', 101.6, '2024-03-08T16:00:00.000Z', 105],
      ['short', 100, '2024-03-11T14:05:00.000Z', 99, '2024-03-11T15:00:00.000Z', 100.5],
      ['long', 100, '2024-03-12T19:50:00.000Z', 103.1, '2024-03-12T19:55:00.000Z', 103.3],
    ]);
    expect(result.openPositions).toEqual([]);
    // Each entry is a bracket (entry, take-profit, stop-loss); the last day's legs were canceled by the forced exit.
    const legs = (result.orders ?? []).filter((o) => o.role === 'take-profit' || o.role === 'stop-loss');
    expect(legs.map((o) => [o.role, o.limitPrice ?? o.stopPrice, o.status])).toEqual([
      ['take-profit', 105, 'filled'],
      ['stop-loss', 99, 'canceled'],
      ['take-profit', 97.5, 'canceled'],
      ['stop-loss', 100.5, 'filled'],
      ['take-profit', 108, 'canceled'],
      ['stop-loss', 99, 'canceled'],
    ]);
    expect((result.orders ?? []).at(-1)?.tag).toBe('session-exit');
  });

  it('puts the stop at the range midpoint, on the tick grid, when stopAt is midpoint', () => {
    const result = runBacktest({
      series: [buildSeries('X', sessions.slice(0, 1))],
      strategy: openingRangeBreakout,
      params: { ...params, stopAt: 'midpoint' },
    });
    const stop = (result.orders ?? []).find((o) => o.role === 'stop-loss');
    expect(stop?.stopPrice).toBe(100);
  });

  it('trades the real index data (Europe/Berlin) once a day at most, flat overnight, deterministically', async () => {
    // The file's times are bar ends (09:05 … 17:30), read as bar opens: the session is 09:05–17:35 in that labelling.
    const index = await readBarsCsv(sharedData('INDEX-2006-5min.csv'), { timeZone: 'Europe/Berlin' });
    const run = (): ReturnType<typeof runBacktest> =>
      runBacktest({
        series: [index],
        strategy: openingRangeBreakout,
        params: { timeZone: 'Europe/Berlin', sessionStart: '09:05', sessionEnd: '17:35', allowShort: true, targetR: 2 },
        timeZone: 'Europe/Berlin',
        size: parseSize('10'),
      });
    const a = run();
    const b = run();
    expect(a.trades.length).toBeGreaterThan(5);
    const days = a.trades.map((t) => iso(t.entryTime).slice(0, 10));
    expect(new Set(days).size).toBe(days.length);
    for (const t of a.trades) expect(iso(t.exitTime).slice(0, 10)).toBe(iso(t.entryTime).slice(0, 10));
    expect(a.openPositions).toEqual([]);
    expect(JSON.stringify({ t: a.trades, e: [...a.equity] })).toBe(JSON.stringify({ t: b.trades, e: [...b.equity] }));
  });

  it.each([
    [{ sessionStart: '25:00' }, 'sessionStart'],
    [{ sessionEnd: '9h30' }, 'sessionEnd'],
    [{ sessionStart: '16:00', sessionEnd: '09:30' }, 'sessionEnd'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ rangeMinutes: 400 }, 'rangeMinutes'],
    [{ rangeMinutes: 0 }, 'rangeMinutes'],
    [{ stopAt: 'close' }, 'stopAt'],
  ])('rejects %j with PI5_ERR_BAD_PARAM naming %s', (bad, name) => {
    const series = buildSeries('X', sessions.slice(0, 1));
    let error: unknown;
    try {
      runBacktest({ series: [series], strategy: openingRangeBreakout, params: bad });
    } catch (e) {
      error = e;
    }
    expect(isPi5Error(error) && error.code).toBe('PI5_ERR_BAD_PARAM');
    expect(String(error)).toContain(`parameter ${name}`);
  });
});
