// The node's live market-data wiring for a trading session (docs/api.md, "Live mode"): the session's start time
// (kept in its stored configuration), warm-up history and stored steps read from the bar store, and the provider's
// real-time feed (credentials from the environment, as the providers read them), connected once the session is recovered.

import type { Logger } from '../core/log.js';
import { WakeableDelay } from '../core/wakeableDelay.js';
import { liveFeed } from '../data/providers/live.js';
import { YAHOO_BAR_CLOSE_GRACE_MS, yahooPollMs } from '../data/providers/yahoo/quoteFeed.js';
import type { LiveFeed } from '../data/providers/types.js';
import { LiveStepSource } from '../engine/live/liveStepSource.js';
import { barAt, type BarSeries } from '../model/barSeries.js';
import { parseTimeframe, type TimeframeSpec } from '../model/timeframe.js';
import type { Bar, Instrument } from '../model/types.js';
import { isPi5Error, Pi5Error } from '../core/errors.js';
import type { LiveSettings } from '../config/schema.js';
import { BarStore } from '../persistence/barStore.js';
import type { Database } from '../persistence/database.js';
import { TradingSessionRepository } from '../persistence/repositories/tradingSessions.js';

/** Warm-up: at most this many stored bars per symbol, from at most WARMUP_DAYS before the session's start. */
export const WARMUP_BARS = 300;
const WARMUP_DAYS = 5;
const DAY_MS = 86_400_000;
/** Stock prices tick in cents; fixed so that a reopened session decides on the same tick size. */
const PRICE_DECIMALS = 2;

