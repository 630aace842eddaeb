// `pi5 data stream`: its options. The command itself (streamRun.ts) is loaded when it runs: the live feeds bring
// WebSocket, provider and schema modules that no other data command needs.

import type { Command } from 'commander';
import { Pi5Error } from '../../core/errors.js';
import type { StreamFlags } from './streamRun.js';

/** Adds `stream` to the `data` command group (registered by registerData). */
export function registerDataStream(program: Command): void {
  const data = program.commands.find((c) => c.name() === 'data');
  if (data === undefined) throw new Pi5Error('PI5_ERR_INTERNAL', 'registerDataStream: the data command is not registered yet');
  data
    .command('stream')
    .description('print live bars, quotes and trades one per line until Ctrl-C (or --limit events, or the end of a replay)')
    .requiredOption('--provider <name>', 'alpaca, yahoo (quotes and completed bars by polling), csv or store (bars replayed)')
    .option('--symbols <list>', 'comma-separated symbols, e.g. AAPL,MSFT (csv: default every symbol in the files)')
    .option('--bars', 'minute bars (the default when no channel is given, except yahoo)')
    .option('--daily-bars', "alpaca: the day's running bar (dailyBars); yahoo: completed days; timeframe 1d")
    .option('--quotes', 'best bid and ask (yahoo: the last price, polled)')
    .option('--trades', 'trades')
    .option('--feed <feed>', 'alpaca feed: iex (free) or sip', 'iex')
    .option('--poll <seconds>', 'yahoo: time between polls (default YAHOO_POLL_S or 15)')
    .option('--data <path>', 'csv: a bar CSV file or a directory of them (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--bar-time <open|close>', 'csv: what the timestamps name, bar opens (default) or bar ends (moved back one bar)')
    .option('--speed <n|max>', 'csv, store: replay pace, ×N real time or max', 'max')
    .option('--timeframe <tf>', 'store: timeframe of the bars to replay', '1m')
    .option('--from <date>', 'store: first bar (inclusive)')
    .option('--to <date>', 'store: last bar (inclusive)')
    .option('--limit <n>', 'stop after n events')
    .option('--json', 'one JSON object per line')
    .action(async (f: StreamFlags) => (await import('./streamRun.js')).streamCommand(f));
}
