// Positions attributed per strategy: two strategies trading one symbol through the backtest's step loop
// (Kernel.runStep over a ReplayFeed). With `strategy` attribution one's close never sells the other's shares
// and each has its own P&L and round trips; with `netting` a strategy acts on the account's net position.

import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import type { SeriesHistory } from '../../../src/engine/history.js';
import { Kernel } from '../../../src/engine/kernel.js';
import { ReplayFeed } from '../../../src/engine/live/replayFeed.js';
import { parseCommission } from '../../../src/execution/venues/sim/commission.js';
import { parseSlippage } from '../../../src/execution/venues/sim/slippage.js';
import { parseTimeframe, type TimeframeSpec } from '../../../src/model/timeframe.js';
import type { PositionView } from '../../../src/model/types.js';
import { MANUAL_ORDERS, type PositionMode } from '../../../src/portfolio/strategyPositions.js';
import { parseRiskConfig } from '../../../src/risk/config.js';
import { DEFAULT_LIMITS } from '../../../src/risk/preTrade.js';
import { parseSizeSpec } from '../../../src/risk/sizing.js';
import type { Strategy, StrategyContext } from '../../../src/strategy/api.js';
import { day, instrument, series, type Row } from './fixtures.js';

/** Ten daily bars, open = previous close, rising by 1 a day from 100. */
const ROWS: Row[] = Array.from({ length: 10 }, (_, i) => [100 + i, 101 + i, 99 + i, 101 + i] as const);

/** Runs `actions[i]` on its i-th bar; records what it saw as its position after each bar. */
function scripted(actions: Record<number, (ctx: StrategyContext) => void>, seen: PositionView[]): Strategy {
  let i = 0;
  return {
    onBar(_bar, ctx) {
      actions[i]?.(ctx);
      seen.push(ctx.positionView('AAA'));
      i++;
    },
  };
}

function run(mode: PositionMode | undefined, a: Strategy, b: Strategy, manualBuyAt?: number): Kernel {
  const tf = parseTimeframe('1d') as TimeframeSpec;
  const s = series(ROWS);
  const kernel = new Kernel({
    clock: new SimulatedClock(day(0)),
    baseTimeframe: tf,
    cash: 100_000,
    sizer: parseSizeSpec('100'),
    limits: DEFAULT_LIMITS,
    exchange: { commission: parseCommission('per-share:0.01'), slippage: parseSlippage('none'), fillOn: 'open', volumeLimitPct: 0, ocoBothFill: 'stop-loss' },
    log: createLogger('silent'),
    ...(mode === undefined ? {} : { positionMode: mode }),
  });
  const feed = new ReplayFeed([s]);
  kernel.addInstrument(instrument(), feed.histories[0] as SeriesHistory);
  kernel.addStrategy('a', a, ['AAA']);
  kernel.addStrategy('b', b, ['AAA']);
  kernel.start();
  for (let k = 0; k < ROWS.length; k++) {
    if (k === manualBuyAt) kernel.gateway.submit({ symbol: 'AAA', side: 'buy', quantity: 7, type: 'market' }, null);
    kernel.runStep(feed, k);
  }
  kernel.stop();
  return kernel;
}

