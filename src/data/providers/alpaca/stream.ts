// Alpaca's real-time stock stream as a LiveFeed: minute bars (with their corrections), daily bars, quotes and
// trades normalized to our model. A 405 (symbol limit exceeded) closes the feed for good.
// A dropped connection is retried with jittered exponential backoff (seeded, so reproducible); each new
// connection authenticates and subscribes to everything again, then backfills the minute bars missed
// meanwhile from the historical API before live bars resume.

import { WakeableDelay } from '../../../core/wakeableDelay.js';
import { isPi5Error, Pi5Error } from '../../../core/errors.js';
import { SeededRng } from '../../../core/rng.js';
import { LiveEmitter } from '../liveEmitter.js';
import { BarGapFiller } from '../liveGapFill.js';
import type { Bar } from '../../../model/types.js';
import type { HistoricalBarProvider, LiveFeed, LiveFeedEvents, LiveListener, LiveStatus, LiveSubscription } from '../types.js';
import { credentialsFromEnv, type AlpacaCredentials, type AlpacaFeed } from './api.js';
import { alpacaFromEnv } from './provider.js';
import { alpacaCodeOf, StreamSession, type Channels, type StreamItem } from './session.js';

export interface ReconnectPolicy {
  /** First delay; doubles each attempt, times a jitter in [0.5, 1.5), capped at maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Consecutive failed attempts before the feed gives up (a fatal error event). */
  readonly maxAttempts: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { baseDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 20 };

export interface AlpacaStreamOptions {
  readonly credentials: AlpacaCredentials;
  readonly feed?: AlpacaFeed;
  /** Full stream URL; default wss://stream.data.alpaca.markets/v2/{feed}. */
  readonly url?: string;
  readonly reconnect?: ReconnectPolicy;
  /** Seed of the backoff jitter. */
  readonly seed?: number;
  /** Where missed bars come from after a reconnect; without one, gaps are not filled. */
  readonly backfill?: HistoricalBarProvider;
  /** Clock (epoch ms) for backfill ranges. */
  readonly now?: () => number;
  readonly controlTimeoutMs?: number;
}

/** Codes that another attempt cannot fix: bad credentials, plan, request syntax. 406 (connection limit) only at first connect. */
const FATAL = new Set([400, 401, 402, 403, 405, 409, 410]);
/** Symbol limit exceeded: retrying the same subscription would be refused again, so the feed stops. */
const SYMBOL_LIMIT = 405;

type ChannelName = keyof Channels;
const CHANNELS: readonly ChannelName[] = ['bars', 'dailyBars', 'quotes', 'trades'];

export class AlpacaLiveFeed implements LiveFeed {
  readonly name = 'alpaca';
  readonly ticks = { quotes: true, trades: true };
  readonly url: string;
  private readonly events = new LiveEmitter();
  private readonly wanted: Record<ChannelName, Set<string>> = { bars: new Set(), dailyBars: new Set(), quotes: new Set(), trades: new Set() };
  private correctionCount = 0;
  private readonly gaps: BarGapFiller;
  private readonly rng: SeededRng;
  private readonly policy: ReconnectPolicy;
  private readonly now: () => number;
  private session: StreamSession | null = null;
  private closing = false;
  private readonly delay = new WakeableDelay();

  constructor(private readonly o: AlpacaStreamOptions) {
    this.url = o.url ?? `wss://stream.data.alpaca.markets/v2/${o.feed ?? 'iex'}`;
    this.policy = o.reconnect ?? DEFAULT_RECONNECT;
    this.rng = new SeededRng(o.seed ?? 1);
    this.now = o.now ?? Date.now;
    this.gaps = new BarGapFiller({ barMs: 60_000, timeframe: '1m', emit: (b) => this.events.emit('bar', b) });
  }

  /** Corrected minute bars (updatedBars) received for a minute already emitted. */
  get corrections(): number {
    return this.correctionCount;
  }

  on<K extends keyof LiveFeedEvents>(event: K, listener: LiveListener<K>): () => void {
    return this.events.on(event, listener);
  }

  async connect(): Promise<void> {
    if (this.closing) throw new Pi5Error('PI5_ERR_BAD_USAGE', 'alpaca stream: connect() after close()');
    this.status({ state: 'connecting', detail: this.url });
    // The first connection fails fast: a wrong URL or key should surface at once, not after retries.
    try {
      await this.openSession();
    } catch (e) {
      if (isPi5Error(e) && alpacaCodeOf(e) === SYMBOL_LIMIT) throw await this.stopFor(e);
      throw e;
    }
  }

