// `pi5 data stream`: prints a provider's live bars, quotes and trades one per line (text or JSON lines)
// until Ctrl-C or --limit events. Status and non-fatal errors go to stderr so stdout stays machine-readable.

import type { Command } from 'commander';
import { Pi5Error } from '../../core/errors.js';
import type { Quote, Trade } from '../../model/types.js';
import { parseFeed } from '../../data/providers/alpaca/api.js';
import { liveFeed, type LiveBar, type LiveStatus, type LiveSubscription } from '../../data/providers/live.js';
import { parseList, parseNumberOption } from '../options.js';

interface StreamFlags {
  provider: string;
  symbols: string;
  bars?: boolean;
  quotes?: boolean;
  trades?: boolean;
  feed: string;
  limit?: string;
  json?: boolean;
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

function channelsOf(f: StreamFlags, symbols: string[]): LiveSubscription {
  // Minute bars by default: unlimited symbols on Alpaca's free feed, unlike quotes and trades (30).
  const none = !f.bars && !f.quotes && !f.trades;
  return { bars: f.bars || none ? symbols : [], quotes: f.quotes ? symbols : [], trades: f.trades ? symbols : [] };
}

async function streamCommand(f: StreamFlags): Promise<void> {
  const symbols = parseList(f.symbols).map((s) => s.toUpperCase());
  if (symbols.length === 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--symbols: no symbol given (e.g. AAPL,MSFT)');
  const limit = f.limit === undefined ? Infinity : parseNumberOption('--limit', f.limit, { min: 1, integer: true });
  const feed = liveFeed(f.provider, { feed: parseFeed(f.feed) });
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
    feed.on('status', (s) => process.stderr.write(statusLine(feed.name, s)));
    feed.on('error', ({ error, fatal }) => (fatal ? finish(error) : process.stderr.write(`${feed.name}: [${error.code}] ${error.message}\n`)));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Subscribing before connecting makes the first connection subscribe as part of its handshake.
    feed
      .subscribe(channelsOf(f, symbols))
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
    .description('print live bars, quotes and trades one per line until Ctrl-C (or --limit events)')
    .requiredOption('--provider <name>', 'alpaca')
    .requiredOption('--symbols <list>', 'comma-separated symbols, e.g. AAPL,MSFT')
    .option('--bars', 'minute bars (the default when no channel is given)')
    .option('--quotes', 'best bid and ask')
    .option('--trades', 'trades')
    .option('--feed <feed>', 'alpaca feed: iex (free) or sip', 'iex')
    .option('--limit <n>', 'stop after n events')
    .option('--json', 'one JSON object per line')
    .action(streamCommand);
}
