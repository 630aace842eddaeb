// Runs a strategy over in-memory series through the full kernel: simulated clock, bus, strategy, risk,
// OMS, simulated exchange and portfolio. A pure function of its inputs: same inputs, same result.

import { SimulatedClock } from '../core/clock.js';
import { Pi5Error } from '../core/errors.js';
import { createLogger, type Logger } from '../core/log.js';
import { lowerBound, sliceSeries, type BarSeries } from '../model/barSeries.js';
import { formatPu } from '../model/money.js';
import { parseTimeframe, periodsPerYear as defaultPeriodsPerYear, isDailyOrCoarser } from '../model/timeframe.js';
import type { Bar, Instrument } from '../model/types.js';
import { parseCommission } from '../execution/sim/commission.js';
import { parseSlippage } from '../execution/sim/slippage.js';
import { DEFAULT_LIMITS, type RiskLimits } from '../risk/preTrade.js';
import { parseSizeSpec } from '../risk/sizing.js';
import { resolveParams, type RawParams } from '../strategy/params.js';
import type { StrategyDefinition } from '../strategy/api.js';
import { computeMetrics, monthlyReturns } from '../backtest/metrics.js';
import type { BacktestResult } from '../backtest/types.js';
import { SeriesHistory } from './history.js';
import { Kernel } from './kernel.js';
import { unionTimes } from './timeline.js';

export const ENGINE_VERSION = '0.1.0';

export interface BacktestInput {
  readonly series: readonly BarSeries[];
  readonly strategy: StrategyDefinition;
  readonly params?: RawParams;
  readonly cash?: number;
  readonly size?: string;
  readonly commission?: string;
  readonly slippage?: string;
  readonly fillOn?: 'open' | 'close';
  readonly volumeLimitPct?: number;
  readonly ocoBothFill?: 'stop-loss' | 'take-profit';
  readonly limits?: Partial<RiskLimits>;
  readonly periodsPerYear?: number;
  readonly riskFreeRate?: number;
  readonly seed?: number;
  /** Inclusive range, epoch ms. */
  readonly from?: number;
  readonly to?: number;
  /** Symbol of one of the series (or a separate series) to compare against. */
  readonly benchmark?: BarSeries;
  /** Exchange time zone for intraday session logic (DAY orders). Daily bars use their UTC date. */
  readonly timeZone?: string;
  readonly dataSources?: readonly string[];
  readonly log?: Logger;
  readonly onProgress?: (done: number, total: number) => void;
}

const PROGRESS_EVERY = 1 << 16;

function rangeOf(s: BarSeries, from?: number, to?: number): BarSeries {
  const a = from === undefined ? 0 : lowerBound(s, from);
  const b = to === undefined ? s.length : lowerBound(s, to + 1);
  return a === 0 && b === s.length ? s : sliceSeries(s, a, b);
}

function checkInputs(series: readonly BarSeries[]): string {
  const first = series[0];
  if (!first || series.every((s) => s.length === 0)) throw new Pi5Error('PI5_ERR_NO_DATA', 'no bars in the selected range');
  const tf = first.timeframe;
  const seen = new Set<string>();
  for (const s of series) {
    if (s.timeframe !== tf) {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', `series ${s.symbol} is ${s.timeframe} but ${first.symbol} is ${tf}: one run uses one base timeframe`);
    }
    if (seen.has(s.symbol)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `symbol ${s.symbol} is given twice`);
    seen.add(s.symbol);
  }
  return tf;
}

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

