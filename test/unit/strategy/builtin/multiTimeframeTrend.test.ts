// multi-timeframe-trend: a hand-built daily series with weekly trend bars worked out, the real NVDA and ORCL
// daily data, and parameter validation.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../../src/core/errors.js';
import { readBarsCsv } from '../../../../src/data/csv/index.js';
import { runBacktest } from '../../../../src/engine/backtestRunner.js';
import { allocateSeries, type BarSeries } from '../../../../src/model/barSeries.js';
import { multiTimeframeTrend } from '../../../../src/strategy/builtin/multiTimeframeTrend.js';
import { sharedData } from '../../../helpers/shared.js';
import { parseSize } from '../../../../src/engine/specs.js';

const DAY_MS = 86_400_000;

/** Flat daily bars (open = high = low = close), Monday to Friday from Monday 2024-01-01, one array per week. */
function dailyWeeks(weeks: readonly (readonly number[])[]): BarSeries {
  const closes = weeks.flat();
  const s = allocateSeries('X', '1d', closes.length);
  closes.forEach((c, i) => {
    const week = Math.floor(i / 5);
    s.ts[i] = Date.UTC(2024, 0, 1) + (week * 7 + (i % 5)) * DAY_MS;
    s.open[i] = c;
    s.high[i] = c;
    s.low[i] = c;
    s.close[i] = c;
    s.volume[i] = 1000;
  });
  return s;
}

// trendPeriod 2 (weekly EMA seeded with the mean of two weekly closes, then α = 2/3), base EMA(2) vs EMA(3).
// A weekly bar is complete after Friday's close and reaches the strategy just before Monday's daily bar; every
// decision is taken on a daily close and fills at the next open.
const weeks = [
  [10, 10, 10, 10, 10], //   W1 close 10: EMA not ready.
  // Mon 01-08: fast 10.667 > slow 10.5, a cross up, but there is no trend yet: no entry.
  [11, 11, 11, 11, 11], //   W2 close 11: EMA 10.5 (seed); no previous EMA, so no trend.
  [12, 12, 12, 12, 12], //   W3 close 12: EMA 11.5; 12 > 11.5 and 11.5 > 10.5: up.
  // Mon 01-22: fast 11.332 < slow 11.484 (cross down, flat anyway). Tue 01-23: 12.111 > 11.992, cross up in an
  // uptrend: BUY, filled Wed 01-24 at 13.
  [11, 12.5, 13, 13, 13], // W4 close 13: EMA 12.5, up.
  // Mon 01-29: 12.322 < 12.437, cross down: sell Tue 01-30 at 13.5. Tue: 13.108 > 12.969, cross up: buy Wed at 14.
  [12, 13.5, 14, 14, 14], // W5 close 14: EMA 13.5, up.
  // Mon 02-05: 9.989 < 10.936, cross down: sell Tue 02-06 at 10. Wed 02-07: 11.332 > 11.234, cross up, and the
  // trend is still up (W5): buy Thu 02-08 at 13.
  [8, 10, 12, 13, 13], //    W6 close 13: EMA 13.167 < 13.5 and 13 < 13.167: down.
  // Mon 02-12: fast 13.272 > slow 13.029, no cross, but the trend is down: sell Tue 02-13 at 12.
  // Tue 02-13: 12.424 < 12.515, cross down in a downtrend: with allowShort, SELL, filled Wed 02-14 at 11.
  // Thu 02-15: 12.158 > 12.129, cross up: no long in a downtrend, but it closes the short Fri 02-16 at 13.
  [13.5, 12, 11, 12.5, 13], // W7 close 13: EMA 13.056, down.
];

const params = { higherTimeframe: '1w', trendPeriod: 2, fast: 2, slow: 3 };
const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

describe('multi-timeframe-trend', () => {
  it('enters on base crosses only in the weekly trend, exits on a base cross down or a weekly turn down', () => {
    const result = runBacktest({ series: [dailyWeeks(weeks)], strategy: multiTimeframeTrend, params, size: parseSize('100') });
    const trades = result.trades.map((t) => [t.side, day(t.entryTime), t.entryPrice, day(t.exitTime), t.exitPrice]);
    expect(trades).toEqual([
      ['long', '2024-01-24', 13, '2024-01-30', 13.5],
      ['long', '2024-01-31', 14, '2024-02-06', 10],
      ['long', '2024-02-08', 13, '2024-02-13', 12],
    ]);
    expect((result.orders ?? []).map((o) => o.tag).filter((t) => t !== null)).toEqual(['cross-down', 'cross-down', 'trend-down']);
    expect(result.openPositions).toEqual([]);
  });

  it('mirrors into shorts in a weekly downtrend when allowShort', () => {
    const result = runBacktest({
      series: [dailyWeeks(weeks)],
      strategy: multiTimeframeTrend,
      params: { ...params, allowShort: true },
      size: parseSize('100'),
    });
    const trades = result.trades.map((t) => [t.side, day(t.entryTime), t.entryPrice, day(t.exitTime), t.exitPrice]);
    expect(trades.at(-1)).toEqual(['short', '2024-02-14', 11, '2024-02-16', 13]);
    expect(trades).toHaveLength(4);
  });

  it('trades real NVDA and ORCL daily bars with a weekly trend, deterministically', async () => {
    const nvda = await readBarsCsv(sharedData('NVDA-1999-2014.csv'));
    const orcl = await readBarsCsv(sharedData('ORCL-1995-2014.csv'));
    const run = (): ReturnType<typeof runBacktest> =>
      runBacktest({ series: [nvda, orcl], strategy: multiTimeframeTrend, params: {}, size: parseSize('100') });
    const a = run();
    const b = run();
    expect(new Set(a.trades.map((t) => t.symbol))).toEqual(new Set(['NVDA', 'ORCL']));
    expect(a.trades.length).toBeGreaterThan(20);
    expect(a.trades.every((t) => t.side === 'long')).toBe(true);
    expect(JSON.stringify({ t: a.trades, e: [...a.equity] })).toBe(JSON.stringify({ t: b.trades, e: [...b.equity] }));
  });

  it.each([
    [{ higherTimeframe: 'weekly' }, 'higherTimeframe'],
    [{ higherTimeframe: '1d' }, 'higherTimeframe'],
    [{ higherTimeframe: '4h' }, 'higherTimeframe'],
    [{ trendPeriod: 0 }, 'trendPeriod'],
    [{ fast: 1.5 }, 'fast'],
    [{ fast: 30, slow: 10 }, 'fast'],
  ])('rejects %j with PI5_ERR_BAD_PARAM naming %s', (bad, name) => {
    let error: unknown;
    try {
      runBacktest({ series: [dailyWeeks(weeks)], strategy: multiTimeframeTrend, params: bad });
    } catch (e) {
      error = e;
    }
    expect(isPi5Error(error) && error.code).toBe('PI5_ERR_BAD_PARAM');
    expect(String(error)).toContain(`parameter ${name}`);
  });
});
