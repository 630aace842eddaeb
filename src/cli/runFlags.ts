// The flags that describe a run (data, range, money, costs, fills, risk) and their parsing, shared by
// `pi5 backtest` and `pi5 optimize` so a trial of the optimizer is set up exactly as the backtest of the
// same flags: one registrar, one parser.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Pi5Error } from '../core/errors.js';
import { parsePriceAdjustment } from '../data/adjust.js';
import { parseBarTime } from '../data/barTime.js';
import type { BacktestInput } from '../engine/backtestInput.js';
import { parseTradingSpecs } from '../engine/specs.js';
import type { BarSeries } from '../model/barSeries.js';
import type { PriceAdjustment } from '../model/priceAdjustment.js';
import type { StrategyDefinition } from '../strategy/api.js';
import type { RiskConfig } from '../risk/config.js';
import { loadSeries, loadStoreSeries, pickSeries } from './loadData.js';
import { parseDateOption, parseList, parseNumberOption } from './options.js';

export interface RunFlags {
  data?: string[];
  symbols?: string;
  timeframe?: string;
  from?: string;
  to?: string;
  adjust?: string;
  cash: string;
  size?: string;
  commission: string;
  slippage: string;
  fillOn: string;
  volumeLimit?: string;
  periodsPerYear?: string;
  riskFree: string;
  leverage?: string;
  risk?: string;
  timezone?: string;
  barTime?: string;
  quiet?: boolean;
}

/** Everything of a backtest input the run flags decide (not the strategy, its parameters or the benchmark). */
export type RunSettings = Omit<BacktestInput, 'strategy' | 'params' | 'benchmark' | 'log' | 'onProgress' | 'riskStore' | 'riskMonitor'>;

/** Adds the run flags to a command, in the order `pi5 backtest --help` has always listed them. */
export function addRunFlags(cmd: Command, extra: (cmd: Command) => Command = (c) => c): Command {
  cmd
    .option('--symbols <A,B>', 'symbols to trade (default: all in the data)')
    .option('--timeframe <tf>', 'base timeframe; coarser than the data (or than the stored bars) resamples it (e.g. 1w from 1d)')
    .option('--from <date>', 'first date (inclusive)')
    .option('--to <date>', 'last date (inclusive)')
    .option('--adjust <none|splits|all>', 'bars from the store: as traded (none), split-adjusted, or split- and dividend-adjusted (all)', 'none')
    .option('--cash <amount>', 'starting cash', '100000')
    .option('--size <spec>', 'sizer: 100 (shares), 10% (of equity), $5000 (notional), risk:1% (to the signal stop); default: the account split evenly over the symbols (100% for one)')
    .option('--commission <spec>', 'none | per-share:0.005:min=1 | percent:0.1 | bps:5 | fixed:1 | tiered:... (join with +)', 'none')
    .option('--slippage <spec>', 'none | bps:5 | ticks:1 | volume-share:0.1 | sqrt-impact:0.1 | spread:10', 'none')
    .option('--fill-on <open|close>', 'market orders fill at the next open (default) or the deciding bar close', 'open')
    .option('--volume-limit <pct>', 'at most this % of a bar volume fills per bar (rest keeps working)');
  extra(cmd);
  return cmd
    .option('--periods-per-year <n>', 'annualization periods (default from the timeframe: 252 daily)')
    .option('--risk-free <rate>', 'risk-free rate per year for Sharpe/Sortino (0.02 = 2%)', '0')
    .option('--leverage <x>', 'max gross exposure as a multiple of equity (default 1; wins over the --risk file)')
    .option('--risk <risk.json>', 'pre-trade limits and kill-switch options (RiskConfig, see docs/risk.md)')
    .option('--timezone <iana>', 'time zone of date-times without offset in the CSV, and of intraday sessions')
    .option('--bar-time <open|close>', 'what the CSV timestamps name: bar opens (default) or bar ends (moved back one bar)');
}

export interface RunData {
  readonly settings: RunSettings;
  /** Every series loaded (the traded ones and any extra, e.g. a benchmark). */
  readonly loaded: readonly BarSeries[];
}

/**
 * Parses the run flags and loads the bars. `extraSymbols` are loaded from the store beside the traded ones
 * (a benchmark); `command` names the command in usage errors.
 */