describe('positions attributed per strategy', () => {
  it('by default a strategy closing its position sells only its own shares', () => {
    const seenA: PositionView[] = [];
    const seenB: PositionView[] = [];
    // a buys 10 on bar 0 and holds; b buys 4 on bar 1 and closes on bar 4 (fills at the next opens).
    const k = run(undefined, scripted({ 0: (c) => c.buy('AAA', 10) }, seenA), scripted({ 1: (c) => c.buy('AAA', 4), 4: (c) => c.close('AAA') }, seenB));
    expect(k.positionMode).toBe('strategy');
    expect(k.portfolio.quantity('AAA')).toBe(10);
    expect(k.attribution.quantity('a', 'AAA')).toBe(10);
    expect(k.attribution.quantity('b', 'AAA')).toBe(0);
    // b's close sold 4, not the account's 14.
    const sells = k.oms.all().filter((o) => o.side === 'sell');
    expect(sells.map((o) => [o.strategyId, o.quantity])).toEqual([['b', 4]]);
    // b bought at the open of bar 2 (102) and sold at the open of bar 5 (105): 4 × 3 − 0.08 commission.
    expect(k.attribution.trades('b').map((t) => [t.quantity, t.entryPrice, t.exitPrice])).toEqual([[4, 102, 105]]);
    expect(k.attribution.view('b', 'AAA').realizedPnl).toBeCloseTo(11.92, 9);
    expect(k.attribution.pnl('b')).toBeCloseTo(11.92, 9);
    // a: 10 bought at 101 (0.10 commission), marked at 110.
    expect(k.attribution.pnl('a')).toBeCloseTo(89.9, 9);
    expect(k.attribution.pnl('a') + k.attribution.pnl('b')).toBeCloseTo(k.portfolio.equity() - 100_000, 9);
    expect(k.attribution.trades('a')).toEqual([]);
    // What each strategy saw as its position: a's 10 from bar 1 on, b's 4 only on bars 2..4.
    expect(seenA.map((v) => v.quantity)).toEqual([0, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    expect(seenB.map((v) => v.quantity)).toEqual([0, 0, 4, 4, 4, 0, 0, 0, 0, 0]);
    // a's view is its own entry at 101 marked at the last close 110: 10 × 9 unrealized.
    expect(seenA.at(-1)?.avgPrice).toBe(101);
    expect(seenA.at(-1)?.unrealizedPnl).toBeCloseTo(90, 9);
  });

  it('netting: the same close sells the whole net position, both strategies\' shares', () => {
    const k = run('netting', scripted({ 0: (c) => c.buy('AAA', 10) }, []), scripted({ 1: (c) => c.buy('AAA', 4), 4: (c) => c.close('AAA') }, []));
    const sells = k.oms.all().filter((o) => o.side === 'sell');
    expect(sells.map((o) => [o.strategyId, o.quantity])).toEqual([['b', 14]]);
    expect(k.portfolio.quantity('AAA')).toBe(0);
    // The books still say who traded what: b sold 10 it never bought.
    expect(k.attribution.quantity('b', 'AAA')).toBe(-10);
  });

  it('a manual buy survives a strategy\'s sell signal, and signals see only the strategy\'s own position', () => {
    // b goes long by signal on bar 3 and exits by signal on bar 6; a does nothing; 7 bought by hand before bar 1.
    const k = run(undefined, scripted({}, []), scripted({ 3: (c) => void c.signal('AAA', 'BUY', { quantity: 5 }), 6: (c) => void c.signal('AAA', 'CLOSE_LONG') }, []), 1);
    expect(k.portfolio.quantity('AAA')).toBe(7);
    expect(k.attribution.quantity(null, 'AAA')).toBe(7);
    expect(k.attribution.owners()).toEqual([MANUAL_ORDERS, 'b']);
    expect(k.oms.all().filter((o) => o.strategyId === 'b').map((o) => `${o.side} ${o.quantity}`)).toEqual(['buy 5', 'sell 5']);
  });

  it('a kill-switch flatten sells under the name of the owner holding the account\'s side', () => {
    const tripAt = 5;
    let step = 0;
    const a: Strategy = {
      onBar(_b, ctx) {
        if (step === 0) ctx.buy('AAA', 10);
        step++;
      },
    };
    const b = scripted({ 1: (c) => void c.sell('AAA', 3) }, []);
    const tf = parseTimeframe('1d') as TimeframeSpec;
    const kernel = new Kernel({
      clock: new SimulatedClock(day(0)),
      baseTimeframe: tf,
      cash: 100_000,
      sizer: parseSizeSpec('100'),
      limits: DEFAULT_LIMITS,
      risk: parseRiskConfig({ killSwitch: { flattenOnTrip: true } }),
      exchange: { commission: parseCommission('none'), slippage: parseSlippage('none'), fillOn: 'open', volumeLimitPct: 0, ocoBothFill: 'stop-loss' },
      log: createLogger('silent'),
    });
    const feed = new ReplayFeed([series(ROWS)]);
    kernel.addInstrument(instrument(), feed.histories[0] as SeriesHistory);
    kernel.addStrategy('a', a, ['AAA']);
    kernel.addStrategy('b', b, ['AAA']);
    kernel.start();
    for (let k = 0; k < ROWS.length; k++) {
      if (k === tripAt) kernel.tripKillSwitch('test', 'tester');
      kernel.runStep(feed, k);
    }
    const flatten = kernel.oms.all().filter((o) => o.tag === 'kill-switch flatten');
    // The account is long 7 (a +10, b −3): a sells 7; a buy by b would grow the position and a tripped
    // switch refuses it, so a's remaining +3 and b's −3 offset inside the flat account.
    expect(flatten.map((o) => [o.strategyId, o.side, o.quantity, o.status])).toEqual([['a', 'sell', 7, 'filled']]);
    expect(kernel.portfolio.quantity('AAA')).toBe(0);
    expect(kernel.attribution.quantity('a', 'AAA')).toBe(3);
    expect(kernel.attribution.quantity('b', 'AAA')).toBe(-3);
  });
});
