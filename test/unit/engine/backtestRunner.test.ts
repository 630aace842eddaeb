// runBacktest's own job: input checks, the inclusive from/to range, defaults recorded in the result config,
// and merging several symbols' calendars into one timeline.

import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/backtestRunner.js';
import { defineStrategy } from '../../../src/strategy/api.js';
import { day, runScript, series, type Row } from './fixtures.js';
import { parseCommissionSpec, parseSize, parseSlippageSpec } from '../../../src/engine/specs.js';

const idle = defineStrategy({ id: 'idle', name: 'idle', description: 'does nothing', params: {}, create: () => ({}) });
const FIVE: Row[] = [
  [100, 101, 99, 100],
  [101, 102, 100, 101],
  [102, 103, 101, 102],
  [103, 104, 102, 103],
  [104, 105, 103, 104],
];

describe('runBacktest', () => {
  it('runs only the bars in the inclusive [from, to] range', () => {
    const r = runBacktest({ series: [series(FIVE)], strategy: idle, from: day(1), to: day(3) });
    expect(Array.from(r.times)).toEqual([day(1), day(2), day(3)]);
    expect(r.equity).toHaveLength(4);
    expect([r.config.from, r.config.to]).toEqual(['2024-01-02T00:00:00.000Z', '2024-01-04T00:00:00.000Z']);
  });

  it('fills inside the range only: an order decided on the last bar never fills', () => {
    const run = runScript([series(FIVE)], { 0: (ctx) => void ctx.buy('AAA', 1), 2: (ctx) => void ctx.buy('AAA', 1) }, { from: day(1), to: day(3) });
    // Bar indices count from the range start: bar 0 is day 1 (fills at day 2's open 102), bar 2 is day 3.
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[102, day(2)]]);
    expect(run.order(2).status).toBe('accepted');
  });

  it('records the defaults it used', () => {
    const r = runBacktest({ series: [series(FIVE)], strategy: idle });
    expect(r.config).toMatchObject({ cash: 100_000, size: '100%', commission: 'none', slippage: 'none', fillOn: 'open', timeframe: '1d', symbols: ['AAA'], periodsPerYear: 252 });
    expect(r.equity[0]).toBe(100_000);
    expect(r.finalCash).toBe('100000');
  });

  it('by default puts the whole account into one symbol and splits it evenly over several', () => {
    // Buys every symbol on its first bar; sized by the default, filled at the second bar's open.
    const buyFirst = defineStrategy({
      id: 'buy-first',
      name: 'buy-first',
      description: 'buys each symbol once',
      params: {},
      create: () => ({
        onBar(bar, ctx) {
          if (ctx.history(bar.symbol).length === 1) ctx.signal(bar.symbol, 'BUY');
        },
      }),
    });
    const one = runBacktest({ series: [series(FIVE)], strategy: buyFirst });
    // $100,000 at the first close of 100 buys 1,000 shares.
    expect(one.config.size).toBe('100%');
    expect(one.openPositions.map((p) => [p.symbol, p.quantity])).toEqual([['AAA', 1000]]);
    const two = runBacktest({ series: [series(FIVE), series(FIVE, { symbol: 'BBB' })], strategy: buyFirst });
    // Half the account each: $50,000 at 100 is 500 shares of each.
    expect(two.config.size).toBe('equal:2');
    expect(two.openPositions.map((p) => [p.symbol, p.quantity])).toEqual([['AAA', 500], ['BBB', 500]]);
  });

  it('refuses an empty range with PI5_ERR_NO_DATA', () => {
    expect(() => runBacktest({ series: [series(FIVE)], strategy: idle, from: day(10) })).toThrow(expect.objectContaining({ code: 'PI5_ERR_NO_DATA' }));
    expect(() => runBacktest({ series: [], strategy: idle })).toThrow(expect.objectContaining({ code: 'PI5_ERR_NO_DATA' }));
  });

  it('refuses mixed timeframes and a symbol given twice with PI5_ERR_BAD_USAGE', () => {
    const hourly = series(FIVE, { symbol: 'BBB', timeframe: '1h', stepMs: 3_600_000 });
    expect(() => runBacktest({ series: [series(FIVE), hourly], strategy: idle })).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_USAGE' }));
    expect(() => runBacktest({ series: [series(FIVE), series(FIVE)], strategy: idle })).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_USAGE' }));
  });

  it('refuses bad cost and size specs before running', () => {
    expect(() => runBacktest({ series: [series(FIVE)], strategy: idle, commission: parseCommissionSpec('free') })).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_USAGE' }));
    expect(() => runBacktest({ series: [series(FIVE)], strategy: idle, slippage: parseSlippageSpec('bps:-1') })).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_USAGE' }));
    expect(() => runBacktest({ series: [series(FIVE)], strategy: idle, size: parseSize('0') })).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_USAGE' }));
  });

  it('merges symbols with different calendars into one timeline and marks each at its last close', () => {
    const a = series(FIVE.slice(0, 4), { symbol: 'AAA' });
    const b = series(
      [
        [50, 51, 49, 50],
        [60, 61, 59, 60],
      ],
      { symbol: 'BBB', times: [day(1), day(3)] },
    );
    const run = runScript([a, b], { 0: (ctx) => void ctx.buy('BBB', 10) }, { cash: 10_000 }, { afterAllBars: true });
    expect(Array.from(run.result.times)).toEqual([day(0), day(1), day(2), day(3)]);
    // Decided on day 0 (BBB has no bar yet): fills at BBB's first open, 50 on day 1; marked 50 on days 1 and 2
    // (no BBB bar on day 2), 60 on day 3.
    expect(run.fills.map((f) => [f.symbol, f.price, f.ts])).toEqual([['BBB', 50, day(1)]]);
    expect(Array.from(run.result.equity)).toEqual([10_000, 10_000, 10_000, 10_000, 10_100]);
  });

  it('reports progress at the end', () => {
    const calls: Array<[number, number]> = [];
    runBacktest({ series: [series(FIVE)], strategy: idle, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.at(-1)).toEqual([5, 5]);
  });
});
