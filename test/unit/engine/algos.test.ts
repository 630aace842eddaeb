// Execution algorithms through a real kernel backtest: hand-checked slice schedules for TWAP, VWAP and POV,
// children that pass the pre-trade checks like any order (a denied child is reported on the parent, which
// goes on), cancel and end time, and the algoUpdated events on the bus.

import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import { SeriesHistory } from '../../../src/engine/history.js';
import { Kernel } from '../../../src/engine/kernel.js';
import { parseCommission } from '../../../src/execution/venues/sim/commission.js';
import { parseSlippage } from '../../../src/execution/venues/sim/slippage.js';
import { barAt } from '../../../src/model/barSeries.js';
import type { AlgoRequest, AlgoUpdate } from '../../../src/model/algo.js';
import { parseTimeframe } from '../../../src/model/timeframe.js';
import { DEFAULT_LIMITS } from '../../../src/risk/preTrade.js';
import { parseSizeSpec } from '../../../src/risk/sizing.js';
import type { AlgoHandle } from '../../../src/strategy/api.js';
import { DAY_MS, day, instrument, runScript, series, type Row, type RunOptions } from './fixtures.js';

const flat = (n: number, volume = 1_000_000): Row[] => Array.from({ length: n }, () => [100, 101, 99, 100, volume] as const);

/** Runs a scripted strategy that starts one algo on bar `at` and returns the run and the handle. */
function runAlgo(rows: Row[] | ReturnType<typeof series>[], request: (ctx: { now(): number }) => AlgoRequest, at = 0, options: RunOptions = {}) {
  let handle: AlgoHandle | null = null;
  const run = runScript(rows, { [at]: (ctx) => void (handle = ctx.submitAlgo(request(ctx))) }, options);
  if (handle === null) throw new Error('algo not started');
  return { run, handle: handle as AlgoHandle };
}