export async function runDataOf(f: RunFlags, command: string, extraSymbols: readonly string[] = []): Promise<RunData> {
  const fillOn = f.fillOn;
  if (fillOn !== 'open' && fillOn !== 'close') throw new Pi5Error('PI5_ERR_BAD_USAGE', `--fill-on: ${JSON.stringify(fillOn)} is not open or close`);
  const symbols = f.symbols === undefined ? undefined : parseList(f.symbols);
  const adjustment = adjustmentOf(f);
  const loaded = await loadBars(f, command, symbols, adjustment, extraSymbols);
  const series = symbols === undefined ? loaded : symbols.map((s) => pickSeries(loaded, s, '--symbols'));
  const settings: RunSettings = {
    series,
    cash: parseNumberOption('--cash', f.cash, { min: 0.01 }),
    ...parseTradingSpecs({ size: f.size, commission: f.commission, slippage: f.slippage }, series.length),
    fillOn,
    riskFreeRate: parseNumberOption('--risk-free', f.riskFree, { min: -1, max: 1 }),
    ...(f.leverage === undefined ? {} : { limits: { maxLeverage: parseNumberOption('--leverage', f.leverage, { min: 0.01, max: 100 }) } }),
    ...(f.risk === undefined ? {} : { risk: await readRiskConfig(f.risk) }),
    dataSources: f.data ?? ['store'],
    adjustment,
    ...(f.volumeLimit === undefined ? {} : { volumeLimitPct: parseNumberOption('--volume-limit', f.volumeLimit, { min: 0, max: 100 }) }),
    ...(f.periodsPerYear === undefined ? {} : { periodsPerYear: parseNumberOption('--periods-per-year', f.periodsPerYear, { min: 1 }) }),
    ...(f.from === undefined ? {} : { from: parseDateOption('--from', f.from, false) }),
    ...(f.to === undefined ? {} : { to: parseDateOption('--to', f.to, true) }),
    ...(f.timezone === undefined ? {} : { timeZone: f.timezone }),
  };
  return { settings, loaded };
}

/** CSV files with --data; otherwise the store, which needs --symbols (timeframe default 1d). */
async function loadBars(f: RunFlags, command: string, symbols: string[] | undefined, adjustment: PriceAdjustment, extra: readonly string[]): Promise<BarSeries[]> {
  if (f.data !== undefined) {
    return loadSeries({
      paths: f.data,
      ...(f.timeframe === undefined ? {} : { timeframe: f.timeframe }),
      ...(f.timezone === undefined ? {} : { timeZone: f.timezone }),
      barTime: parseBarTime(f.barTime),
    });
  }
  if (symbols === undefined || symbols.length === 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', `${command}: give --data <file|dir>, or --symbols to read bars from the store`);
  if (f.barTime !== undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--bar-time applies to CSV files (--data); stored bars are keyed by open time (set it on pi5 data import)');
  const wanted = [...symbols, ...extra.filter((s) => !symbols.includes(s))];
  return loadStoreSeries({
    symbols: wanted,
    timeframe: f.timeframe ?? '1d',
    ...(f.to === undefined ? {} : { to: parseDateOption('--to', f.to, true) }),
    adjustment,
    ...(f.quiet ? {} : { onNote: (note: string) => process.stderr.write(`${note}\n`) }),
  });
}

/** Adjusting needs the stored corporate actions: CSV bars are used as they are, so only 'none' goes with --data. */
function adjustmentOf(f: RunFlags): PriceAdjustment {
  const adjustment = parsePriceAdjustment(f.adjust, '--adjust');
  if (adjustment !== 'none' && f.data !== undefined) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `--adjust ${adjustment}: applies to bars read from the store (no --data); CSV bars are used as they are`);
  }
  return adjustment;
}

/** zod is loaded here, only for a run given --risk (riskSpec.ts). */
async function readRiskConfig(path: string): Promise<RiskConfig> {
  const { parseRiskSpec } = await import('../engine/riskSpec.js');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `--risk ${path}: cannot read: ${(e as Error).message}`);
  }
  try {
    return parseRiskSpec(JSON.parse(text), path);
  } catch (e) {
    if (e instanceof SyntaxError) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `${path}: not JSON: ${e.message}`);
    throw e;
  }
}

/**
 * `--timezone` is the zone of intraday sessions too: a strategy with a timeZone parameter gets it unless
 * `--param timeZone=` says otherwise.
 */
export function withSessionZone(strategy: StrategyDefinition, params: Record<string, string>, timeZone: string | undefined): Record<string, string> {
  if (timeZone === undefined || params.timeZone !== undefined || !('timeZone' in strategy.params)) return params;
  return { ...params, timeZone };
}
