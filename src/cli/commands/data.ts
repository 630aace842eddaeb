// `pi5 data import|fetch|list|export|resample|gaps` (import-ticks and ticks-to-bars: dataTicks.ts): market data
// in the store. Imports parse every file before writing anything and write in one transaction, so a bad file
// leaves the store as it was.

import { once } from 'node:events';
import type { Command } from 'commander';
import { Pi5Error } from '../../core/errors.js';
import { barsCsvBlocks, readBarsCsv, type CsvBarSeries } from '../../data/csv/index.js';
import { parseBarTime, toOpenTime } from '../../data/barTime.js';
import { storedTimeframe } from '../storedTimeframe.js';
import { openCache } from '../../cache/openCache.js';
import type { Cache } from '../../cache/types.js';
import { adjustedPriceDecimals, parsePriceAdjustment } from '../../data/adjust.js';
import { historicalProvider, type CorporateAction, type HistoricalBars } from '../../data/providers/index.js';
import { resilienceFromEnv, resilientProvider } from '../../data/providers/resilience/index.js';
import { BarStore } from '../../persistence/barStore.js';
import { adjustStoredSeries } from '../../persistence/adjustedSeries.js';
import { storeResampled } from '../../persistence/barResample.js';
import { findGaps } from '../../persistence/barGaps.js';
import { CorporateActionRepository } from '../../persistence/repositories/corporateActions.js';
import { withDatabase } from '../../persistence/session.js';
import { parseDateOption, parseList } from '../options.js';
import { progressReporter } from '../progress.js';
import { writeChunks } from '../../backtest/report/writeChunks.js';
import { registerTickCommands } from './dataTicks.js';

