// rsi-mean-reversion: hand-worked trades on small series (entries, exits, shorts, brackets, trend filter), the
// sample data, and parameter validation.

import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../../src/engine/backtestRunner.js';
import type { StrategyDefinition } from '../../../../src/strategy/api.js';
import { rsiMeanReversion } from '../../../../src/strategy/builtin/rsiMeanReversion.js';
import type { RawParams } from '../../../../src/strategy/params.js';
import { day, describeOnSampleData, expectBadParam, ordersOf, fromCloses, tradeRows } from './helpers.js';
import { parseSize } from '../../../../src/engine/specs.js';

const strategy = rsiMeanReversion as unknown as StrategyDefinition;

// Unit steps make RSI(3) easy by hand: every change is ±1, so avgGain + avgLoss stays 1 and RSI = 100·avgGain.
// Wilder: avg ← (2·avg + x)/3. Bars (open = previous close + 0.1, so a fill at bar i's open is close[i−1] + 0.1):
//  bar    0  1  2  3      4      5      6      7      8      9     10     11     12     13     14     15     16  17
//  close 10 11 12 13     12     11     10      9     10     11     12     13     12     11     10     11     12  12
//  RSI    –  –  – 100  66.67  44.44  29.63  19.75  46.50  64.33  76.22  84.15  56.10  37.40  24.93  49.96  66.64  –
const CLOSES = [10, 11, 12, 13, 12, 11, 10, 9, 10, 11, 12, 13, 12, 11, 10, 11, 12, 12];

function run(params: RawParams, closes: readonly number[] = CLOSES): ReturnType<typeof runBacktest> {
  return runBacktest({ series: [fromCloses('X', closes)], strategy, params, size: parseSize('10') });
}

