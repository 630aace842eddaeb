// risk.preTrade.p99: the pre-trade check path (state from the live account + every check configured) per
// order, in µs at p99, against the default-limits path measured in the same run. Sizing is not included.

import { generateSyntheticBars } from '../src/data/synthetic.js';
import { replayBacktest } from '../src/engine/backtestRunner.js';
import type { Kernel } from '../src/engine/kernel.js';
import type { OrderRequest } from '../src/model/types.js';
import { parseRiskConfig, type RiskConfigInput } from '../src/risk/config.js';
import { MemoryRiskStateStore } from '../src/risk/killSwitch.js';
import { RiskEngine } from '../src/risk/riskEngine.js';
import { defineStrategy } from '../src/strategy/api.js';
import { cost, gc, type BenchRecord } from './measure.js';

const SYMBOLS = Array.from({ length: 10 }, (_, i) => `S${i}`);
const CALLS = 200_000;

/** Every limit set, none binding, so each order runs every check to the end. */
const ALL_CHECKS: RiskConfigInput = {
  global: {
    maxPositionQty: 1e9, maxPositionNotional: 1e12, maxGrossExposure: 1e12, maxNetExposure: 1e12,
    maxOrdersPerSecond: 1e6, maxOrdersPerMinute: 1e6, maxOrdersPerDay: 1e9, maxDailyLossPct: 99, maxDrawdownPct: 99,
    restrictedSymbols: ['XXX'], priceBandPct: 50, minPrice: 0.01, maxPositions: 1000, minCashReserve: 0,
    maxCorrelation: 1, correlationLookback: 60, maxGroupPct: 10_000,
    tradingHours: { session: 'regular', regular: '00:00-23:59', weekdaysOnly: false },
  },
  strategies: { bench: { maxOpenOrders: 10_000 } },
  groups: Object.fromEntries(SYMBOLS.map((s, i) => [s, i % 2 === 0 ? 'even' : 'odd'])),
};

/** A kernel after a short run: a position in every symbol and 20 working limit orders. */
function loadedKernel(): Kernel {
  const series = SYMBOLS.map((symbol, i) => generateSyntheticBars({ symbol, bars: 300, seed: 7 + i, timeframe: '1m' }));
  const setup = defineStrategy({
    id: 'bench-setup', name: 'bench setup', description: 'opens positions and leaves limit orders working', params: {},
    create: () => ({
      onBar(bar, ctx) {
        if (ctx.history(bar.symbol).length !== 2) return;
        ctx.submit({ symbol: bar.symbol, side: 'buy', quantity: 100 });
        ctx.submit({ symbol: bar.symbol, side: 'buy', quantity: 10, type: 'limit', limitPrice: bar.close / 2 });
        ctx.submit({ symbol: bar.symbol, side: 'sell', quantity: 10, type: 'limit', limitPrice: bar.close * 2 });
      },
    }),
  });
  return replayBacktest({ series, strategy: setup, cash: 1e9, limits: { maxLeverage: 10 } }).kernel;
}

function engineOn(kernel: Kernel, config: RiskConfigInput, clock: { t: number }): RiskEngine {
  return new RiskEngine({
    config: parseRiskConfig(config),
    store: new MemoryRiskStateStore(),
    startEquity: kernel.portfolio.equity(),
    sources: {
      portfolio: kernel.portfolio,
      openOrders: () => kernel.oms.openOrders(),
      lastPrice: (s) => kernel.market.lastClose(s),
      history: (s) => kernel.market.history(s),
      timeZone: (s) => kernel.market.instrument(s).timeZone,
      // A new time on every call: nothing is served from the per-step correlation cache (the worst case).
      now: () => clock.t,
    },
  });
}

function p99Us(engine: RiskEngine, clock: { t: number }): number {
  const reqs: OrderRequest[] = SYMBOLS.map((symbol) => ({ symbol, side: 'buy', quantity: 1 }));
  const times = new Float64Array(CALLS);
  for (let i = 0; i < 20_000; i++) engine.check(reqs[i % reqs.length] as OrderRequest, 'bench');
  gc();
  for (let i = 0; i < CALLS; i++) {
    clock.t++;
    const t0 = process.hrtime.bigint();
    const d = engine.check(reqs[i % reqs.length] as OrderRequest, 'bench');
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
    if (d !== null) throw new Error(`bench order denied: ${d.code} ${d.message}`);
  }
  times.sort();
  return times[Math.floor(CALLS * 0.99)] as number;
}

export async function benchRisk(): Promise<BenchRecord[]> {
  const kernel = loadedKernel();
  const clock = { t: Date.UTC(2020, 0, 1, 5) };
  const all = p99Us(engineOn(kernel, ALL_CHECKS, clock), clock);
  const defaults = p99Us(engineOn(kernel, {}, clock), clock);
  return Promise.resolve([
    cost('risk.preTrade.p99', all, defaults, 'µs', `every check configured, 10 positions, 20 working orders; baseline: default limits; sizing not included`),
  ]);
}