interface ImportFlags {
  symbol?: string;
  timeframe?: string;
  timezone?: string;
  barTime?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

async function parseAll(files: readonly string[], f: ImportFlags): Promise<CsvBarSeries[]> {
  const out: CsvBarSeries[] = [];
  const barTime = parseBarTime(f.barTime);
  for (const file of files) {
    try {
      out.push(
        toOpenTime(await readBarsCsv(file, {
          ...(f.symbol === undefined ? {} : { symbol: f.symbol }),
          ...(f.timeframe === undefined ? {} : { timeframe: f.timeframe }),
          ...(f.timezone === undefined ? {} : { timeZone: f.timezone }),
        }), barTime),
      );
    } catch (e) {
      process.stderr.write(`${file}: rejected, nothing imported\n`);
      throw e;
    }
  }
  return out;
}

async function importCommand(files: string[], f: ImportFlags): Promise<void> {
  const series = await parseAll(files, f);
  series.forEach((s, i) => {
    const rejected = s.skippedRows > 0 ? `, ${s.skippedRows} rejected (all prices null)` : '';
    process.stderr.write(`${files[i]}: ${s.symbol} ${s.timeframe}, ${s.length} rows accepted${rejected}\n`);
  });
  const show = progressReporter('import');
  await withDatabase(async (db) => {
    const r = await new BarStore(db).ingest(series, show);
    process.stdout.write(`imported ${r.rows} bars (${r.written} new or changed) into ${db.engine}\n`);
  });
}

async function listCommand(f: { json?: boolean }): Promise<void> {
  await withDatabase(async (db) => {
    const list = await new BarStore(db).list();
    if (f.json) {
      process.stdout.write(JSON.stringify(list.map((s) => ({ ...s, firstTs: iso(s.firstTs), lastTs: iso(s.lastTs) })), null, 2) + '\n');
      return;
    }
    process.stdout.write('symbol      timeframe  first                     last                      bars\n');
    for (const s of list) {
      process.stdout.write(`${s.symbol.padEnd(11)} ${s.timeframe.padEnd(10)} ${iso(s.firstTs)}  ${iso(s.lastTs)}  ${s.count}\n`);
    }
  });
}

interface ExportFlags {
  symbol: string;
  timeframe?: string;
  from?: string;
  to?: string;
  adjust?: string;
  out?: string;
}

/** Block by block, waiting whenever the pipe is full: a million rows never sit in memory as text. */
async function writeToStdout(blocks: Iterable<Buffer>): Promise<void> {
  for (const block of blocks) {
    if (!process.stdout.write(block)) await once(process.stdout, 'drain');
  }
}

async function exportCommand(f: ExportFlags): Promise<void> {
  const adjustment = parsePriceAdjustment(f.adjust, '--adjust');
  const from = f.from === undefined ? undefined : parseDateOption('--from', f.from, false);
  const to = f.to === undefined ? undefined : parseDateOption('--to', f.to, true);
  await withDatabase(async (db) => {
    const store = new BarStore(db);
    const timeframe = await storedTimeframe(store, f.symbol, f.timeframe);
    const [raw] = await store.read({ symbols: [f.symbol], timeframe, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
    if (raw === undefined) throw new Pi5Error('PI5_ERR_NO_DATA', `table bars: no ${f.symbol} ${timeframe} bars in the range (see pi5 data list)`, { symbol: f.symbol });
    const s = await adjustStoredSeries(db, raw, adjustment, to);
    // Adjusted prices keep more decimals than the tick (data/adjust.ts): write them all, not the raw decimals.
    const csv = barsCsvBlocks(s, adjustment === 'none' ? {} : { maxDecimals: adjustedPriceDecimals(s.priceDecimals) });
    if (f.out === undefined) await writeToStdout(csv);
    else {
      await writeChunks(f.out, csv);
      process.stderr.write(`exported ${s.length} bars to ${f.out}\n`);
    }
  });
}

interface FetchFlags {
  provider: string;
  symbols: string;
  timeframe: string;
  from: string;
  to?: string;
}

function describeAction(a: CorporateAction): string {
  const date = iso(a.ts).slice(0, 10);
  return a.kind === 'split' ? `split ${a.symbol} ${date} ${a.numerator}:${a.denominator}` : `dividend ${a.symbol} ${date} ${a.amount} ${a.currency}`;
}

/** Every symbol through the provider wrapped in the response cache and its circuit breaker. */
async function fetchAll(cache: Cache, f: FetchFlags, symbols: readonly string[], from: number, to: number): Promise<HistoricalBars[]> {
  const provider = resilientProvider(historicalProvider(f.provider, process.env, { cache }), { cache, ...resilienceFromEnv(process.env) });
  const fetched: HistoricalBars[] = [];
  for (const [i, symbol] of symbols.entries()) {
    const r = await provider.fetchBars({ symbol, timeframe: f.timeframe, from, to });
    const empty = r.skippedRows > 0 ? `, ${r.skippedRows} empty rows skipped` : '';
    const note = provider.actionsNote?.(f.timeframe);
    const actions = note === undefined ? `${r.corporateActions.length} corporate actions` : `no corporate actions (${note})`;
    process.stderr.write(`[${i + 1}/${symbols.length}] ${provider.name} ${symbol} ${f.timeframe}: ${r.series.length} bars, ${actions}${empty}\n`);
    fetched.push(r);
  }
  return fetched;
}

/** Downloads every symbol before writing, then stores all in one transaction: a failure stores nothing. */
async function fetchCommand(f: FetchFlags): Promise<void> {
  const symbols = parseList(f.symbols).map((s) => s.toUpperCase());
  if (symbols.length === 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--symbols: no symbol given (e.g. AAPL,MSFT)');
  const from = parseDateOption('--from', f.from, false);
  const to = f.to === undefined ? Date.now() : parseDateOption('--to', f.to, true);
  // Responses and request budgets live in the cache; with REDIS_URL they are shared across processes and runs.
  const cache = await openCache({ redisUrl: process.env.REDIS_URL });
  let fetched: HistoricalBars[];
  try {
    fetched = await fetchAll(cache, f, symbols, from, to);
  } finally {
    await cache.close();
  }
  // Always as traded (DESIGN.md §8): adjusted series are derived on read from these bars and the actions.
  const series = fetched.map((x) => x.series).filter((s) => s.length > 0);
  const actions = fetched.flatMap((x) => x.corporateActions);
  const source = f.provider.trim().toLowerCase();
  const show = progressReporter('store');
  await withDatabase(async (db) => {
    let storedActions = 0;
    // The actions commit with the bars: a failure stores neither.
    const r = await new BarStore(db).ingest(series, show, {
      alongside: async (tx) => {
        storedActions = await new CorporateActionRepository(tx).upsert(actions, source);
      },
    });
    process.stdout.write(`fetched ${r.rows} bars (${r.written} new or changed) into ${db.engine}, raw prices; ${actions.length} corporate actions (${storedActions} new or changed)\n`);
  });
  for (const a of actions) process.stdout.write(`${describeAction(a)}\n`);
}

async function actionsCommand(f: { symbol: string; from?: string; to?: string; json?: boolean }): Promise<void> {
  const symbol = f.symbol.trim().toUpperCase();
  await withDatabase(async (db) => {
    const list = await new CorporateActionRepository(db).list(symbol, {
      ...(f.from === undefined ? {} : { from: parseDateOption('--from', f.from, false) }),
      ...(f.to === undefined ? {} : { to: parseDateOption('--to', f.to, true) }),
    });
    if (f.json) {
      process.stdout.write(JSON.stringify(list.map((a) => ({ ...a, exDate: iso(a.ts).slice(0, 10) })), null, 2) + '\n');
      return;
    }
    for (const a of list) process.stdout.write(`${describeAction(a)} (${a.source})\n`);
    process.stdout.write(`${list.length} corporate action(s) for ${symbol}\n`);
  });
}

export function registerData(program: Command): void {
  const data = program.command('data').description('market data in the store (DATABASE_URL, or PGlite in PI5_DATA_DIR)');
  data
    .command('import <csv...>')
    .description('import bar CSV files (all or nothing)')
    .option('--symbol <symbol>', 'symbol of the bars (default: from the file name)')
    .option('--timeframe <tf>', 'timeframe of the bars (default: inferred)')
    .option('--timezone <iana>', 'time zone of date-times without offset')
    .option('--bar-time <open|close>', 'what the timestamps name: bar opens (default) or bar ends (moved back one bar)')
    .action(importCommand);
  data
    .command('fetch')
    .description('download bars (raw, as traded) and their splits/dividends from a provider into the store')
    .requiredOption('--provider <name>', 'yahoo, alphavantage or alpaca')
    .requiredOption('--symbols <list>', 'comma-separated symbols, e.g. AAPL,MSFT')
    .option('--timeframe <tf>', 'bar timeframe (1m, 5m, 15m, 1h, 1d, 1w, 1M)', '1d')
    .requiredOption('--from <date>', 'first date (inclusive)')
    .option('--to <date>', 'last date (inclusive; default: now)')
    .action(fetchCommand);
  data
    .command('actions')
    .description("a symbol's stored splits and dividends by ex-date")
    .requiredOption('--symbol <symbol>', 'symbol')
    .option('--from <date>', 'first ex-date (inclusive)')
    .option('--to <date>', 'last ex-date (inclusive)')
    .option('--json', 'print JSON')
    .action(actionsCommand);
  data.command('list').description('stored series: symbol, timeframe, first and last bar, count').option('--json', 'print JSON').action(listCommand);
  data
    .command('export')
    .description('write stored bars as CSV')
    .requiredOption('--symbol <symbol>', 'symbol')
    .option('--timeframe <tf>', 'timeframe (default: the only one stored for the symbol)')
    .option('--from <date>', 'first date (inclusive)')
    .option('--to <date>', 'last date (inclusive)')
    .option('--adjust <none|splits|all>', 'as traded (none), split-adjusted, or split- and dividend-adjusted (all), relative to the last bar exported', 'none')
    .option('--out <file.csv>', 'output file (default: stdout)')
    .action(exportCommand);
  data
    .command('resample')
    .description('build and store coarser bars from stored ones (in SQL)')
    .requiredOption('--symbol <symbol>', 'symbol')
    .requiredOption('--from-timeframe <tf>', 'stored timeframe')
    .requiredOption('--to-timeframe <tf>', 'coarser timeframe to build')
    .action(async (f: { symbol: string; fromTimeframe: string; toTimeframe: string }) => {
      await withDatabase(async (db) => {
        const n = await storeResampled(db, f.symbol, f.fromTimeframe, f.toTimeframe);
        process.stdout.write(`stored ${n} ${f.symbol} ${f.toTimeframe} bars\n`);
      });
    });
  data
    .command('gaps')
    .description('missing bars of a stored series (daily: NYSE trading days; intraday: within a UTC day)')
    .requiredOption('--symbol <symbol>', 'symbol')
    .option('--timeframe <tf>', 'timeframe (default: the only one stored for the symbol)')
    .option('--calendar <nyse|none>', 'daily bars: skip NYSE holidays (nyse) or expect every weekday (none)', 'nyse')
    .action(async (f: { symbol: string; timeframe?: string; calendar: string }) => {
      if (f.calendar !== 'nyse' && f.calendar !== 'none') throw new Pi5Error('PI5_ERR_BAD_USAGE', `--calendar ${f.calendar}: give nyse or none`);
      const calendar = f.calendar;
      await withDatabase(async (db) => {
        const gaps = await findGaps(db, f.symbol, await storedTimeframe(new BarStore(db), f.symbol, f.timeframe), calendar);
        for (const g of gaps) process.stdout.write(`${iso(g.after)} .. ${iso(g.before)}  ${g.missing} missing\n`);
        process.stdout.write(`${gaps.length} gap(s)\n`);
      });
    });
  registerTickCommands(data);
}
