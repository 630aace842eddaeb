// momentum-trend: hand-worked trades on small series (ADX filter, pyramiding, trend exit, trailing and initial
// stops, fresh-setup re-entry, risk sizing), the sample data, and parameter validation.

import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../../src/engine/backtestRunner.js';
import type { StrategyDefinition } from '../../../../src/strategy/api.js';
import { momentumTrend } from '../../../../src/strategy/builtin/momentumTrend.js';
import type { RawParams } from '../../../../src/strategy/params.js';
import type { BarSeries } from '../../../../src/model/barSeries.js';
import { day, describeOnSampleData, expectBadParam, ordersOf, seriesOf, tradeRows, type Ohlc } from './helpers.js';
import { parseSize } from '../../../../src/engine/specs.js';

const strategy = momentumTrend as unknown as StrategyDefinition;

// Short periods so the indicators are ready within a few bars: EMA 2/4, MACD(2, 4, 2), ADX(2), ATR(2).
const FAST = { fast: 2, slow: 4, macdFast: 2, macdSlow: 4, macdSignal: 2, adxPeriod: 2, atrPeriod: 2 };

/**
 * Bars with high = close + 1, low = close − 1 and the open halfway from the previous close. With steps of at most
 * 1 every true range is 2, so ATR(2) is exactly 2; on a rise every bar has +DM 1 and −DM 0; flat bars have none.
 */
function barsFrom(closes: readonly number[]): BarSeries {
  return seriesOf(
    'X',
    closes.map((c, i): Ohlc => [((i === 0 ? c : (closes[i - 1] as number)) + c) / 2, c + 1, c - 1, c]),
  );
}

function run(series: BarSeries, params: RawParams, size = '10'): ReturnType<typeof runBacktest> {
  return runBacktest({ series: [series], strategy, params: { ...FAST, ...params }, size: parseSize(size) });
}

const exitTags = (r: ReturnType<typeof runBacktest>): (string | null)[] => ordersOf(r).filter((o) => o.side === 'sell').map((o) => o.tag);

