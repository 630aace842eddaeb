// momentum-rotation: four hand-built symbols whose leadership changes, with every rebalance and order size
// worked out; the real NVDA and ORCL data; parameter validation.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../../src/core/errors.js';
import { readBarsCsv } from '../../../../src/data/csv/index.js';
import { runBacktest } from '../../../../src/engine/backtestRunner.js';
import { allocateSeries, type BarSeries } from '../../../../src/model/barSeries.js';
import { momentumRotation } from '../../../../src/strategy/builtin/momentumRotation.js';
import { sharedData } from '../../../helpers/shared.js';

const DAY_MS = 86_400_000;

/** Weekdays from Monday 2024-01-22: day 7 is Wed 01-31, day 8 Thu 02-01. */
function weekday(i: number): number {
  return Date.UTC(2024, 0, 22) + (Math.floor(i / 5) * 7 + (i % 5)) * DAY_MS;
}

/** Flat daily bars (open = close), so a market order decided on day d fills at day d + 1's close price. */
function daily(symbol: string, closes: readonly number[]): BarSeries {
  const s = allocateSeries(symbol, '1d', closes.length);
  closes.forEach((c, i) => {
    s.ts[i] = weekday(i);
    s.open[i] = c;
    s.high[i] = c;
    s.low[i] = c;
    s.close[i] = c;
    s.volume[i] = 1000;
  });
  return s;
}

// Day:         0   1   2   3    4   5   6   7    8   9  10  11   12  13  14  15  16
const A = [10, 11, 12, 13, 13, 12, 11, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10];
const B = [20, 20, 20, 21, 21, 22, 22, 23, 23, 23, 22, 21, 21, 21, 21, 20, 20];
const C = [30, 29, 28, 27, 27, 30, 33, 36, 36, 36, 35, 34, 34, 34, 34, 33, 33];
const D = [40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 41, 42, 42, 42, 41, 40, 40];
const series = (): BarSeries[] => [daily('A', A), daily('B', B), daily('C', C), daily('D', D)];
const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

describe('momentum-rotation', () => {
  it('holds the top symbols by lookback return after each rebalance, selling before buying', () => {
    // lookback 3, topN 2, every 4 bars from the first rankable day (day 3): rebalances on days 3, 7, 11, 15.
    // Day 3: A +30 %, B +5 %, D 0 (not positive), C −10 % → A, B. Slice 100 000 × 0.95 / 2 = 47 500:
    //   A 47 500 / 13 → 3653 (47 489), B min(47 500, 52 511 × 0.95) / 21 → 2261; both filled day 4 (13, 21).
    // Day 7: C +33.3 % (36/27), B +9.5 % (23/21), D 0, A −23 % → C, B: sell A (filled day 8 at 10); the buy of C
    //   waits for that fill. Day 8: cash 5030 + 36 530 = 41 560, equity 41 560 + 2261 × 23 = 93 563;
    //   C min(93 563 × 0.95 / 2, 41 560 × 0.95) / 36 = 39 482 / 36 → 1096, filled day 9 at 36.
    // Day 11: D +5 % (42/40), A 0, C −5.6 %, B −8.7 % → D only: sell B and C (day 12 at 21 and 34).
    //   Day 12: cash 2104 + 47 481 + 37 264 = 86 849 → D 41 253.275 / 42 → 982, filled day 13 at 42.
    // Day 15: nothing positive (D 40/42, A 10/10) → sell D, filled day 16 at 40.
    const result = runBacktest({
      series: series(),
      strategy: momentumRotation,
      params: { lookback: 3, topN: 2, rebalanceBars: 4 },
    });
    const trades = result.trades.map((t) => [t.symbol, t.quantity, day(t.entryTime), t.entryPrice, day(t.exitTime), t.exitPrice]);
    expect(trades).toEqual([
      ['A', 3653, '2024-01-26', 13, '2024-02-01', 10],
      ['B', 2261, '2024-01-26', 21, '2024-02-07', 21],
      ['C', 1096, '2024-02-02', 36, '2024-02-07', 34],
      ['D', 982, '2024-02-08', 42, '2024-02-13', 40],
    ]);
    expect(result.openPositions).toEqual([]);
    expect(result.rejections).toEqual([]);
  });

  it('rebalances monthly on the first bar of a new month', () => {
    // Only Thu 02-01 (day 8) starts a month. A 10/12 < 0, B 23/22 +4.5 %, C 36/30 +20 %, D 0 → C, B.
    // C 47 500 / 36 → 1319 (47 484); B min(47 500, 52 516 × 0.95) / 23 → 2065; filled day 9; held to the end.
    const result = runBacktest({ series: series(), strategy: momentumRotation, params: { lookback: 3, topN: 2, rebalance: 'monthly' } });
    expect(result.trades).toEqual([]);
    const held = result.openPositions.map((p) => [p.symbol, p.quantity, day(p.entryTime), p.avgPrice]);
    expect(held).toEqual([
      ['B', 2065, '2024-02-02', 23],
      ['C', 1319, '2024-02-02', 36],
    ]);
  });

  it('rotates between real NVDA and ORCL daily bars, deterministically', async () => {
    const nvda = await readBarsCsv(sharedData('NVDA-1999-2014.csv'));
    const orcl = await readBarsCsv(sharedData('ORCL-1995-2014.csv'));
    const run = (): ReturnType<typeof runBacktest> =>
      runBacktest({ series: [nvda, orcl], strategy: momentumRotation, params: { topN: 1, rebalance: 'monthly', lookback: 126 } });
    const a = run();
    const b = run();
    expect(new Set(a.trades.map((t) => t.symbol))).toEqual(new Set(['NVDA', 'ORCL']));
    expect(a.trades.length).toBeGreaterThan(10);
    expect(a.rejections).toEqual([]);
    // One holding at a time: no two trades overlap.
    const sorted = [...a.trades].sort((x, y) => x.entryTime - y.entryTime);
    sorted.slice(1).forEach((t, i) => expect(t.entryTime).toBeGreaterThan((sorted[i] as (typeof sorted)[number]).exitTime));
    expect(JSON.stringify({ t: a.trades, e: [...a.equity] })).toBe(JSON.stringify({ t: b.trades, e: [...b.equity] }));
  });

  it.each([
    [{ topN: 0 }, 'topN'],
    [{ lookback: -1 }, 'lookback'],
    [{ rebalance: 'weekly' }, 'rebalance'],
    [{ investedFraction: 1.5 }, 'investedFraction'],
  ])('rejects %j with PI5_ERR_BAD_PARAM naming %s', (bad, name) => {
    let error: unknown;
    try {
      runBacktest({ series: series(), strategy: momentumRotation, params: bad });
    } catch (e) {
      error = e;
    }
    expect(isPi5Error(error) && error.code).toBe('PI5_ERR_BAD_PARAM');
    expect(String(error)).toContain(`parameter ${name}`);
  });
});