export function runBacktest(input: BacktestInput): BacktestResult {
  const series = input.series.map((s) => rangeOf(s, input.from, input.to)).filter((s) => s.length > 0);
  const tfText = checkInputs(series);
  const tf = parseTimeframe(tfText);
  if (!tf) throw new Pi5Error('PI5_ERR_BAD_USAGE', `unknown timeframe ${JSON.stringify(tfText)}`);
  const params = resolveParams(input.strategy.id, input.strategy.params, input.params);
  const cash = input.cash ?? 100_000;
  const sizeSpec = input.size ?? '100';
  const commission = parseCommission(input.commission ?? 'none');
  const slippage = parseSlippage(input.slippage ?? 'none');
  const limits: RiskLimits = { ...DEFAULT_LIMITS, ...input.limits };
  const ppy = input.periodsPerYear ?? defaultPeriodsPerYear(tf);
  const clock = new SimulatedClock((series[0] as BarSeries).ts[0] as number);
  const kernel = new Kernel({
    clock,
    baseTimeframe: tf,
    cash,
    sizer: parseSizeSpec(sizeSpec),
    limits,
    exchange: {
      commission,
      slippage,
      fillOn: input.fillOn ?? 'open',
      volumeLimitPct: input.volumeLimitPct ?? 0,
      ocoBothFill: input.ocoBothFill ?? 'stop-loss',
    },
    log: input.log ?? createLogger('warn'),
    clientIdPrefix: `bt-${input.strategy.id}`,
  });
  const timeZone = isDailyOrCoarser(tf) ? 'UTC' : (input.timeZone ?? 'UTC');
  const histories = series.map((s) => new SeriesHistory(s));
  series.forEach((s, i) => {
    const instrument: Instrument = { symbol: s.symbol, priceDecimals: s.priceDecimals, lotSize: 1, currency: 'USD', timeZone };
    kernel.addInstrument(instrument, histories[i] as SeriesHistory);
  });
  kernel.addStrategy(input.strategy.id, input.strategy.create(params), series.map((s) => s.symbol));
  kernel.start();

  const times = unionTimes(series);
  const steps = times.length;
  const equity = new Float64Array(steps + 1);
  const inMarket = new Uint8Array(steps);
  equity[0] = cash;
  const cursors = new Int32Array(series.length);
  const total = series.reduce((n, s) => n + s.length, 0);
  let done = 0;
  for (let k = 0; k < steps; k++) {
    const ts = times[k] as number;
    clock.advanceTo(ts);
    kernel.step = k + 1;
    kernel.fireTimers(ts);
    for (let j = 0; j < series.length; j++) {
      const s = series[j] as BarSeries;
      const i = cursors[j] as number;
      if (i >= s.length || (s.ts[i] as number) !== ts) continue;
      (histories[j] as SeriesHistory).cursor = i;
      cursors[j] = i + 1;
      const bar: Bar = {
        symbol: s.symbol,
        timeframe: tfText,
        ts,
        open: s.open[i] as number,
        high: s.high[i] as number,
        low: s.low[i] as number,
        close: s.close[i] as number,
        volume: s.volume[i] as number,
      };
      kernel.onBar(bar);
      done++;
    }
    kernel.closeTimeStep(ts);
    equity[k + 1] = kernel.portfolio.equity();
    inMarket[k] = kernel.portfolio.hasOpenPositions() ? 1 : 0;
    if (input.onProgress && (k & (PROGRESS_EVERY - 1)) === 0) input.onProgress(done, total);
  }
  kernel.stop();
  input.onProgress?.(total, total);

  const totals = kernel.portfolio.totals();
  const trades = kernel.portfolio.trades;
  const metrics = computeMetrics({
    times,
    equity,
    inMarket,
    trades,
    tradedNotional: totals.tradedNotional,
    commissions: totals.commissions,
    slippage: totals.slippage,
    periodsPerYear: ppy,
    riskFreeRate: input.riskFreeRate ?? 0,
    ...(input.benchmark ? { benchmark: benchmarkCloses(input.benchmark, times) } : {}),
  });
  const iso = (t: number | undefined): string | null => (t === undefined ? null : new Date(t).toISOString());
  return {
    version: ENGINE_VERSION,
    config: {
      strategy: input.strategy.id,
      params: { ...params },
      symbols: series.map((s) => s.symbol),
      timeframe: tfText,
      from: iso(times[0]),
      to: iso(times[steps - 1]),
      cash,
      size: sizeSpec,
      commission: commission.spec,
      slippage: slippage.spec,
      fillOn: input.fillOn ?? 'open',
      periodsPerYear: ppy,
      riskFreeRate: input.riskFreeRate ?? 0,
      seed: input.seed ?? 0,
      data: input.dataSources ?? [],
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
    orders: [...kernel.oms.all()],
  };
}
