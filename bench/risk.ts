// risk.preTrade.p99: the full pre-trade path per order — sizing (the strategy host's, 10% of equity) and the
// checks (state from the live account + every check configured) — in µs at p99, against sizing + the
// default-limits checks measured in the same run. The note adds p50 and the checks alone.

import { generateSyntheticBars } from '../src/data/synthetic.js';
import { replayBacktest } from '../src/engine/backtestRunner.js';
import type { Kernel } from '../src/engine/kernel.js';
import type { OrderRequest } from '../src/model/types.js';
import { parseRiskConfig, type RiskConfigInput } from '../src/risk/config.js';
import { MemoryRiskStateStore } from '../src/risk/killSwitch.js';
import { RiskEngine } from '../src/risk/riskEngine.js';
import { parseSizeSpec } from '../src/risk/sizing/index.js';
import { defineStrategy } from '../src/strategy/api.js';
import type { StrategyHost } from '../src/engine/strategyHost.js';
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

interface Percentiles {
  readonly p50: number;
  readonly p99: number;
}

/** One order: the host's sizing (when given) and the checks, as a signal without a quantity takes them. */
function order(engine: RiskEngine, host: StrategyHost | null, symbol: string): void {
  const quantity = host === null ? 1 : host.sizedQuantity(symbol);
  const req: OrderRequest = { symbol, side: 'buy', quantity, type: 'market' };
  const d = engine.check(req, 'bench');
  if (d !== null) throw new Error(`bench order denied: ${d.code} ${d.message}`);
}

function percentiles(engine: RiskEngine, host: StrategyHost | null, clock: { t: number }): Percentiles {
  const times = new Float64Array(CALLS);
  for (let i = 0; i < 20_000; i++) order(engine, host, SYMBOLS[i % SYMBOLS.length] as string);
  gc();
  for (let i = 0; i < CALLS; i++) {
    clock.t++;
    const symbol = SYMBOLS[i % SYMBOLS.length] as string;
    const t0 = process.hrtime.bigint();
    order(engine, host, symbol);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  times.sort();
  return { p50: times[Math.floor(CALLS * 0.5)] as number, p99: times[Math.floor(CALLS * 0.99)] as number };
}

export async function benchRisk(): Promise<BenchRecord[]> {
  const kernel = loadedKernel();
  const host = kernel.addStrategy('bench', { onBar() {} }, SYMBOLS, parseSizeSpec('10%'));
  const clock = { t: Date.UTC(2020, 0, 1, 5) };
  const all = engineOn(kernel, ALL_CHECKS, clock);
  const baseline = engineOn(kernel, {}, clock);
  // Each figure is the second of two passes: the first lets the JIT settle on every path before anything counts.
  const measure = (engine: RiskEngine, sizer: StrategyHost | null): Percentiles => {
    percentiles(engine, sizer, clock);
    return percentiles(engine, sizer, clock);
  };
  const full = measure(all, host);
  const defaults = measure(baseline, host);
  const checksOnly = measure(all, null);
  const us = (x: number): string => `${x.toFixed(2)} µs`;
  const note =
    `sizing (10% of equity) + every check configured, 10 positions, 20 working orders: p50 ${us(full.p50)}; ` +
    `checks alone p50 ${us(checksOnly.p50)} p99 ${us(checksOnly.p99)}; baseline: sizing + default limits`;
  return Promise.resolve([cost('risk.preTrade.p99', full.p99, defaults.p99, 'µs', note)]);
}
