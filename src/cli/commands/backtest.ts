// `pi5 backtest`: loads bars, runs a strategy through the kernel and writes the summary, JSON, trade CSV
// and HTML report that were asked for (DESIGN.md §12 keeps these flags and the JSON shape stable).

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createLogger } from '../../core/log.js';
import { runBacktest } from '../../engine/backtestRunner.js';
import { parseTradingSpecs } from '../../engine/specs.js';
import { loadStrategy } from '../../strategy/loader.js';
import { writeResultJson } from '../../backtest/report/json.js';
import { writeHtmlReport } from '../../backtest/report/html.js';
import { writeTradesCsv } from '../../backtest/report/tradesCsv.js';
import { formatSummary } from '../../backtest/report/summary.js';
import { loadSeries, loadStoreSeries, pickSeries } from '../loadData.js';
import type { BarSeries } from '../../model/barSeries.js';
import { collectParam, parseDateOption, parseList, parseNumberOption } from '../options.js';
import { progressReporter } from '../progress.js';
import { withCpuProfile } from '../profile.js';
import { Pi5Error } from '../../core/errors.js';
import { checkRiskConfigInput, type RiskConfigInput } from '../../risk/config.js';
import { parsePriceAdjustment } from '../../data/adjust.js';
import type { PriceAdjustment } from '../../model/priceAdjustment.js';
import { parseBarTime } from '../../data/barTime.js';
import type { StrategyDefinition } from '../../strategy/api.js';

interface BacktestFlags {
  data?: string[];
  strategy: string;
  param?: Record<string, string>;
  symbols?: string;
  timeframe?: string;
  from?: string;
  to?: string;
  adjust?: string;
  cash: string;
  size: string;
  commission: string;
  slippage: string;
  fillOn: string;
  volumeLimit?: string;
  benchmark?: string;
  periodsPerYear?: string;
  riskFree: string;
  leverage?: string;
  risk?: string;
  timezone?: string;
  barTime?: string;
  json?: string;
  report?: string;
  trades?: string;
  profile?: string;
  quiet?: boolean;
  progress?: boolean;
}

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description('run a strategy over historical bars and report trades and metrics')
    .option('--data <file|dir...>', 'CSV file(s) or a directory of CSV files (default: the bar store, with --symbols)')
    .requiredOption('--strategy <id|path>', 'built-in strategy id (see `pi5 strategies`) or a .ts/.js module path')
    .option('--param <name=value>', 'strategy parameter (repeatable)', collectParam)
    .option('--symbols <A,B>', 'symbols to trade (default: all in the data)')
    .option('--timeframe <tf>', 'base timeframe; coarser than the data (or than the stored bars) resamples it (e.g. 1w from 1d)')
    .option('--from <date>', 'first date (inclusive)')
    .option('--to <date>', 'last date (inclusive)')
    .option('--adjust <none|splits|all>', 'bars from the store: as traded (none), split-adjusted, or split- and dividend-adjusted (all)', 'none')
    .option('--cash <amount>', 'starting cash', '100000')
    .option('--size <spec>', 'sizer: 100 (shares), 10% (of equity), $5000 (notional), risk:1% (to the signal stop)', '100')
    .option('--commission <spec>', 'none | per-share:0.005:min=1 | percent:0.1 | bps:5 | fixed:1 | tiered:... (join with +)', 'none')
    .option('--slippage <spec>', 'none | bps:5 | ticks:1 | volume-share:0.1 | sqrt-impact:0.1 | spread:10', 'none')
    .option('--fill-on <open|close>', 'market orders fill at the next open (default) or the deciding bar close', 'open')
    .option('--volume-limit <pct>', 'at most this % of a bar volume fills per bar (rest keeps working)')
    .option('--benchmark <symbol>', 'symbol in the data to compute alpha, beta and tracking error against')
    .option('--periods-per-year <n>', 'annualization periods (default from the timeframe: 252 daily)')
    .option('--risk-free <rate>', 'risk-free rate per year for Sharpe/Sortino (0.02 = 2%)', '0')
    .option('--leverage <x>', 'max gross exposure as a multiple of equity (default 1; wins over the --risk file)')
    .option('--risk <risk.json>', 'pre-trade limits and kill-switch options (RiskConfig, see docs/risk.md)')
    .option('--timezone <iana>', 'time zone of date-times without offset in the CSV, and of intraday sessions')
    .option('--bar-time <open|close>', 'what the CSV timestamps name: bar opens (default) or bar ends (moved back one bar)')
    .option('--json <out.json>', 'write the result as JSON')
    .option('--report <out.html>', 'write a self-contained HTML report')
    .option('--trades <out.csv>', 'write the closed trades as CSV')
    .option('--profile <out.cpuprofile>', 'write a V8 CPU profile of the run')
    .option('--quiet', 'print nothing on success')
    .option('--no-progress', 'no progress display')
    .action(async (flags: BacktestFlags) => {
      await withCpuProfile(flags.profile, () => backtestCommand(flags));
    });
}