  async subscribe(s: LiveSubscription): Promise<void> {
    const c = normalize(s);
    for (const ch of CHANNELS) for (const sym of c[ch]) this.wanted[ch].add(sym);
    for (const sym of c.bars) this.gaps.track(sym, this.now());
    try {
      if (this.session?.ready) await this.session.request('subscribe', c);
    } catch (e) {
      this.forget(c);
      if (isPi5Error(e) && alpacaCodeOf(e) === SYMBOL_LIMIT) throw await this.stopFor(e);
      throw e;
    }
  }

  async unsubscribe(s: LiveSubscription): Promise<void> {
    const c = normalize(s);
    this.forget(c);
    if (this.session?.ready) await this.session.request('unsubscribe', c);
  }

  async close(): Promise<void> {
    await this.shut();
  }

  private async shut(detail?: string): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.delay.wake();
    const s = this.session;
    this.session = null;
    // A session still handshaking (close() during connect() or a reconnect) is cut too, or it would linger.
    await s?.close();
    this.status(detail === undefined ? { state: 'closed' } : { state: 'closed', detail });
    this.events.clear();
  }

  /**
   * Stops for good on an error no retry can fix (the symbol limit): a fatal error event, then 'closed' with
   * the reason as its detail, so status and /ready say why. Returns the error marked fatal for the caller.
   */
  private async stopFor(e: Pi5Error): Promise<Pi5Error> {
    const error = new Pi5Error(e.code, `${e.message}; the feed is closed (no reconnect)`, { ...e.details, fatal: true });
    if (this.closing) return error;
    this.events.emit('error', { error, fatal: true });
    await this.shut(error.message);
    return error;
  }

  private forget(c: Channels): void {
    for (const ch of CHANNELS) for (const sym of c[ch]) this.wanted[ch].delete(sym);
    for (const sym of c.bars) this.gaps.untrack(sym);
  }

  private channels(): Channels {
    return { bars: [...this.wanted.bars], dailyBars: [...this.wanted.dailyBars], quotes: [...this.wanted.quotes], trades: [...this.wanted.trades] };
  }

  /** Opens a connection and makes it the current session (visible to close() while it handshakes). */
  private async openSession(): Promise<void> {
    const channels = this.channels();
    const s = StreamSession.start({
      url: this.url,
      credentials: this.o.credentials,
      channels,
      controlTimeoutMs: this.o.controlTimeoutMs ?? 10_000,
      onData: (items) => this.onData(items),
      onProblem: (error) => {
        if (alpacaCodeOf(error) === SYMBOL_LIMIT) void this.stopFor(error);
        else this.events.emit('error', { error, fatal: false });
      },
      onDropped: (reason) => void this.onDropped(reason),
    });
    this.session = s;
    try {
      await s.handshake();
    } catch (e) {
      if (this.session === s) this.session = null;
      throw e;
    }
    if (this.closing) throw new Pi5Error('PI5_ERR_PROVIDER', 'alpaca stream: closed while connecting');
    await this.catchUp(s, channels);
    this.status({ state: 'connected' });
    if (describe(channels) !== '') this.status({ state: 'subscribed', detail: describe(channels) });
    s.deliver();
  }

  /** (Un)subscribes what changed while the handshake ran, since requests wait for it to finish. */
  private async catchUp(s: StreamSession, sent: Channels): Promise<void> {
    const now = this.channels();
    const minus = (a: readonly string[], b: readonly string[]): string[] => a.filter((x) => !b.includes(x));
    const diff = (a: Channels, b: Channels): Channels => ({ bars: minus(a.bars, b.bars), dailyBars: minus(a.dailyBars, b.dailyBars), quotes: minus(a.quotes, b.quotes), trades: minus(a.trades, b.trades) });
    const added = diff(now, sent);
    const removed = diff(sent, now);
    if (describe(added) !== '') await s.request('subscribe', added);
    if (describe(removed) !== '') await s.request('unsubscribe', removed);
  }

