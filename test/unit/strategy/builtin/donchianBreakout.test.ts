// donchian-breakout: hand-worked trades on small series (channels exclusive of the current bar, shorts, ATR
// bracket stop), the sample data, and parameter validation.

import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../../src/engine/backtestRunner.js';
import type { StrategyDefinition } from '../../../../src/strategy/api.js';
import { donchianBreakout } from '../../../../src/strategy/builtin/donchianBreakout.js';
import type { RawParams } from '../../../../src/strategy/params.js';
import type { BarSeries } from '../../../../src/model/barSeries.js';
import { day, describeOnSampleData, expectBadParam, ordersOf, seriesOf, tradeRows, type Ohlc } from './helpers.js';
import { parseSize } from '../../../../src/engine/specs.js';

const strategy = donchianBreakout as unknown as StrategyDefinition;

function run(series: BarSeries, params: RawParams): ReturnType<typeof runBacktest> {
  return runBacktest({ series: [series], strategy, params: { entryPeriod: 3, exitPeriod: 2, ...params }, size: parseSize('10') });
}

/** Bars with high = close + 1, low = close − 1 and the open halfway from the previous close. */
function barsFrom(closes: readonly number[]): BarSeries {
  return seriesOf(
    'X',
    closes.map((c, i): Ohlc => [((i === 0 ? c : (closes[i - 1] as number)) + c) / 2, c + 1, c - 1, c]),
  );
}

describe('donchian-breakout on a hand-built series', () => {
  it('buys a close above the prior 3-bar high and sells a close below the prior 2-bar low', () => {
    //  bar    0  1  2  3  4     5     6     7     8      9      10     11  12    13     14
    //  close 10 10 10 10 12    13    14    15    14    12.5    12     11  12   13.5    14
    //  open  10 10 10 10 11  12.5  13.5  14.5  14.5  13.25  12.25   11.5 11.5 12.75 13.75
    // bar 4: close 12 > max(high of bars 1–3) = 11 → BUY at bar 5's open 12.5. (Had the channel included bar 4
    // itself, its high 13 would be above any close of that bar: no breakout could ever happen.)
    // bar 9: close 12.5 < min(low of bars 7–8) = 13 → CLOSE_LONG at bar 10's open 12.25.
    // bar 13: close 13.5 > max(high of bars 10–12) = 13 → BUY at bar 14's open 13.75, still open at the end.
    const r = run(barsFrom([10, 10, 10, 10, 12, 13, 14, 15, 14, 12.5, 12, 11, 12, 13.5, 14]), {});
    expect(tradeRows(r)).toEqual([{ side: 'long', quantity: 10, entry: day(5), entryPrice: 12.5, exit: day(10), exitPrice: 12.25 }]);
    expect(r.openPositions.map((p) => [p.side, p.quantity, p.avgPrice])).toEqual([['long', 10, 13.75]]);
  });

  it('with allowShort, reverses on a close below the prior 3-bar low', () => {
    // Same bars: bar 9's close 12.5 is also below min(low of bars 6–8) = 13 → SELL: the long is closed and a short
    // opened at bar 10's open 12.25. bar 13: 13.5 > 13 → BUY reverses it at bar 14's open 13.75.
    const r = run(barsFrom([10, 10, 10, 10, 12, 13, 14, 15, 14, 12.5, 12, 11, 12, 13.5, 14]), { allowShort: true });
    expect(tradeRows(r)).toEqual([
      { side: 'long', quantity: 10, entry: day(5), entryPrice: 12.5, exit: day(10), exitPrice: 12.25 },
      { side: 'short', quantity: 10, entry: day(10), entryPrice: 12.25, exit: day(14), exitPrice: 13.75 },
    ]);
  });

  it('attaches atrStop × ATR from the signal close as a bracket stop, and cancels it on a channel exit', () => {
    // ATR(2): true ranges 2, 2, 2, 2, 3, 2, 2.5, 2.5, … → ATR 2 … 2, then 2.5 (bar 4), 2.25, 2.375, 2.4375 (bar 7).
    const rows: Ohlc[] = [
      [10, 11, 9, 10],
      [10, 11, 9, 10],
      [10, 11, 9, 10],
      [10, 11, 9, 10],
      [11, 13, 11, 12], // 4: close 12 > 11 → BUY, stop 12 − 0.5 × 2.5 = 10.75
      [12.5, 14, 12, 13], // 5: entry fills at 12.5
      [12.5, 13, 10.5, 11.5], // 6: low 10.5 ≤ 10.75 → the stop fills at 10.75 (close 11.5 is above the exit channel 11)
      [11, 11.5, 9, 9.5], // 7: close 9.5 < min(low of bars 4–6) = 10.5 → SELL, stop 9.5 + 0.5 × 2.4375 = 10.71875
      [9.5, 10, 8.5, 9], // 8: short fills at 9.5
      [9, 9.5, 8, 8.5],
      [9, 10.5, 8.8, 10.2], // 10: high 10.5 < stop; close 10.2 > max(high of bars 8–9) = 10 → CLOSE_SHORT
      [10.3, 10.6, 10, 10.4], // 11: covered at the open 10.3; the canceled stop (10.71875) cannot fill any more
    ];
    const r = run(seriesOf('X', rows), { allowShort: true, atrPeriod: 2, atrStop: 0.5 });
    expect(tradeRows(r)).toEqual([
      { side: 'long', quantity: 10, entry: day(5), entryPrice: 12.5, exit: day(6), exitPrice: 10.75 },
      { side: 'short', quantity: 10, entry: day(8), entryPrice: 9.5, exit: day(11), exitPrice: 10.3 },
    ]);
    expect(ordersOf(r).filter((o) => o.role === 'stop-loss').map((o) => [o.stopPrice, o.status])).toEqual([
      [10.75, 'filled'],
      [10.71875, 'canceled'],
    ]);
    expect(r.openPositions).toEqual([]);
  });
});

describeOnSampleData(strategy, { allowShort: true, atrStop: 2 });

describe('donchian-breakout parameters', () => {
  const attempt = (params: RawParams) => () => runBacktest({ series: [barsFrom([10, 11, 12])], strategy, params });

  it('rejects out-of-range, mistyped and unknown parameters with PI5_ERR_BAD_PARAM', () => {
    expectBadParam(attempt({ entryPeriod: 0 }), 'entryPeriod');
    expectBadParam(attempt({ exitPeriod: 'ten' }), 'exitPeriod');
    expectBadParam(attempt({ atrStop: -1 }), 'atrStop');
    expectBadParam(attempt({ atrPeriod: 1.5 }), 'atrPeriod');
    expectBadParam(attempt({ allowShort: 'maybe' }), 'allowShort');
    expectBadParam(attempt({ period: 20 }), 'period');
  });
});
