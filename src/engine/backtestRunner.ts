// Runs a strategy over in-memory series through the full kernel: simulated clock, bus, strategy, risk,
// OMS, simulated exchange and portfolio. A pure function of its inputs: same inputs, same result.

import { SimulatedClock } from '../core/clock.js';
import { Pi5Error } from '../core/errors.js';
import { createLogger } from '../core/log.js';
import { lowerBound, sliceSeries, type BarSeries } from '../model/barSeries.js';
import { parseTimeframe, periodsPerYear as defaultPeriodsPerYear, isDailyOrCoarser } from '../model/timeframe.js';
import type { Instrument } from '../model/types.js';
import { simulatedVenue } from '../execution/venues/sim/index.js';
import { DEFAULT_LIMITS, mergeLimits } from '../risk/limits.js';
import { resolveDefinitionParams } from '../strategy/definitionParams.js';
import type { BacktestResult } from '../backtest/types.js';
import type { BacktestInput } from './backtestInput.js';
import { summarizeBacktest, type ReplayOutput } from './backtestResult.js';
import type { SeriesHistory } from './history.js';
import { Kernel } from './kernel.js';
import { defaultRiskConfig } from '../risk/defaultConfig.js';
import { backtestSpecDefaults, parseCommissionSpec, parseSize, parseSlippageSpec } from './specs.js';
import { ReplayFeed } from './live/replayFeed.js';

export { ENGINE_VERSION } from './backtestResult.js';
export type { BacktestInput } from './backtestInput.js';


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


/** The replay alone (no metrics): what benchmarks time as kernel throughput. */
export function replayBacktest(input: BacktestInput): ReplayOutput {
  const series = input.series.map((s) => rangeOf(s, input.from, input.to)).filter((s) => s.length > 0);
  const tfText = checkInputs(series);
  const tf = parseTimeframe(tfText);
  if (!tf) throw new Pi5Error('PI5_ERR_BAD_USAGE', `unknown timeframe ${JSON.stringify(tfText)}`);
  const params = resolveDefinitionParams(input.strategy, input.params);
  const cash = input.cash ?? 100_000;
  const d = backtestSpecDefaults(series.length);
  const specs = { size: input.size ?? parseSize(d.size), commission: input.commission ?? parseCommissionSpec(d.commission), slippage: input.slippage ?? parseSlippageSpec(d.slippage) };
  const commission = specs.commission.build();
  const slippage = specs.slippage.model;
  const risk = input.risk ?? defaultRiskConfig();
  const ppy = input.periodsPerYear ?? defaultPeriodsPerYear(tf);
  const clock = new SimulatedClock((series[0] as BarSeries).ts[0] as number);
  const kernel = new Kernel({
    clock,
    baseTimeframe: tf,
    cash,
    sizer: specs.size.sizer,
    // The shortcut limits win over the config's global layer; per-strategy and per-symbol layers still apply.
    limits: mergeLimits(DEFAULT_LIMITS, risk.global, input.limits),
    risk: { ...risk, global: {} },
    ...(input.riskStore === undefined ? {} : { riskStore: input.riskStore }),
    ...(input.riskMonitor === undefined ? {} : { riskMonitor: input.riskMonitor }),
    venue: simulatedVenue({
      commission,
      slippage,
      fillOn: input.fillOn ?? 'open',
      volumeLimitPct: input.volumeLimitPct ?? 0,
      ocoBothFill: input.ocoBothFill ?? 'stop-loss',
    }),
    log: input.log ?? createLogger('warn'),
    clientIdPrefix: `bt-${input.strategy.id}`,
  });
  const timeZone = isDailyOrCoarser(tf) ? 'UTC' : (input.timeZone ?? 'UTC');
  // Every other reader of a backtest's bars (venue, market state, portfolio) copies what it needs.
  const feed = new ReplayFeed(series, { reuseBars: input.strategy.keepsBars === false });
  const histories = feed.histories;
  series.forEach((s, i) => {
    const instrument: Instrument = { symbol: s.symbol, priceDecimals: s.priceDecimals, lotSize: 1, currency: 'USD', timeZone };
    kernel.addInstrument(instrument, histories[i] as SeriesHistory);
  });
  kernel.addStrategy(input.strategy.id, input.strategy.create(params), series.map((s) => s.symbol));
  kernel.start();

  const times = feed.times;
  const steps = times.length;
  const equity = new Float64Array(steps + 1);
  const inMarket = new Uint8Array(steps);
  equity[0] = cash;
  const total = series.reduce((n, s) => n + s.length, 0);
  for (let k = 0; k < steps; k++) {
    kernel.runStep(feed, k);
    equity[k + 1] = kernel.portfolio.equity();
    inMarket[k] = kernel.portfolio.hasOpenPositions() ? 1 : 0;
    if (input.onProgress && (k & (PROGRESS_EVERY - 1)) === 0) input.onProgress(feed.barsDelivered, total);
  }
  kernel.stop();
  input.onProgress?.(total, total);
  return { input, kernel, series, times, equity, inMarket, params, tfText, cash, sizeSpec: specs.size.text, commissionSpec: specs.commission.text, slippageSpec: specs.slippage.text, periodsPerYear: ppy };
}

export function runBacktest(input: BacktestInput): BacktestResult {
  return summarizeBacktest(replayBacktest(input));
}