async function backtestCommand(f: BacktestFlags): Promise<void> {
  const fillOn = f.fillOn;
  if (fillOn !== 'open' && fillOn !== 'close') throw new Pi5Error('PI5_ERR_BAD_USAGE', `--fill-on: ${JSON.stringify(fillOn)} is not open or close`);
  const strategy = await loadStrategy(f.strategy);
  const symbols = f.symbols === undefined ? undefined : parseList(f.symbols);
  const adjustment = adjustmentOf(f);
  const loaded = await loadBars(f, symbols, adjustment);
  const traded = symbols === undefined ? loaded : symbols.map((s) => pickSeries(loaded, s, '--symbols'));
  const benchmark = f.benchmark === undefined ? undefined : pickSeries(loaded, f.benchmark, '--benchmark');
  const showProgress = f.progress !== false && !f.quiet;
  const result = runBacktest({
    series: traded,
    strategy,
    params: withSessionZone(strategy, f.param ?? {}, f.timezone),
    cash: parseNumberOption('--cash', f.cash, { min: 0.01 }),
    ...parseTradingSpecs({ size: f.size, commission: f.commission, slippage: f.slippage }),
    fillOn,
    riskFreeRate: parseNumberOption('--risk-free', f.riskFree, { min: -1, max: 1 }),
    ...(f.leverage === undefined ? {} : { limits: { maxLeverage: parseNumberOption('--leverage', f.leverage, { min: 0.01, max: 100 }) } }),
    ...(f.risk === undefined ? {} : { risk: readRiskConfig(f.risk) }),
    dataSources: f.data ?? ['store'],
    adjustment,
    log: createLogger(f.quiet ? 'error' : 'warn'),
    ...(f.volumeLimit === undefined ? {} : { volumeLimitPct: parseNumberOption('--volume-limit', f.volumeLimit, { min: 0, max: 100 }) }),
    ...(f.periodsPerYear === undefined ? {} : { periodsPerYear: parseNumberOption('--periods-per-year', f.periodsPerYear, { min: 1 }) }),
    ...(f.from === undefined ? {} : { from: parseDateOption('--from', f.from, false) }),
    ...(f.to === undefined ? {} : { to: parseDateOption('--to', f.to, true) }),
    ...(f.timezone === undefined ? {} : { timeZone: f.timezone }),
    ...(benchmark === undefined ? {} : { benchmark }),
    ...(showProgress ? { onProgress: bigRunProgress() } : {}),
  });
  if (f.json !== undefined) await writeResultJson(f.json, result);
  if (f.trades !== undefined) await writeTradesCsv(f.trades, result.trades);
  if (f.report !== undefined) await writeHtmlReport(f.report, result);
  if (!f.quiet) {
    process.stdout.write(formatSummary(result));
    for (const [flag, path] of [['json', f.json], ['trades', f.trades], ['report', f.report]] as const) {
      if (path !== undefined) process.stdout.write(`${flag}: ${path}\n`);
    }
  }
}

/**
 * `--timezone` is the zone of intraday sessions too: a strategy with a timeZone parameter gets it unless
 * `--param timeZone=` says otherwise.
 */
function withSessionZone(strategy: StrategyDefinition, params: Record<string, string>, timeZone: string | undefined): Record<string, string> {
  if (timeZone === undefined || params.timeZone !== undefined || !('timeZone' in strategy.params)) return params;
  return { ...params, timeZone };
}

/** CSV files with --data; otherwise the store, which needs --symbols (timeframe default 1d). */
async function loadBars(f: BacktestFlags, symbols: string[] | undefined, adjustment: PriceAdjustment): Promise<BarSeries[]> {
  if (f.data !== undefined) {
    return loadSeries({
      paths: f.data,
      ...(f.timeframe === undefined ? {} : { timeframe: f.timeframe }),
      ...(f.timezone === undefined ? {} : { timeZone: f.timezone }),
      barTime: parseBarTime(f.barTime),
    });
  }
  if (symbols === undefined || symbols.length === 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', 'backtest: give --data <file|dir>, or --symbols to read bars from the store');
  if (f.barTime !== undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--bar-time applies to CSV files (--data); stored bars are keyed by open time (set it on pi5 data import)');
  const wanted = f.benchmark === undefined || symbols.includes(f.benchmark) ? symbols : [...symbols, f.benchmark];
  return loadStoreSeries({
    symbols: wanted,
    timeframe: f.timeframe ?? '1d',
    ...(f.to === undefined ? {} : { to: parseDateOption('--to', f.to, true) }),
    adjustment,
    ...(f.quiet ? {} : { onNote: (note: string) => process.stderr.write(`${note}\n`) }),
  });
}

/** Adjusting needs the stored corporate actions: CSV bars are used as they are, so only 'none' goes with --data. */
function adjustmentOf(f: BacktestFlags): PriceAdjustment {
  const adjustment = parsePriceAdjustment(f.adjust, '--adjust');
  if (adjustment !== 'none' && f.data !== undefined) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `--adjust ${adjustment}: applies to bars read from the store (no --data); CSV bars are used as they are`);
  }
  return adjustment;
}

function readRiskConfig(path: string): RiskConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `--risk ${path}: cannot read: ${(e as Error).message}`);
  }
  try {
    return checkRiskConfigInput(JSON.parse(text), path);
  } catch (e) {
    if (e instanceof SyntaxError) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `${path}: not JSON: ${e.message}`);
    throw e;
  }
}

/** Progress only for runs long enough to notice (200k bars and up). */
function bigRunProgress(): (done: number, total: number) => void {
  const show = progressReporter('backtest');
  return (done, total) => {
    if (total >= 200_000) show(done, total);
  };
}