describe('rsi-mean-reversion on a hand-built series', () => {
  it('buys on the downward cross of oversold and sells when RSI rises above exitLevel, at the next open', () => {
    // bar 6: RSI 44.44 → 29.63 crosses below 30 → BUY, filled at bar 7's open 10.1.
    // bar 7 (19.75) and bar 8 (46.50) stay ≤ 50; bar 9: 64.33 > 50 → CLOSE_LONG, filled at bar 10's open 11.1.
    // bars 10–11: RSI > 70 but shorts are off. bar 14: 37.40 → 24.93 → BUY at bar 15's open 10.1;
    // bar 15: 49.96 is not above 50; bar 16: 66.64 → exit at bar 17's open 12.1.
    const r = run({ period: 3 });
    expect(tradeRows(r)).toEqual([
      { side: 'long', quantity: 10, entry: day(7), entryPrice: 10.1, exit: day(10), exitPrice: 11.1 },
      { side: 'long', quantity: 10, entry: day(15), entryPrice: 10.1, exit: day(17), exitPrice: 12.1 },
    ]);
    expect(r.openPositions).toEqual([]);
  });

  it('with allowShort, sells short on the upward cross of overbought and covers below exitLevel', () => {
    // The long trades as above. bar 10: RSI 64.33 → 76.22 crosses above 70 → SELL at bar 11's open 12.1;
    // bar 13: 37.40 < 50 → CLOSE_SHORT at bar 14's open 11.1.
    const r = run({ period: 3, allowShort: true });
    expect(tradeRows(r)).toEqual([
      { side: 'long', quantity: 10, entry: day(7), entryPrice: 10.1, exit: day(10), exitPrice: 11.1 },
      { side: 'short', quantity: 10, entry: day(11), entryPrice: 12.1, exit: day(14), exitPrice: 11.1 },
      { side: 'long', quantity: 10, entry: day(15), entryPrice: 10.1, exit: day(17), exitPrice: 12.1 },
    ]);
  });

  it('attaches stop-loss and take-profit (percent of the signal close) as bracket orders', () => {
    // Long from bar 6 (close 10): stop 9.5, target 11.5; the exits work from bar 8 (the bar after the fill).
    //   bar 8 opens at 9.1, below the stop → the stop fills at the open, 9.1.
    // Short from bar 10 (close 12): stop 12.6, target 10.2, filled at 12.1 on bar 11.
    //   bar 12 opens at 13.1, above the stop → bought back at 13.1.
    // Long from bar 14 (close 10): stop 9.5, target 11.5, filled at 10.1 on bar 15.
    //   bar 16: open 11.1, high 12.5 ≥ 11.5 → the take-profit fills at 11.5 and cancels the stop.
    const r = run({ period: 3, allowShort: true, stopLossPct: 5, takeProfitPct: 15 });
    expect(tradeRows(r)).toEqual([
      { side: 'long', quantity: 10, entry: day(7), entryPrice: 10.1, exit: day(8), exitPrice: 9.1 },
      { side: 'short', quantity: 10, entry: day(11), entryPrice: 12.1, exit: day(12), exitPrice: 13.1 },
      { side: 'long', quantity: 10, entry: day(15), entryPrice: 10.1, exit: day(16), exitPrice: 11.5 },
    ]);
    const exits = ordersOf(r).filter((o) => o.role === 'stop-loss' || o.role === 'take-profit');
    expect(exits.map((o) => [o.role, o.status])).toEqual([
      ['take-profit', 'canceled'],
      ['stop-loss', 'filled'],
      ['take-profit', 'canceled'],
      ['stop-loss', 'filled'],
      ['take-profit', 'filled'],
      ['stop-loss', 'canceled'],
    ]);
  });

  it('cancels the bracket orders when it exits on RSI, so no stale stop can open a position later', () => {
    // Stops 20% away never trigger here: every exit is the RSI exit, exactly as without brackets.
    const r = run({ period: 3, allowShort: true, stopLossPct: 20 });
    expect(tradeRows(r)).toEqual(tradeRows(run({ period: 3, allowShort: true })));
    expect(ordersOf(r).filter((o) => o.role === 'stop-loss').every((o) => o.status === 'canceled')).toBe(true);
    expect(ordersOf(r).filter((o) => o.status === 'accepted')).toEqual([]);
  });

  it('with a trend filter, buys only when the close is above SMA(trendPeriod)', () => {
    // RSI(2) on a fall, a rally and a dip:
    //  bar    0  1  2  3  4  5  6  7     8     9    10    11 … 15    16    17    18    19 20
    //  close 22 21 20 19 18 17 16 17    16    15    17    19 … 27    26    25    24    26 28
    //  RSI    –  –  0  0  0  0  0 50    25  12.5 70.83  87.5 … 99.3 66.03 39.54 21.93 71.93 –
    //  SMA8   –  …                18.75 18 17.25 …                                23.75
    // bar 8: RSI crosses below 30 but close 16 < SMA8 18 → no entry (without the filter: 10 → bar 9 open 16.1,
    // out at bar 11 open 17.1 after RSI 70.83 on bar 10). bar 18: RSI 39.54 → 21.93 with close 24 > SMA8 23.75
    // → BUY at bar 19's open 24.1; bar 19: RSI 71.93 > 50 → exit at bar 20's open 26.1.
    const closes = [22, 21, 20, 19, 18, 17, 16, 17, 16, 15, 17, 19, 21, 23, 25, 27, 26, 25, 24, 26, 28];
    const late = { side: 'long', quantity: 10, entry: day(19), entryPrice: 24.1, exit: day(20), exitPrice: 26.1 };
    expect(tradeRows(run({ period: 2 }, closes))).toEqual([
      { side: 'long', quantity: 10, entry: day(9), entryPrice: 16.1, exit: day(11), exitPrice: 17.1 },
      late,
    ]);
    expect(tradeRows(run({ period: 2, trendPeriod: 8 }, closes))).toEqual([late]);
  });
});

describeOnSampleData(strategy, { allowShort: true, stopLossPct: 8, takeProfitPct: 15 });

describe('rsi-mean-reversion parameters', () => {
  const bars = fromCloses('X', CLOSES);
  const attempt = (params: RawParams) => () => runBacktest({ series: [bars], strategy, params });

  it('rejects out-of-range, mistyped and unknown parameters with PI5_ERR_BAD_PARAM', () => {
    expectBadParam(attempt({ period: 1 }), 'period');
    expectBadParam(attempt({ period: 2.5 }), 'period');
    expectBadParam(attempt({ oversold: 'low' }), 'oversold');
    expectBadParam(attempt({ stopLossPct: -1 }), 'stopLossPct');
    expectBadParam(attempt({ allowShort: 'maybe' }), 'allowShort');
    expectBadParam(attempt({ lookback: 5 }), 'lookback');
  });

  it('rejects an exitLevel outside (oversold, overbought)', () => {
    expectBadParam(attempt({ exitLevel: 80 }), 'exitLevel');
    expectBadParam(attempt({ oversold: 60, exitLevel: 50 }), 'exitLevel');
  });
});