describe('TWAP', () => {
  it('1000 shares in 10 slices without an end: one slice of 100 per bar, each filling on the next bar', () => {
    const { run, handle } = runAlgo(flat(12), () => ({ symbol: 'AAA', side: 'buy', quantity: 1000, algo: 'twap', slices: 10 }));
    expect(run.fills.map((f) => [f.quantity, f.price, f.ts])).toEqual(Array.from({ length: 10 }, (_, k) => [100, 100, day(k + 1)]));
    expect(run.result.orders?.map((o) => [o.tag, o.strategyId])).toEqual(Array.from({ length: 10 }, () => ['algo-1', 'scripted']));
    expect(handle.status()).toMatchObject({ status: 'completed', filledQuantity: 1000, remaining: 0, avgFillPrice: 100, childIds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
  });

  it('with start and end, slices are due evenly over [start, end); an uneven total is spread by rounding', () => {
    // start day 2, end day 7, 3 slices: due at day 2, day 3.67, day 5.33 → sent on bars 2, 4, 6 → filled on 3, 5, 7.
    const { run, handle } = runAlgo(flat(9), () => ({ symbol: 'AAA', side: 'sell', quantity: 1000, algo: 'twap', slices: 3, start: day(2), end: day(7) }));
    // Cumulative round(1000 × k / 3): 333, 667, 1000 → 333, 334, 333.
    expect(run.fills.map((f) => [f.side, f.quantity, f.ts])).toEqual([
      ['sell', 333, day(3)],
      ['sell', 334, day(5)],
      ['sell', 333, day(7)],
    ]);
    expect(handle.status().status).toBe('completed');
  });

  it('children over a risk limit are denied and reported on the parent, which goes on and ends with the rest unfilled', () => {
    const { run, handle } = runAlgo(flat(12), () => ({ symbol: 'AAA', side: 'buy', quantity: 1000, algo: 'twap', slices: 10 }), 0, { limits: { maxPositionQty: 350 } });
    // Slices on bars 0..2 bring the position to 300; every later slice would leave 400 > 350.
    expect(run.fills.map((f) => f.quantity)).toEqual([100, 100, 100]);
    expect(run.result.rejections.map((r) => r.code)).toEqual(Array.from({ length: 7 }, () => 'RISK_MAX_POSITION_QTY'));
    expect(handle.status()).toMatchObject({ status: 'expired', filledQuantity: 300, remaining: 700, rejectedChildren: 7 });
    expect(handle.status().childIds).toHaveLength(10);
  });

  it('at the end time the working children are canceled and the parent expires', () => {
    const { run, handle } = runAlgo(flat(8), () => ({ symbol: 'AAA', side: 'buy', quantity: 500, algo: 'twap', slices: 5, end: day(5), limitPrice: 50 }));
    expect(run.fills).toEqual([]);
    expect(handle.status()).toMatchObject({ status: 'expired', filledQuantity: 0, childIds: [1, 2, 3, 4, 5] });
    expect([1, 2, 3, 4, 5].map((id) => [run.order(id).status, run.order(id).updatedAt])).toEqual(Array.from({ length: 5 }, () => ['canceled', day(5)]));
  });

  it('cancel() cancels the working children and ends the parent', () => {
    let handle: AlgoHandle | null = null;
    const returned: boolean[] = [];
    const run = runScript(flat(6), {
      0: (ctx) => void (handle = ctx.submitAlgo({ symbol: 'AAA', side: 'buy', quantity: 500, algo: 'twap', slices: 5, limitPrice: 50 })),
      2: () => void returned.push(handle?.cancel() ?? false, handle?.cancel() ?? false),
    });
    expect(returned).toEqual([true, false]);
    // The strategy's onBar of bar 2 runs before the algorithm's turn on that bar: two children so far.
    expect((handle as AlgoHandle | null)?.status()).toMatchObject({ status: 'canceled', childIds: [1, 2] });
    expect(run.result.orders?.map((o) => o.status)).toEqual(['canceled', 'canceled']);
  });
});

describe('VWAP', () => {
  it('slices follow the average volume of each time of day over the lookback', () => {
    // Two history days of four 5-minute bars (14:30–14:45 UTC) with volumes 100, 200, 300, 400 (and 300,
    // 200, 100, 400 on the other day: averages 200, 200, 200, 400), then the trading day with one more bar.
    const t = (d: number, k: number): number => day(d) + (14 * 60 + 30 + 5 * k) * 60_000;
    const vols = [100, 200, 300, 400, 300, 200, 100, 400];
    const rows: Row[] = [...vols.map((v) => [100, 101, 99, 100, v] as const), ...flat(5, 1000)];
    const times = [0, 1, 2, 3].map((k) => t(0, k)).concat([0, 1, 2, 3].map((k) => t(1, k)), [0, 1, 2, 3, 4].map((k) => t(2, k)));
    const s = series(rows, { timeframe: '5m', times });
    const { run, handle } = runAlgo([s], (ctx) => ({ symbol: 'AAA', side: 'buy', quantity: 1000, algo: 'vwap', end: ctx.now() + 20 * 60_000, lookbackDays: 5 }), 8);
    // Weights 200 : 200 : 200 : 400 of 1000 → 200, 200, 200, 400; each slice trades on the next bar.
    expect(run.fills.map((f) => [f.quantity, f.ts])).toEqual([
      [200, t(2, 1)],
      [200, t(2, 2)],
      [200, t(2, 3)],
      [400, t(2, 4)],
    ]);
    expect(handle.status().status).toBe('completed');
  });

  it('without history in the window it falls back to even slices', () => {
    const { run } = runAlgo(flat(6), (ctx) => ({ symbol: 'AAA', side: 'buy', quantity: 300, algo: 'vwap', end: ctx.now() + 3 * DAY_MS, slices: 3 }));
    expect(run.fills.map((f) => [f.quantity, f.ts])).toEqual([
      [100, day(1)],
      [100, day(2)],
      [100, day(3)],
    ]);
  });
});

describe('POV', () => {
  it('each bar sends participation × that bar’s volume, capped by what is left', () => {
    const rows: Row[] = [1000, 2500, 800, 3000, 5000, 5000].map((v) => [100, 101, 99, 100, v] as const);
    const { run, handle } = runAlgo(rows, () => ({ symbol: 'AAA', side: 'buy', quantity: 600, algo: 'pov', participation: 0.1 }));
    // 10% of 1000, 2500, 800 = 100, 250, 80; then 10% of 3000 = 300 capped by 600 − 430 = 170.
    expect(run.fills.map((f) => [f.quantity, f.ts])).toEqual([
      [100, day(1)],
      [250, day(2)],
      [80, day(3)],
      [170, day(4)],
    ]);
    expect(handle.status()).toMatchObject({ status: 'completed', filledQuantity: 600, childIds: [1, 2, 3, 4] });
  });

  it('bad requests throw PI5_ERR_BAD_ORDER', () => {
    const bad: Partial<AlgoRequest>[] = [{ participation: 0 }, { participation: 1.5 }, { algo: 'vwap' }, { quantity: 0 }, { end: day(0) }];
    for (const b of bad) {
      expect(() => runAlgo(flat(2), () => ({ symbol: 'AAA', side: 'buy', quantity: 10, algo: 'pov', participation: 0.1, ...b }))).toThrow(
        expect.objectContaining({ code: 'PI5_ERR_BAD_ORDER' }),
      );
    }
  });
});

describe('algoUpdated events and determinism', () => {
  it('every parent change is published on the bus as algoUpdated', () => {
    const tf = parseTimeframe('1d');
    if (!tf) throw new Error('1d');
    const s = series(flat(5));
    const clock = new SimulatedClock(day(0));
    const kernel = new Kernel({
      clock,
      baseTimeframe: tf,
      cash: 1_000_000,
      sizer: parseSizeSpec('100'),
      limits: DEFAULT_LIMITS,
      exchange: { commission: parseCommission('none'), slippage: parseSlippage('none'), fillOn: 'open', volumeLimitPct: 0, ocoBothFill: 'stop-loss' },
      log: createLogger('silent'),
    });
    const history = new SeriesHistory(s);
    kernel.addInstrument(instrument(), history);
    kernel.addStrategy('s1', { onBar: (b, ctx) => void (b.ts === day(0) && ctx.submitAlgo({ symbol: 'AAA', side: 'buy', quantity: 200, algo: 'twap', slices: 2 })) }, ['AAA']);
    const events: AlgoUpdate[] = [];
    kernel.bus.subscribe('algoUpdated', (u) => events.push(u));
    kernel.start();
    for (let i = 0; i < s.length; i++) {
      clock.advanceTo(s.ts[i] as number);
      history.cursor = i;
      kernel.onBar(barAt(s, i));
      kernel.closeTimeStep(s.ts[i] as number);
    }
    expect(events.map((e) => [e.ts, e.status, e.filledQuantity, e.reason])).toEqual([
      [day(0), 'working', 0, 'started'],
      [day(0), 'working', 0, 'child #1 sent: 100'],
      [day(1), 'working', 100, 'child #1 filled 100 at 100'],
      [day(1), 'working', 100, 'child #2 sent: 100'],
      [day(2), 'completed', 200, 'child #2 filled the rest'],
    ]);
    expect(kernel.algos.get('algo-1')?.status).toBe('completed');
  });

  it('the same inputs give the same children and fills', () => {
    const go = (): unknown => runAlgo(flat(8, 5000), () => ({ symbol: 'AAA', side: 'sell', quantity: 900, algo: 'pov', participation: 0.07 })).run.fills;
    expect(go()).toEqual(go());
  });
});
