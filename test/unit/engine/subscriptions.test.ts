// A strategy sees only the data it declares: the base bars and quotes of its own symbols, and the symbols and
// coarser timeframes it subscribes to; never what another strategy in the same kernel asked for.

import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import { Kernel } from '../../../src/engine/kernel.js';
import { ReplayFeed } from '../../../src/engine/live/replayFeed.js';
import { parseCommission } from '../../../src/execution/venues/sim/commission.js';
import { simulatedVenue } from '../../../src/execution/venues/sim/index.js';
import { parseSlippage } from '../../../src/execution/venues/sim/slippage.js';
import { parseTimeframe } from '../../../src/model/timeframe.js';
import { DEFAULT_LIMITS } from '../../../src/risk/preTrade.js';
import { parseSizeSpec } from '../../../src/risk/sizing.js';
import type { Strategy, StrategyContext } from '../../../src/strategy/api.js';
import { day, instrument, series, type Row } from './fixtures.js';

/** A strategy that records "SYMBOL tf" of every bar and "SYMBOL quote" of every quote it is handed. */
function recorder(onStart: (ctx: StrategyContext) => void = () => undefined): { strategy: Strategy; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    strategy: {
      onStart,
      onBar: (b) => void seen.push(`${b.symbol} ${b.timeframe}`),
      onQuote: (q) => void seen.push(`${q.symbol} quote`),
    },
  };
}

/** Three weeks of daily bars (Monday 2024-01-01 on) for AAA and BBB, run through kernel.runStep. */
function run(strategies: Readonly<Record<string, { strategy: Strategy; symbols: readonly string[] }>>): void {
  const tf = parseTimeframe('1d');
  if (!tf) throw new Error('1d');
  const rows: Row[] = Array.from({ length: 21 }, () => [100, 101, 99, 100]);
  const data = [series(rows, { symbol: 'AAA' }), series(rows, { symbol: 'BBB' })];
  const clock = new SimulatedClock(day(0));
  const kernel = new Kernel({
    clock,
    baseTimeframe: tf,
    cash: 100_000,
    sizer: parseSizeSpec('100'),
    limits: DEFAULT_LIMITS,
    venue: simulatedVenue({ commission: parseCommission('none'), slippage: parseSlippage('none'), fillOn: 'open', volumeLimitPct: 0, ocoBothFill: 'stop-loss' }),
    log: createLogger('silent'),
  });
  const feed = new ReplayFeed(data);
  data.forEach((s, i) => {
    const history = feed.histories[i];
    if (history === undefined) throw new Error(`no history for ${s.symbol}`);
    kernel.addInstrument(instrument(s.symbol), history);
  });
  for (const [id, s] of Object.entries(strategies)) kernel.addStrategy(id, s.strategy, s.symbols);
  kernel.start();
  kernel.onQuote({ symbol: 'AAA', ts: day(0), bid: 99.9, ask: 100.1, bidSize: 1, askSize: 1 });
  kernel.onQuote({ symbol: 'BBB', ts: day(0), bid: 99.9, ask: 100.1, bidSize: 1, askSize: 1 });
  for (let k = 0; kernel.runStep(feed, k); k++);
  kernel.stop();
}

function count(seen: readonly string[], what: string): number {
  return seen.filter((s) => s === what).length;
}

describe('per-strategy data subscriptions', () => {
  it("a strategy gets its own symbols' base bars and quotes, not another strategy's weekly bars", () => {
    const weekly = recorder((ctx) => ctx.subscribe('AAA', '1w'));
    const plain = recorder();
    run({ weekly: { strategy: weekly.strategy, symbols: ['AAA'] }, plain: { strategy: plain.strategy, symbols: ['AAA'] } });
    expect(count(weekly.seen, 'AAA 1d')).toBe(21);
    // Three whole weeks (Monday 2024-01-01 to Sunday 2024-01-21): the last completes on its Sunday bar.
    expect(count(weekly.seen, 'AAA 1w')).toBe(3);
    expect(count(plain.seen, 'AAA 1d')).toBe(21);
    expect(count(plain.seen, 'AAA 1w')).toBe(0);
    for (const r of [weekly, plain]) {
      expect(r.seen.some((s) => s.startsWith('BBB'))).toBe(false);
      expect(count(r.seen, 'AAA quote')).toBe(1);
    }
  });

  it('subscribing to a coarser timeframe of another symbol brings those bars (and its quotes), not its base bars', () => {
    const r = recorder((ctx) => ctx.subscribe('BBB', '1w'));
    run({ s: { strategy: r.strategy, symbols: ['AAA'] } });
    expect(count(r.seen, 'AAA 1d')).toBe(21);
    expect(count(r.seen, 'BBB 1w')).toBe(3);
    expect(count(r.seen, 'BBB 1d')).toBe(0);
    expect(count(r.seen, 'BBB quote')).toBe(1);
  });

  it("subscribing to another symbol at the base timeframe brings its base bars", () => {
    const r = recorder((ctx) => ctx.subscribe('BBB', '1d'));
    run({ s: { strategy: r.strategy, symbols: ['AAA'] } });
    expect(count(r.seen, 'AAA 1d')).toBe(21);
    expect(count(r.seen, 'BBB 1d')).toBe(21);
  });

  it('a strategy over every symbol of the run gets all of their base bars, in time order', () => {
    const r = recorder();
    run({ s: { strategy: r.strategy, symbols: ['AAA', 'BBB'] } });
    expect(r.seen.slice(2, 6)).toEqual(['AAA 1d', 'BBB 1d', 'AAA 1d', 'BBB 1d']);
    expect(r.seen).toHaveLength(2 + 42);
  });
});