export interface LiveWiring {
  readonly source: LiveStepSource;
  readonly feed: LiveFeed;
  readonly timeframe: TimeframeSpec;
  readonly instruments: Instrument[];
  /** How the session's data is obtained, stored with its configuration (start time included). */
  readonly description: Readonly<Record<string, unknown>>;
  /** Connects the feed and subscribes the symbols' bars (after the session is open and recovered). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface LiveWiringOptions {
  readonly db: Database;
  readonly sessionId: string;
  readonly timeZone: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly now: () => number;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;

/** Connects and subscribes, retrying until it works or the session closes; each distinct failure is logged once. */
async function connectWithRetry(feed: LiveFeed, live: LiveSettings, log: Logger, delay: WakeableDelay, closed: () => boolean): Promise<void> {
  const seen = new Set<string>();
  for (let wait = FIRST_RETRY_MS; !closed(); wait = Math.min(MAX_RETRY_MS, wait * 2)) {
    try {
      await feed.connect();
      // Quotes go to the latest-quote cache and WebSocket `quotes`; quotes and trades go to the strategies before
      // each step (journaled with it, so a restart re-derives the same orders: liveStepActions.ts), as far as the
      // feed has them (Yahoo polling has no trades).
      const ticks = { ...(feed.ticks.quotes ? { quotes: live.symbols } : {}), ...(feed.ticks.trades ? { trades: live.symbols } : {}) };
      await feed.subscribe(live.timeframe === '1d' ? { dailyBars: live.symbols, ...ticks } : { bars: live.symbols, ...ticks });
      return;
    } catch (e) {
      const message = (e as Error).message;
      // The feed closed itself for good (e.g. Alpaca's symbol limit): its status already says why.
      if (isPi5Error(e) && e.details.fatal === true) return;
      if (!seen.has(message)) log.error(`live ${live.provider}: cannot connect (${message}); retrying, next in ${wait / 1000} s`);
      seen.add(message);
      await delay.sleep(wait);
    }
  }
}

/**
 * How long a step waits for symbols that have not sent their bar: as configured, else the source's default; a
 * polled feed (Yahoo) brings a bar up to a poll interval plus its close grace after the bar ended, so it waits that.
 */
function graceOf(live: LiveSettings, env: NodeJS.ProcessEnv): { graceMs?: number } {
  if (live.graceMs !== undefined) return { graceMs: live.graceMs };
  if (live.provider !== 'yahoo') return {};
  return { graceMs: yahooPollMs(env, live.pollMs) + YAHOO_BAR_CLOSE_GRACE_MS };
}

/** Every bar of the series (the last `keep` of each), oldest first. */
function bars(series: readonly BarSeries[], keep = Infinity): Bar[] {
  const out: Bar[] = [];
  for (const s of series) for (let i = Math.max(0, s.length - keep); i < s.length; i++) out.push(barAt(s, i));
  return out.sort((a, b) => a.ts - b.ts);
}

/** The stored session's start, or (a new session) the open of the bar in progress: bars before it are history. */
async function startTs(db: Database, sessionId: string, tf: TimeframeSpec, now: number): Promise<number> {
  const stored = await new TradingSessionRepository(db).load(sessionId);
  const feed = (stored?.config as { feed?: { kind?: unknown; startTs?: unknown } } | undefined)?.feed;
  if (feed?.kind === 'live' && typeof feed.startTs === 'number') return feed.startTs;
  return Math.floor(now / tf.ms) * tf.ms;
}

export async function openLiveWiring(live: LiveSettings, o: LiveWiringOptions): Promise<LiveWiring> {
  const timeframe = parseTimeframe(live.timeframe);
  if (timeframe === null) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `session.live.timeframe: unknown timeframe ${live.timeframe}`);
  const start = await startTs(o.db, o.sessionId, timeframe, o.now());
  const store = new BarStore(o.db);
  const recent = await store.readWithSessions({ symbols: live.symbols, timeframe: live.timeframe, from: start - WARMUP_DAYS * DAY_MS, to: start - 1 });
  const warmup = bars(recent, WARMUP_BARS);
  const source = new LiveStepSource({
    provider: live.provider,
    symbols: live.symbols,
    timeframe,
    // 5m, 15m and 1h steps are built from the stream's minute bars.
    ...(live.timeframe === '1m' || live.timeframe === '1d' ? {} : { feedTimeframe: parseTimeframe('1m') as TimeframeSpec }),
    startTs: start,
    warmup,
    ...graceOf(live, o.env),
    ...(live.maxDataAgeMs === undefined ? {} : { maxDataAgeMs: live.maxDataAgeMs }),
    loadRecorded: async (from, to) => bars(await store.readWithSessions({ symbols: live.symbols, timeframe: live.timeframe, from, to })),
    onIgnored: (message) => o.log.warn(message),
  });
  const feed = liveFeed(live.provider, { ...(live.feed === undefined ? {} : { feed: live.feed }), ...(live.pollMs === undefined ? {} : { pollMs: live.pollMs }) }, o.env);
  const delay = new WakeableDelay();
  let closed = false;
  let connecting: Promise<void> = Promise.resolve();
  const detach = source.attach(feed);
  feed.on('error', (e) => (e.fatal ? o.log.error : o.log.warn).call(o.log, `live ${live.provider}: ${e.error.message}`));
  return {
    source,
    feed,
    timeframe,
    instruments: live.symbols.map((symbol) => ({ symbol, priceDecimals: PRICE_DECIMALS, lotSize: 1, currency: 'USD', timeZone: o.timeZone })),
    description: { kind: 'live', provider: live.provider, ...(live.provider === 'alpaca' ? { feed: live.feed ?? 'iex' } : {}), symbols: live.symbols, timeframe: live.timeframe, priceDecimals: PRICE_DECIMALS, startTs: start },
    start: () => {
      // The server comes up whatever the network does (a Pi may boot before its link): the first connection
      // is retried in the background with a growing pause, and /ready reports the feed as down meanwhile.
      connecting = connectWithRetry(feed, live, o.log, delay, () => closed);
      return Promise.resolve();
    },
    close: async () => {
      closed = true;
      delay.wake();
      await connecting;
      await feed.close();
      detach();
      source.dispose();
    },
  };
}
