// bollinger-bounce: hand-worked trades on small series (middle vs upper exit, shorts, bracket stop), the sample
// data, and parameter validation.

import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../../src/engine/backtestRunner.js';
import type { StrategyDefinition } from '../../../../src/strategy/api.js';
import { bollingerBounce } from '../../../../src/strategy/builtin/bollingerBounce.js';
import type { RawParams } from '../../../../src/strategy/params.js';
import type { BarSeries } from '../../../../src/model/barSeries.js';
import { day, describeOnSampleData, expectBadParam, ordersOf, fromCloses, seriesOf, tradeRows } from './helpers.js';
import { parseSize } from '../../../../src/engine/specs.js';

const strategy = bollingerBounce as unknown as StrategyDefinition;

function run(series: BarSeries, params: RawParams): ReturnType<typeof runBacktest> {
  return runBacktest({ series: [series], strategy, params: { period: 3, k: 1.2, ...params }, size: parseSize('10') });
}

describe('bollinger-bounce on a hand-built series', () => {
  // Bands(3, k = 1.2): middle = mean of the last 3 closes, ± 1.2 population σ. Opens are the previous close + 0.1.
  //  bar     0   1   2        3       4       5       6       7
  //  close  10  12  11        8       9     9.5    10.5      11
  //  lower   –   – 10.0202  8.2937  7.8367  8.0850  8.9183  9.5850
  //  middle  –   – 11       10.3333  9.3333  8.8333  9.6667 10.3333
  //  upper   –   – 11.9798 12.3729 10.8300  9.5817 10.4150 11.0817
  // bar 3 closes below the lower band (8 < 8.2937); bar 4 closes back above it (9 > 7.8367) → BUY at bar 5's open 9.1.
  const bounce = fromCloses('X', [10, 12, 11, 8, 9, 9.5, 10.5, 11]);

  it('buys the close back above the lower band and exits when the close reaches the middle band', () => {
    // bar 5: 9.5 ≥ middle 8.8333 → CLOSE_LONG at bar 6's open 9.6.
    expect(tradeRows(run(bounce, {}))).toEqual([
      { side: 'long', quantity: 10, entry: day(5), entryPrice: 9.1, exit: day(6), exitPrice: 9.6 },
    ]);
  });

  it('with exitAt=upper, holds until the close reaches the upper band', () => {
    // bar 5: 9.5 < upper 9.5817 → hold; bar 6: 10.5 ≥ upper 10.4150 → exit at bar 7's open 10.6.
    expect(tradeRows(run(bounce, { exitAt: 'upper' }))).toEqual([
      { side: 'long', quantity: 10, entry: day(5), entryPrice: 9.1, exit: day(7), exitPrice: 10.6 },
    ]);
  });

  it('with allowShort, mirrors the rule at the upper band', () => {
    //  bar     0  1   2        3        4        5        6
    //  close  10  8   9       12       11     10.5      9.5
    //  middle  –  –   9      9.6667  10.6667  11.1667  10.3333
    //  upper   –  –   9.9798 11.7063 12.1633  11.9150  11.0817
    // bar 3 closes above the upper band (12 > 11.7063), bar 4 back below it (11 < 12.1633) → SELL at bar 5's open
    // 11.1; bar 5: 10.5 ≤ middle 11.1667 → CLOSE_SHORT at bar 6's open 10.6.
    const spike = fromCloses('X', [10, 8, 9, 12, 11, 10.5, 9.5]);
    expect(tradeRows(run(spike, { allowShort: true }))).toEqual([
      { side: 'short', quantity: 10, entry: day(5), entryPrice: 11.1, exit: day(6), exitPrice: 10.6 },
    ]);
    expect(run(spike, {}).trades).toEqual([]);
  });

  it('attaches stopPct as a bracket stop that works from the bar after the entry fills', () => {
    // bar 3 closes at 7 below the lower band 7.4077; bar 4 closes at 8 above 6.6271 → BUY, stop 8 × 0.95 = 7.6.
    // bar 5: fills at 8.1; its low 7.2 is below the stop, but the stop is not active yet; close 7.4 < middle 7.4667.
    // bar 6: open 7.8, low 7.0 → the stop fills at 7.6.
    const rows = [
      [10, 10.5, 9.5, 10],
      [10.1, 12.5, 9.6, 12],
      [12.1, 12.6, 10.5, 11],
      [11.1, 11.6, 6.5, 7],
      [7.1, 8.5, 6.6, 8],
      [8.1, 8.6, 7.2, 7.4],
      [7.8, 8.0, 7.0, 7.3],
    ] as const;
    const r = run(seriesOf('X', rows), { stopPct: 5 });
    expect(tradeRows(r)).toEqual([{ side: 'long', quantity: 10, entry: day(5), entryPrice: 8.1, exit: day(6), exitPrice: 7.6 }]);
    expect(ordersOf(r).map((o) => [o.type, o.role, o.status])).toEqual([
      ['market', 'entry', 'filled'],
      ['stop', 'stop-loss', 'filled'],
    ]);
  });
});

describeOnSampleData(strategy, { allowShort: true, stopPct: 5 }, { exitAt: 'upper' });

describe('bollinger-bounce parameters', () => {
  const attempt = (params: RawParams) => () => runBacktest({ series: [fromCloses('X', [10, 11, 12])], strategy, params });

  it('rejects out-of-range, mistyped and unknown parameters with PI5_ERR_BAD_PARAM', () => {
    expectBadParam(attempt({ period: 1 }), 'period');
    expectBadParam(attempt({ k: 0 }), 'k');
    expectBadParam(attempt({ exitAt: 'lower' }), 'exitAt');
    expectBadParam(attempt({ stopPct: 100 }), 'stopPct');
    expectBadParam(attempt({ allowShort: 2 }), 'allowShort');
    expectBadParam(attempt({ width: 2 }), 'width');
  });
});
