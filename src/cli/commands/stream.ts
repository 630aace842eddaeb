// `pi5 data stream`: prints a provider's live bars, quotes and trades one per line (text or JSON lines)
// until Ctrl-C, --limit events or the end of a replay. Status and non-fatal errors go to stderr so stdout
// stays machine-readable.

import type { Command } from 'commander';
import { Pi5Error } from '../../core/errors.js';
import type { Quote, Trade } from '../../model/types.js';
import { parseBarTime } from '../../data/barTime.js';
import { parseFeed } from '../../data/providers/alpaca/api.js';
import { liveFeed, parseSpeed, type LiveBar, type LiveFeedOptions, type LiveStatus, type LiveSubscription } from '../../data/providers/live.js';
import { BarStore } from '../../persistence/barStore.js';
import { withDatabase } from '../../persistence/session.js';
import { parseDateOption, parseList, parseNumberOption } from '../options.js';

interface StreamFlags {
  provider: string;
  symbols?: string;
  bars?: boolean;
  dailyBars?: boolean;
  quotes?: boolean;
  trades?: boolean;
  feed: string;
  limit?: string;
  json?: boolean;
  data: string[];
  barTime?: string;
  speed: string;
  poll?: string;
  timeframe: string;
  from?: string;
  to?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function barLine({ bar: b, backfilled }: LiveBar, json: boolean): string {
  if (json) return JSON.stringify({ type: 'bar', symbol: b.symbol, timeframe: b.timeframe, ts: iso(b.ts), open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, backfilled });
  return `${iso(b.ts)} bar   ${b.symbol} ${b.timeframe} o=${b.open} h=${b.high} l=${b.low} c=${b.close} v=${b.volume}${backfilled ? ' backfilled' : ''}`;
}

function quoteLine(q: Quote, json: boolean): string {
  if (json) return JSON.stringify({ type: 'quote', symbol: q.symbol, ts: iso(q.ts), bid: q.bid, bidSize: q.bidSize, ask: q.ask, askSize: q.askSize });
  return `${iso(q.ts)} quote ${q.symbol} bid ${q.bid} x ${q.bidSize} ask ${q.ask} x ${q.askSize}`;
}

function tradeLine(t: Trade, json: boolean): string {
  if (json) return JSON.stringify({ type: 'trade', symbol: t.symbol, ts: iso(t.ts), price: t.price, size: t.size, exchange: t.exchange ?? null, id: t.id ?? null });
  return `${iso(t.ts)} trade ${t.symbol} ${t.price} x ${t.size}${t.exchange === undefined ? '' : ` @${t.exchange}`}`;
}

function statusLine(name: string, s: LiveStatus): string {
  const retry = s.attempt === undefined ? '' : ` (attempt ${s.attempt}, in ${((s.delayMs ?? 0) / 1000).toFixed(1)} s)`;
  return `${name}: ${s.state}${retry}${s.detail === undefined ? '' : `: ${s.detail}`}\n`;
}

function channelsOf(f: StreamFlags, provider: string, symbols: string[]): LiveSubscription {
  // Minute bars by default (unlimited symbols on Alpaca's free feed, unlike quotes and trades: 30); Yahoo
  // polls quotes only.
  const none = !f.bars && !f.dailyBars && !f.quotes && !f.trades;
  const quotesByDefault = none && provider === 'yahoo';
  return { bars: f.bars || (none && !quotesByDefault) ? symbols : [], dailyBars: f.dailyBars ? symbols : [], quotes: f.quotes || quotesByDefault ? symbols : [], trades: f.trades ? symbols : [] };
}

/** The provider's options from the flags; the store replay reads its bars through a short-lived database. */
function feedOptions(f: StreamFlags, provider: string, symbols: string[]): LiveFeedOptions {
  const replay = provider === 'csv' || provider === 'store';
  const o: LiveFeedOptions = {
    feed: parseFeed(f.feed),
    ...(replay ? { speed: parseSpeed(f.speed) } : {}),
    ...(f.poll === undefined ? {} : { pollMs: parseNumberOption('--poll', f.poll, { min: 0.01 }) * 1000 }),
    data: f.data,
    ...(f.barTime === undefined ? {} : { barTime: parseBarTime(f.barTime) }),
  };
  if (f.barTime !== undefined && provider !== 'csv') throw new Pi5Error('PI5_ERR_BAD_USAGE', '--bar-time applies to --provider csv (stored bars are keyed by open time)');
  if (provider !== 'store') return o;
  const range = {
    symbols,
    timeframe: f.timeframe,
    ...(f.from === undefined ? {} : { from: parseDateOption('--from', f.from, false) }),
    ...(f.to === undefined ? {} : { to: parseDateOption('--to', f.to, true) }),
  };
  return { ...o, loadBars: () => withDatabase((db) => new BarStore(db).read(range)) };
}

async function streamCommand(f: StreamFlags): Promise<void> {
  const provider = f.provider.trim().toLowerCase();
  const symbols = parseList(f.symbols ?? '').map((s) => s.toUpperCase());
  // A CSV replay without --symbols replays every symbol in the files.
  if (symbols.length === 0 && provider !== 'csv') throw new Pi5Error('PI5_ERR_BAD_USAGE', '--symbols: no symbol given (e.g. AAPL,MSFT)');
  const limit = f.limit === undefined ? Infinity : parseNumberOption('--limit', f.limit, { min: 1, integer: true });
  const feed = liveFeed(provider, feedOptions(f, provider, symbols));
  const json = f.json === true;
  await new Promise<void>((resolve, reject) => {
    let printed = 0;
    let done = false;
    const finish = (err?: unknown): void => {
      if (done) return;
      done = true;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      feed.close().then(() => (err === undefined ? resolve() : reject(err)), reject);
    };
    const stop = (): void => finish();
    const print = (line: string): void => {
      if (done) return;
      process.stdout.write(line + '\n');
      if (++printed >= limit) finish();
    };
    feed.on('bar', (b) => print(barLine(b, json)));
    feed.on('quote', (q) => print(quoteLine(q, json)));
    feed.on('trade', (t) => print(tradeLine(t, json)));
    feed.on('status', (s) => {
      process.stderr.write(statusLine(feed.name, s));
      // A replay ends on its own with 'closed'; a live feed only closes when told (or on a fatal error).
      if (s.state === 'closed') finish();
    });
    feed.on('error', ({ error, fatal }) => (fatal ? finish(error) : process.stderr.write(`${feed.name}: [${error.code}] ${error.message}\n`)));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Subscribing before connecting makes the first connection subscribe as part of its handshake.
    feed
      .subscribe(channelsOf(f, provider, symbols))
      .then(() => feed.connect())
      .catch((e: unknown) => finish(e));
  });
}

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
    .action(streamCommand);
}
