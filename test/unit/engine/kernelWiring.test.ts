// How the kernel wires its parts: quotes reach the exchange (spread slippage) and strategies, fills are
// booked before strategies hear of them, signals are sized by the run's sizer, and the runner's equity curve
// and bar indices line up with the bars.

import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import { SeriesHistory } from '../../../src/engine/history.js';
import { Kernel } from '../../../src/engine/kernel.js';
import { parseCommission } from '../../../src/execution/venues/sim/commission.js';
import { parseSlippage } from '../../../src/execution/venues/sim/slippage.js';
import { parseTimeframe } from '../../../src/model/timeframe.js';
import type { Fill } from '../../../src/model/types.js';
import { DEFAULT_LIMITS } from '../../../src/risk/preTrade.js';
import { parseSizeSpec } from '../../../src/risk/sizing.js';
import { defineStrategy, type Strategy } from '../../../src/strategy/api.js';
import { runBacktest } from '../../../src/engine/backtestRunner.js';
import { bar, day, instrument, runScript, series, type Row } from './fixtures.js';

function kernelWith(strategy: Strategy, slippage = 'none'): { kernel: Kernel; clock: SimulatedClock; history: SeriesHistory } {
  const tf = parseTimeframe('1d');
  if (!tf) throw new Error('1d');
  const clock = new SimulatedClock(day(0));
  const kernel = new Kernel({
    clock,
    baseTimeframe: tf,
    cash: 100_000,
    sizer: parseSizeSpec('100'),
    limits: DEFAULT_LIMITS,
    exchange: { commission: parseCommission('none'), slippage: parseSlippage(slippage), fillOn: 'open', volumeLimitPct: 0, ocoBothFill: 'stop-loss' },
    log: createLogger('silent'),
  });
  const rows: Row[] = [
    [100, 101, 99, 100],
    [100, 101, 99, 100.5],
  ];
  const history = new SeriesHistory(series(rows));
  kernel.addInstrument(instrument(), history);
  kernel.addStrategy('s1', strategy, ['AAA']);
  kernel.start();
  return { kernel, clock, history };
}

