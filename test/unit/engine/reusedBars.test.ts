// Bars a backtest hands a strategy: fresh objects the strategy may keep, unless it declares `keepsBars: false`,
// when one object per symbol is rewritten for each bar (what optimizer trials allocate least with). Either way
// the run's results are the same, bit for bit.

import { describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { runBacktest } from '../../../src/engine/backtestRunner.js';
import { ReplayFeed } from '../../../src/engine/live/replayFeed.js';
import { barAt, type BarSeries } from '../../../src/model/barSeries.js';
import type { Bar } from '../../../src/model/types.js';
import { defineStrategy, type StrategyDefinition } from '../../../src/strategy/api.js';
import { findBuiltin } from '../../../src/strategy/registry.js';

const A = generateSyntheticBars({ symbol: 'AAA', bars: 600, seed: 7, timeframe: '1d' });
// Starts later and ends earlier, so some steps carry one bar and some two.
const B = generateSyntheticBars({ symbol: 'BBB', bars: 500, seed: 8, timeframe: '1d', start: Date.UTC(2020, 0, 31) });

interface Seen {
  readonly bar: Bar;
  /** What the bar read during onBar. */
  readonly during: readonly number[];
}

const fields = (b: Bar): number[] => [b.ts, b.open, b.high, b.low, b.close, b.volume];

function recorder(keepsBars: boolean | undefined, seen: Seen[]): StrategyDefinition {
  return defineStrategy({
    id: 'recorder',
    name: 'recorder',
    description: 'keeps every bar it is handed',
    params: {},
    ...(keepsBars === undefined ? {} : { keepsBars }),
    create: () => ({ onBar: (bar) => void seen.push({ bar, during: fields(bar) }) }),
  });
}

/** Every bar of the two series in replay order (by time, then series order), as plain objects. */
function expectedBars(list: readonly BarSeries[]): Bar[] {
  const all = list.flatMap((s, j) => Array.from({ length: s.length }, (_, i) => ({ j, bar: barAt(s, i) })));
  return all.sort((x, y) => x.bar.ts - y.bar.ts || x.j - y.j).map((x) => x.bar);
}

describe('bars handed to a strategy', () => {
  it('are fresh objects by default: every bar kept after onBar still holds its own values', () => {
    const seen: Seen[] = [];
    runBacktest({ series: [A, B], strategy: recorder(undefined, seen) });
    expect(seen.map((s) => s.bar)).toEqual(expectedBars([A, B]));
    expect(new Set(seen.map((s) => s.bar)).size).toBe(seen.length);
  });

  it('with keepsBars: false are one object per symbol, rewritten per bar, and read right during onBar', () => {
    const seen: Seen[] = [];
    runBacktest({ series: [A, B], strategy: recorder(false, seen) });
    expect(seen.map((s) => [s.bar.symbol, ...s.during])).toEqual(expectedBars([A, B]).map((b) => [b.symbol, ...fields(b)]));
    const bySymbol = new Map(seen.map((s) => [s.bar.symbol, s.bar]));
    expect(new Set(seen.map((s) => s.bar)).size).toBe(2);
    // Each symbol's one object ends holding that symbol's last bar.
    expect(bySymbol.get('AAA')).toEqual(barAt(A, A.length - 1));
    expect(bySymbol.get('BBB')).toEqual(barAt(B, B.length - 1));
  });

  it('are the same values whether the replay feed reuses its bars or not', () => {
    const fresh = new ReplayFeed([A, B]);
    const reused = new ReplayFeed([A, B], { reuseBars: true });
    const got: number[][] = [];
    const want: number[][] = [];
    while (fresh.deliverStep((b) => want.push([fresh.position, ...fields(b)])) >= 0) {
      reused.deliverStep((b) => got.push([reused.position, ...fields(b)]));
    }
    expect(reused.done).toBe(true);
    expect(got).toEqual(want);
    expect(got).toHaveLength(A.length + B.length);
  });
});

describe('a backtest with reused bars', () => {
  // The built-ins that trade on daily bars by default (multi-timeframe-trend also gets weekly bars, aggregated
  // from the reused ones); each run once with its declared keepsBars: false and once without it.
  const cases: [string, Record<string, string | number | boolean>][] = [
    ['sma-cross', { fast: 5, slow: 20 }],
    ['sma-cross', { fast: 3, slow: 12, allowShort: true, volumeFilter: 0.8 }],
    ['multi-timeframe-trend', { higherTimeframe: '1w', trendPeriod: 5, fast: 3, slow: 10 }],
    ['rsi-mean-reversion', {}],
    ['bollinger-bounce', {}],
    ['donchian-breakout', {}],
    ['momentum-trend', {}],
    ['buy-and-hold', {}],
  ];
  it.each(cases)('%s %j gives the same result, bit for bit, as with fresh bars', (id, params) => {
    const reusing = findBuiltin(id) as StrategyDefinition;
    expect(reusing.keepsBars).toBe(false);
    const { keepsBars: _declared, ...keeping } = reusing;
    const input = { series: [A, B], params };
    const a = runBacktest({ ...input, strategy: reusing });
    const b = runBacktest({ ...input, strategy: keeping });
    expect(Array.from(a.equity)).toEqual(Array.from(b.equity));
    expect(a).toEqual(b);
    expect(a.trades.length + a.openPositions.length).toBeGreaterThan(0);
  });
});