  private onData(items: readonly StreamItem[]): void {
    for (const it of items) {
      if (it.kind === 'bar') this.gaps.live(it.bar);
      else if (it.kind === 'updatedBar') this.onCorrection(it.bar);
      else if (it.kind === 'dailyBar') this.events.emit('bar', { bar: it.bar, backfilled: false });
      else if (it.kind === 'quote') this.events.emit('quote', it.quote);
      else this.events.emit('trade', it.trade);
    }
  }

  /**
   * A corrected minute bar. For a minute not emitted yet it is the bar; for one already emitted it goes out
   * flagged `corrected`: a consumer still holding that minute replaces it (the live step source does while the
   * step is open), one past it ignores it (the step source logs that), and the count says how many came.
   */
  private onCorrection(bar: Bar): void {
    if (!this.gaps.emitted(bar.symbol, bar.ts)) {
      this.gaps.live(bar);
      return;
    }
    this.correctionCount++;
    this.events.emit('bar', { bar, backfilled: false, corrected: true });
  }

  private async onDropped(reason: string): Promise<void> {
    this.session = null;
    if (this.closing) return;
    this.gaps.hold();
    try {
      await this.reconnect(reason);
    } catch (e) {
      if (this.closing) return;
      const error = isPi5Error(e) ? e : new Pi5Error('PI5_ERR_PROVIDER', `alpaca stream: ${(e as Error).message}`);
      if (alpacaCodeOf(error) === SYMBOL_LIMIT) {
        await this.stopFor(error);
        return;
      }
      this.events.emit('error', { error, fatal: true });
      await this.close();
    }
  }

  private async reconnect(reason: string): Promise<void> {
    let why = reason;
    for (let attempt = 1; ; attempt++) {
      const delayMs = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1) * (0.5 + this.rng.next()));
      this.status({ state: 'reconnecting', attempt, delayMs: Math.round(delayMs), detail: why });
      await this.sleep(delayMs);
      if (this.closing) return;
      try {
        await this.openSession();
        break;
      } catch (e) {
        if (this.closing) return;
        if (!isPi5Error(e)) throw e;
        const code = alpacaCodeOf(e);
        if (code !== undefined && FATAL.has(code)) throw e;
        if (attempt >= this.policy.maxAttempts) throw new Pi5Error('PI5_ERR_PROVIDER', `alpaca stream: gave up after ${attempt} reconnection attempts; last: ${e.message}`);
        why = e.message;
      }
    }
    await this.backfill();
  }

  private async backfill(): Promise<void> {
    const provider = this.o.backfill;
    if (provider === undefined) {
      this.gaps.release();
      this.status({ state: 'live', detail: 'no backfill provider: bars missed while disconnected are not filled' });
      return;
    }
    this.status({ state: 'backfilling' });
    const n = await this.gaps.fill(provider, this.now(), (symbol, e) => {
      const error = isPi5Error(e) ? e : new Pi5Error('PI5_ERR_PROVIDER', `alpaca ${symbol}: backfill failed: ${(e as Error).message}`);
      this.events.emit('error', { error, fatal: false });
    });
    this.status({ state: 'live', detail: `${n} missed bars backfilled` });
  }

  private sleep(ms: number): Promise<void> {
    return this.delay.sleep(ms);
  }

  private status(s: LiveStatus): void {
    this.events.emit('status', s);
  }
}

function normalize(s: LiveSubscription): Channels {
  const up = (xs: readonly string[] | undefined): string[] => [...new Set((xs ?? []).map((x) => x.trim().toUpperCase()).filter((x) => x !== ''))];
  return { bars: up(s.bars), dailyBars: up(s.dailyBars), quotes: up(s.quotes), trades: up(s.trades) };
}

function describe(c: Channels): string {
  return CHANNELS.filter((ch) => c[ch].length > 0)
    .map((ch) => `${ch} ${c[ch].join(',')}`)
    .join('; ');
}

/**
 * Configured by the environment (DESIGN.md §13): credentials, APCA_API_STREAM_URL (the full URL, overriding
 * the feed's), and APCA_API_DATA_URL for the backfill's historical requests.
 */
export function alpacaStreamFromEnv(feed: AlpacaFeed, env: NodeJS.ProcessEnv = process.env): AlpacaLiveFeed {
  const url = env.APCA_API_STREAM_URL;
  return new AlpacaLiveFeed({
    credentials: credentialsFromEnv(env),
    feed,
    ...(url === undefined || url === '' ? {} : { url }),
    backfill: alpacaFromEnv(env, feed),
  });
}
