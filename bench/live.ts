// live.tickToOrder.p99: in a paper session (the live runtime), the time from a step's bars arriving to the
// strategy's order being submitted through risk and the OMS, in µs at p99. The write-ahead store is in memory
// here, so the figure is the in-process decision path (DESIGN.md §11 target: < 50 µs); the baseline is that target.

import { createLogger } from '../src/core/log.js';
import { generateSyntheticBars } from '../src/data/synthetic.js';
import { TradingSession } from '../src/engine/live/tradingSession.js';
import { ReplayFeed } from '../src/engine/live/replayFeed.js';
import { MemorySessionStore } from '../src/engine/live/sessionStore.js';
import { parseTimeframe, type TimeframeSpec } from '../src/model/timeframe.js';
import { defineStrategy, type StrategyDefinition } from '../src/strategy/api.js';
import type { ParamSchema } from '../src/strategy/params.js';
import { cost, type BenchRecord } from './measure.js';

const STEPS = 20_000;

/** Flips between long and flat on every bar: an order decision at every step. */
const flipper = defineStrategy({
  id: 'bench-flip', name: 'flip', description: 'buys and sells on alternate bars', params: {},
  create: () => ({
    onBar(bar, ctx) {
      if (ctx.position(bar.symbol) === 0) ctx.buy(bar.symbol, 10);
      else ctx.close(bar.symbol);
    },
  }),
}) as unknown as StrategyDefinition<ParamSchema>;

export async function benchLive(): Promise<BenchRecord> {
  const series = [generateSyntheticBars({ symbol: 'LIVE', bars: STEPS, seed: 5, timeframe: '1m' })];
  const session = await TradingSession.open({
    config: { id: 'bench', cash: 1_000_000, size: '10', commission: 'none', slippage: 'none', strategies: [{ id: 'flip', strategy: 'bench-flip', params: {}, symbols: ['LIVE'] }], feed: { kind: 'bench' } },
    feed: new ReplayFeed(series),
    instruments: [{ symbol: 'LIVE', priceDecimals: 2, lotSize: 1, currency: 'USD', timeZone: 'UTC' }],
    baseTimeframe: parseTimeframe('1m') as TimeframeSpec,
    store: new MemorySessionStore(),
    resolveStrategy: (ref) => (ref === 'bench-flip' ? flipper : undefined),
    log: createLogger('error'),
    stepIntervalMs: 0,
  });
  let t0 = 0;
  let decided = -1;
  session.kernel.bus.subscribe('orderUpdated', (o) => {
    if (o.status === 'submitted' && decided < 0) decided = performance.now() - t0;
  });
  const samples: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    decided = -1;
    t0 = performance.now();
    await session.advance(1);
    if (decided >= 0 && i > 1000) samples.push(decided * 1000);
  }
  samples.sort((a, b) => a - b);
  const p99 = samples[Math.floor(samples.length * 0.99)] ?? NaN;
  const p50 = samples[Math.floor(samples.length * 0.5)] ?? NaN;
  return {
    ...cost('live.tickToOrder.p99', p99, 50, 'µs', `paper session, bar in → order submitted through risk and OMS (p50 ${p50.toFixed(1)} µs, ${samples.length} decisions); baseline: the 50 µs target`),
    command: 'npm run bench -- live',
  };
}
