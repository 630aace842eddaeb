// `pi5 data ...`: the subcommands and their options. Each action loads its module when it runs (dataStore.ts,
// dataFetch.ts, dataTicks.ts, stream.ts), so `pi5 data list` does not load the providers, PGlite or pg.

import type { Command } from 'commander';
import type { ExportFlags, ImportFlags } from './dataStore.js';
import type { ActionsFlags, FetchFlags } from './dataFetch.js';
import { registerTickCommands } from './dataTicks.js';

const loadStore = (): Promise<typeof import('./dataStore.js')> => import('./dataStore.js');
const loadFetch = (): Promise<typeof import('./dataFetch.js')> => import('./dataFetch.js');

export function registerData(program: Command): void {
  const data = program.command('data').description('market data in the store (DATABASE_URL, or PGlite in PI5_DATA_DIR)');
  data
    .command('import <csv...>')
    .description('import bar CSV files (all or nothing)')
    .option('--symbol <symbol>', 'symbol of the bars (default: from the file name)')
    .option('--timeframe <tf>', 'timeframe of the bars (default: inferred)')
    .option('--timezone <iana>', 'time zone of date-times without offset')
    .option('--bar-time <open|close>', 'what the timestamps name: bar opens (default) or bar ends (moved back one bar)')
    .action(async (files: string[], f: ImportFlags) => (await loadStore()).importCommand(files, f));
  data
    .command('fetch')
    .description('download bars (raw, as traded) and their splits/dividends from a provider into the store')
    .requiredOption('--provider <name>', 'yahoo, alphavantage or alpaca')
    .requiredOption('--symbols <list>', 'comma-separated symbols, e.g. AAPL,MSFT')
    .option('--timeframe <tf>', 'bar timeframe (1m, 5m, 15m, 1h, 1d, 1w, 1M)', '1d')
    .requiredOption('--from <date>', 'first date (inclusive)')
    .option('--to <date>', 'last date (inclusive; default: now)')
    .action(async (f: FetchFlags) => (await loadFetch()).fetchCommand(f));
  data
    .command('actions')
    .description("a symbol's stored splits and dividends by ex-date")
    .requiredOption('--symbol <symbol>', 'symbol')
    .option('--from <date>', 'first ex-date (inclusive)')
    .option('--to <date>', 'last ex-date (inclusive)')
    .option('--json', 'print JSON')
    .action(async (f: ActionsFlags) => (await loadFetch()).actionsCommand(f));
  data.command('list').description('stored series: symbol, timeframe, first and last bar, count').option('--json', 'print JSON').action(async (f: { json?: boolean }) => (await loadStore()).listCommand(f));
  data
    .command('export')
    .description('write stored bars as CSV')
    .requiredOption('--symbol <symbol>', 'symbol')
    .option('--timeframe <tf>', 'timeframe (default: the only one stored for the symbol)')
    .option('--from <date>', 'first date (inclusive)')
    .option('--to <date>', 'last date (inclusive)')
    .option('--adjust <none|splits|all>', 'as traded (none), split-adjusted, or split- and dividend-adjusted (all), relative to the last bar exported', 'none')
    .option('--out <file.csv>', 'output file (default: stdout)')
    .action(async (f: ExportFlags) => (await loadStore()).exportCommand(f));
  data
    .command('resample')
    .description('build and store coarser bars from stored ones (in SQL)')
    .requiredOption('--symbol <symbol>', 'symbol')
    .requiredOption('--from-timeframe <tf>', 'stored timeframe')
    .requiredOption('--to-timeframe <tf>', 'coarser timeframe to build')
    .action(async (f: { symbol: string; fromTimeframe: string; toTimeframe: string }) => (await loadStore()).resampleCommand(f));
  data
    .command('gaps')
    .description('missing bars of a stored series (daily: NYSE trading days; intraday: within a UTC day)')
    .requiredOption('--symbol <symbol>', 'symbol')
    .option('--timeframe <tf>', 'timeframe (default: the only one stored for the symbol)')
    .option('--calendar <nyse|none>', 'daily bars: skip NYSE holidays (nyse) or expect every weekday (none)', 'nyse')
    .action(async (f: { symbol: string; timeframe?: string; calendar: string }) => (await loadStore()).gapsCommand(f));
  registerTickCommands(data);
}