describe('momentum-trend on a hand-built series', () => {
  // Flat at 10 for bars 0–5, then +1 a bar:
  //  bar        5       6        7        8        9       10       11       12       13       14       15       16
  //  close     10      11       12       13       14       15       16       17       17       16       15       14
  //  EMA2      10  10.6667  11.5556  12.5185  13.5062  14.5021  15.5007  16.5002  16.8334  16.2778  15.4259  14.4753
  //  EMA4      10  10.4     11.04    11.824   12.6944  13.6166  14.57    15.542   16.1252  16.0751  15.6451  14.9870
  //  MACD hist  0   0.0889   0.1126   0.0972   0.0715   0.0484   0.0312   0.0196  −0.0768  −0.1941  −0.2053  −0.1660
  //  ADX        0  50       75       87.5     93.75    96.88    98.44    99.22    …
  // ADX(2) by hand: flat bars give DX 0; from bar 6 each bar has DX 100 and ADX ← (ADX + 100)/2: 50, 75, 87.5, …
  const rally = [10, 10, 10, 10, 10, 10, 11, 12, 13, 14, 15, 16, 17, 17, 16, 15, 14];

  it('waits for ADX above the threshold, pyramids one unit per ATR gained, and exits when EMA2 < EMA4', () => {
    // bar 6: EMA2 > EMA4 and hist > 0, but ADX 50 ≤ 60. bar 7: ADX 75 → the setup is new → buy 10 at bar 8's open 12.5.
    // Stops: initial 12.5 − 1 × 2 = 10.5, trailing = highest close − 2 × 2; neither is reached.
    // Pyramid when close ≥ last entry fill + 1 × ATR 2: bar 10 closes 15 ≥ 14.5 → buy 10 more at bar 11's open 15.5;
    // next level 17.5 is never reached (maxPyramid 2 allows one more).
    // bar 15: EMA2 15.4259 < EMA4 15.6451 → sell all 20 at bar 16's open 14.5. One round trip, average entry 14.
    const r = run(barsFrom(rally), { adxThreshold: 60, atrStop: 1, atrTrail: 2, maxPyramid: 2, pyramidAtr: 1 });
    expect(tradeRows(r)).toEqual([{ side: 'long', quantity: 20, entry: day(8), entryPrice: 14, exit: day(16), exitPrice: 14.5 }]);
    expect(ordersOf(r).map((o) => [o.side, o.quantity, o.tag, o.avgFillPrice])).toEqual([
      ['buy', 10, 'entry', 12.5],
      ['buy', 10, 'pyramid', 15.5],
      ['sell', 20, 'trend-exit', 14.5],
    ]);
  });

  it('exits on the chandelier stop (highest close − atrTrail × ATR) and re-enters only on a fresh setup', () => {
    //  bar        12       13       14       15       16
    //  close      17       15       16       17       18     (bar 13: open 16, high 16, low 14 → true range 3)
    //  ATR         2      2.5     2.25    2.125        …
    //  EMA2  16.5002  15.5001  15.8334  16.6111
    //  EMA4  15.5420  15.3252  15.5951  16.1571
    //  hist   0.0196  −0.2546  −0.0637   0.0507
    // bar 6: EMA2 > EMA4, hist > 0, ADX 50 > 20 → buy at bar 7's open 11.5 (initial stop 11.5 − 2 = 9.5).
    // bar 13: stop = max(9.5, 17 − 0.5 × 2.5) = 15.75 > close 15 while EMA2 > EMA4 still → sell at bar 14's open 15.5.
    // bar 14: hist < 0, no setup. bar 15: the setup is back (hist 0.0507) → buy at bar 16's open 17.5, open at the end.
    const closes = [10, 10, 10, 10, 10, 10, 11, 12, 13, 14, 15, 16, 17, 15, 16, 17, 18];
    const r = run(barsFrom(closes), { adxThreshold: 20, atrStop: 1, atrTrail: 0.5 });
    expect(tradeRows(r)).toEqual([{ side: 'long', quantity: 10, entry: day(7), entryPrice: 11.5, exit: day(14), exitPrice: 15.5 }]);
    expect(exitTags(r)).toEqual(['stop']);
    expect(r.openPositions.map((p) => [p.quantity, p.avgPrice, new Date(p.entryTime).toISOString().slice(0, 10)])).toEqual([
      [10, 17.5, day(16)],
    ]);
  });

  it('sets the initial stop from the entry fill and the ATR of the entry bar', () => {
    // bar 6 signals (ATR 2); the fill at bar 7's open 11.5 puts the stop at 11.5 − 0.5 × 2 = 10.5.
    // bar 8: open 11.225, high 11.45, low 9.45, close 10.45 → true range 2.55, ATR 2.275. The close is below 10.5
    // (with the current ATR the stop would be 10.36 and hold), and EMA2 10.8185 > EMA4 10.8040, so only the initial
    // stop exits: sell at bar 9's open 10.725.
    const r = run(barsFrom([10, 10, 10, 10, 10, 10, 11, 12, 10.45, 11]), { adxThreshold: 20, atrStop: 0.5, atrTrail: 0 });
    expect(tradeRows(r)).toEqual([{ side: 'long', quantity: 10, entry: day(7), entryPrice: 11.5, exit: day(9), exitPrice: 10.725 }]);
    expect(exitTags(r)).toEqual(['stop']);
  });

  it('hands the initial stop to the sizer, so risk-based sizing works', () => {
    // bar 6: close 11, stop 11 − 1 × ATR 2 = 9 → risking 1% of 100 000 at 2 a share buys 500.
    const r = run(barsFrom(rally), { adxThreshold: 20, atrStop: 1 }, 'risk:1%');
    expect(ordersOf(r)[0]?.quantity).toBe(500);
  });
});

describeOnSampleData(strategy, { maxPyramid: 2 });

describe('momentum-trend parameters', () => {
  const attempt = (params: RawParams) => () => runBacktest({ series: [barsFrom([10, 11, 12])], strategy, params });

  it('rejects out-of-range, mistyped and unknown parameters with PI5_ERR_BAD_PARAM', () => {
    expectBadParam(attempt({ fast: 0 }), 'fast');
    expectBadParam(attempt({ adxThreshold: 101 }), 'adxThreshold');
    expectBadParam(attempt({ maxPyramid: 1.5 }), 'maxPyramid');
    expectBadParam(attempt({ pyramidAtr: 0 }), 'pyramidAtr');
    expectBadParam(attempt({ atrTrail: 'wide' }), 'atrTrail');
    expectBadParam(attempt({ allowShort: true }), 'allowShort');
  });

  it('rejects a fast period that is not below the slow one', () => {
    expectBadParam(attempt({ fast: 50, slow: 20 }), 'fast');
    expectBadParam(attempt({ macdFast: 26, macdSlow: 26 }), 'macdFast');
  });
});
