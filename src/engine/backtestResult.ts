// Turns a finished replay into a BacktestResult: metrics (METRICS.md), monthly returns, trades, open
// positions, orders and risk denials, with the run's configuration for the record.

import { computeMetrics, monthlyReturns } from '../backtest/metrics.js';
import type { BacktestResult, Metrics } from '../backtest/types.js';
import type { BarSeries } from '../model/barSeries.js';
import { formatPu } from '../model/money.js';
import type { BacktestInput } from './backtestInput.js';
import type { Kernel } from './kernel.js';
import { ENGINE_VERSION } from './version.js';

export { ENGINE_VERSION };

export interface ReplayOutput {
  readonly input: BacktestInput;
  readonly kernel: Kernel;
  readonly series: readonly BarSeries[];
  readonly times: Float64Array;
  readonly equity: Float64Array;
  readonly inMarket: Uint8Array;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly tfText: string;
  readonly cash: number;
  readonly sizeSpec: string;
  readonly commissionSpec: string;
  readonly slippageSpec: string;
  readonly periodsPerYear: number;
}

/** Benchmark closes at each run time, carried forward over the benchmark's own gaps. */
function benchmarkCloses(bench: BarSeries, times: Float64Array): Float64Array {
  const out = new Float64Array(times.length);
  let j = 0;
  let last = NaN;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    while (j < bench.length && (bench.ts[j] as number) <= t) last = bench.close[j++] as number;
    out[i] = last;
  }
  return out;
}

/** The metrics of a replay alone: what summarizeBacktest reports, without the rest (optimizer trials need only these). */
export function replayMetrics(out: ReplayOutput): Metrics {
  const { input, kernel, times, equity, inMarket } = out;
  const totals = kernel.portfolio.totals();
  return computeMetrics({
    times,
    equity,
    inMarket,
    trades: kernel.portfolio.trades,
    tradedNotional: totals.tradedNotional,
    commissions: totals.commissions,
    slippage: totals.slippage,
    periodsPerYear: out.periodsPerYear,
    riskFreeRate: input.riskFreeRate ?? 0,
    ...(input.benchmark ? { benchmark: benchmarkCloses(input.benchmark, times) } : {}),
  });
}

export function summarizeBacktest(out: ReplayOutput): BacktestResult {
  const { input, kernel, series, times, equity, params } = out;
  const steps = times.length;
  const trades = kernel.portfolio.trades;
  const metrics = replayMetrics(out);
  const iso = (t: number | undefined): string | null => (t === undefined ? null : new Date(t).toISOString());
  return {
    version: ENGINE_VERSION,
    config: {
      strategy: input.strategy.id,
      params: { ...params },
      symbols: series.map((s) => s.symbol),
      timeframe: out.tfText,
      from: iso(times[0]),
      to: iso(times[steps - 1]),
      cash: out.cash,
      size: out.sizeSpec,
      commission: out.commissionSpec,
      slippage: out.slippageSpec,
      fillOn: input.fillOn ?? 'open',
      periodsPerYear: out.periodsPerYear,
      riskFreeRate: input.riskFreeRate ?? 0,
      seed: input.seed ?? 0,
      data: input.dataSources ?? [],
      adjustment: input.adjustment ?? 'none',
      benchmark: input.benchmark?.symbol ?? null,
    },
    metrics,
    trades,
    openPositions: kernel.portfolio.openPositionReports(),
    times,
    equity,
    monthlyReturns: monthlyReturns(times, equity),
    rejections: kernel.denials.map((d) => ({ time: d.ts, symbol: d.symbol, code: d.code, message: d.message })),
    finalCash: formatPu(kernel.portfolio.cashExactPu()),
    ...(kernel.monitor === null ? {} : { riskSnapshots: kernel.monitor.snapshots }),
    // Rebuilt from the order archive only when asked for: most runs never read them.
    get orders() {
      return kernel.oms.all();
    },
  };
}