describe('Kernel wiring', () => {
  it('quotes reach the exchange: spread slippage fills a buy at open + half the quoted spread', () => {
    const fills: Fill[] = [];
    const quotes: number[] = [];
    let bought = false;
    const { kernel, clock, history } = kernelWith(
      {
        onBar(_b, ctx) {
          if (!bought) {
            bought = true;
            ctx.buy('AAA', 10);
          }
        },
        onQuote(q, ctx) {
          quotes.push(ctx.lastQuote('AAA')?.ask ?? NaN, q.bid);
        },
        onFill: (f) => void fills.push(f),
      },
      'spread',
    );
    history.cursor = 0;
    kernel.onBar(bar(day(0), [100, 101, 99, 100]));
    kernel.closeTimeStep(day(0));
    clock.advanceTo(day(1));
    kernel.onQuote({ symbol: 'AAA', ts: day(1), bid: 99.96, ask: 100.04, bidSize: 5, askSize: 5 });
    history.cursor = 1;
    kernel.step = 1;
    kernel.onBar(bar(day(1), [100, 101, 99, 100.5]));
    // Spread 0.08 → half 0.04 on top of the open 100.
    expect(fills.map((f) => [f.price, f.slippagePu])).toEqual([[100.04, 40_000_000]]);
    expect(quotes).toEqual([100.04, 99.96]);
    expect(kernel.portfolio.quantity('AAA')).toBe(10);
    // Marked at the bar close after the fill: 100 000 − 1000.4 + 10 × 100.5.
    expect(kernel.portfolio.equity()).toBeCloseTo(100_004.6, 9);
  });

  it('a fill is booked in the portfolio before the strategy hears of it', () => {
    const seen: Array<[number, number]> = [];
    const run = runScript(
      [
        [100, 101, 99, 100],
        [100, 101, 99, 100],
      ],
      { 0: (ctx) => void ctx.buy('AAA', 10) },
      {},
      { onFill: (_f, ctx) => void seen.push([ctx.position('AAA'), ctx.cash()]) },
    );
    expect(run.fills).toHaveLength(1);
    expect(seen).toEqual([[10, 999_000]]);
  });

  it('a BUY signal is sized by the run’s sizer at the last close: 10% of 1 000 000 / 100 = 1000', () => {
    const run = runScript(
      [
        [100, 101, 99, 100],
        [100, 101, 99, 100],
      ],
      { 0: (ctx) => void ctx.signal('AAA', 'BUY') },
      { size: '10%' },
    );
    expect(run.order(1).quantity).toBe(1000);
  });

  it('a SELL signal while long closes the long and opens a sized short', () => {
    const rows: Row[] = [
      [100, 101, 99, 100],
      [100, 101, 99, 100],
      [100, 101, 99, 100],
    ];
    const run = runScript(rows, { 0: (ctx) => void ctx.signal('AAA', 'BUY'), 1: (ctx) => void ctx.signal('AAA', 'SELL') }, { size: '50' });
    expect([1, 2, 3].map((id) => [run.order(id).side, run.order(id).quantity, run.order(id).tag])).toEqual([
      ['buy', 50, null],
      ['sell', 50, 'reverse'],
      ['sell', 50, null],
    ]);
    expect(run.result.openPositions.map((p) => [p.side, p.quantity])).toEqual([['short', 50]]);
  });

  it('HOLD, and CLOSE_LONG / CLOSE_SHORT while flat, submit nothing', () => {
    const counts: number[] = [];
    runScript([[100, 101, 99, 100]], {
      0: (ctx) => {
        counts.push(ctx.signal('AAA', 'HOLD').length, ctx.signal('AAA', 'CLOSE_LONG').length, ctx.signal('AAA', 'CLOSE_SHORT').length);
      },
    });
    expect(counts).toEqual([0, 0, 0]);
  });

  it('the equity curve starts at the cash and has one point per bar; trade bars are step indices', () => {
    const rows: Row[] = [
      [100, 101, 99, 100],
      [100, 101, 99, 101],
      [102, 103, 101, 103],
      [104, 105, 103, 104],
    ];
    const run = runScript(rows, { 0: (ctx) => void ctx.buy('AAA', 10), 2: (ctx) => void ctx.close('AAA') }, { cash: 10_000 });
    // Bought 10 at 100 on bar 1; equity at closes: 10 000, 10 000, 10 010, 10 030, then sold at 104 on bar 3.
    expect(Array.from(run.result.equity)).toEqual([10_000, 10_000, 10_010, 10_030, 10_040]);
    expect(Array.from(run.result.times)).toEqual([day(0), day(1), day(2), day(3)]);
    expect(run.result.trades.map((t) => [t.entryBar, t.exitBar, t.pnl])).toEqual([[1, 3, 40]]);
    expect(run.result.finalCash).toBe('10040');
  });

  it('a subscribed weekly timeframe is aggregated from the daily bars and delivered before the next week starts', () => {
    // Monday 2024-01-01 .. Friday 01-05, then Monday 01-08 and Tuesday 01-09 (consecutive weekdays).
    const times = [0, 1, 2, 3, 4, 7, 8].map((i) => day(i));
    const rows: Row[] = [
      [10, 11, 9.5, 10.5, 100],
      [10.5, 12, 10, 11.5, 200],
      [11.5, 11.8, 10.2, 10.4, 150],
      [10.4, 10.9, 9.1, 9.3, 300],
      [9.3, 10, 9.2, 9.9, 250],
      [10, 10.2, 9.8, 10.1, 10],
      [10.1, 13, 10, 12.5, 20],
    ];
    const seen: Array<[string, number, number]> = [];
    const weekly: number[] = [];
    const strategy = defineStrategy({
      id: 'weekly',
      name: 'weekly',
      description: 'listens to weekly bars',
      params: {},
      create: () => ({
        onStart: (ctx) => ctx.subscribe('AAA', '1w'),
        onBar(b, ctx) {
          seen.push([b.timeframe, b.ts, ctx.now()]);
          if (b.timeframe === '1w') {
            const h = ctx.history('AAA', '1w');
            weekly.push(h.length, h.open(0), h.high(0), h.low(0), h.close(0), h.volume(0));
          }
        },
      }),
    });
    runBacktest({ series: [series(rows, { times })], strategy });
    // The week of Jan 1 is complete once Monday Jan 8 arrives: it is delivered first, then Monday's daily bar.
    expect(seen.filter((x) => x[0] === '1w')).toEqual([['1w', day(0), day(7)]]);
    expect(seen.findIndex((x) => x[0] === '1w')).toBe(5);
    expect(weekly).toEqual([1, 10, 12, 9.1, 9.9, 1000]);
  });

  it('a strategy cannot cancel an order of another strategy id', () => {
    const { kernel, clock } = kernelWith({});
    const foreign = kernel.gateway.submit({ symbol: 'AAA', side: 'buy', quantity: 1, type: 'limit', limitPrice: 50 }, 'other');
    clock.advanceTo(day(0));
    expect(foreign).not.toBeNull();
    const host = kernel.hosts[0]!;
    expect(host.cancel(foreign!.id)).toBe(false);
    expect(foreign!.status).toBe('accepted');
    expect(host.openOrders()).toEqual([]);
  });
});
