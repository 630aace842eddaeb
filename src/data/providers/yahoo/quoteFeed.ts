// Yahoo "live" quotes and bars by polling, as a LiveFeed: every pollMs each subscribed symbol's chart is read;
// its meta's last price is emitted as a quote when it changed, and (for `bars`: 1m, `dailyBars`: 1d) its completed
// bars once each, corrections again (barPolling.ts). Yahoo's v7 quote endpoint (with bid/ask) needs a cookie and
// crumb since 2023, so the chart endpoint's regularMarketPrice is used: bid = ask = last, sizes 0. One request
// per symbol and poll. Polls go through the provider's circuit breaker; failed and stale polls are reported, not fatal.

import { WakeableDelay } from '../../../core/wakeableDelay.js';
import { isPi5Error, Pi5Error } from '../../../core/errors.js';
import type { Quote } from '../../../model/types.js';
import { LiveEmitter } from '../liveEmitter.js';
import type { RetryPolicy } from '../http.js';
import { defaultBreakers, type CircuitBreaker } from '../resilience/circuitBreaker.js';
import { resilienceFromEnv } from '../resilience/resilientProvider.js';
import type { LiveFeed, LiveFeedEvents, LiveListener, LiveStatus, LiveSubscription } from '../types.js';
import { YahooChartApi } from './api.js';
import type { ChartResult } from './schema.js';
import { POLLED, YahooBarTracker } from './barPolling.js';

export const DEFAULT_POLL_MS = 15_000;
/** A bar without a later row is complete this long after its interval ended. */
export const YAHOO_BAR_CLOSE_GRACE_MS = 60_000;
/** A poll is one of many: few quick retries, since the next poll comes soon anyway. */
const POLL_RETRY: RetryPolicy = { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2_000, timeoutMs: 10_000 };
const MIN_POLL_TIMEOUT_MS = 2_000;

export interface YahooQuoteFeedOptions {
  readonly baseUrl?: string;
  /** Time between polls; default 15 s. */
  readonly pollMs?: number;
  /** A last price older than this is reported once as stale (market closed, halted or delayed); default 5 min. */
  readonly staleAfterMs?: number;
  readonly policy?: RetryPolicy;
  /** Default: the process-wide 'yahoo' breaker the historical provider uses too. */
  readonly breaker?: CircuitBreaker;
  readonly now?: () => number;
  /** A bar is taken as complete this long after its interval ended, when no later row came; default 60 s. */
  readonly barCloseGraceMs?: number;
}

interface Last {
  ts: number;
  price: number;
  stale: boolean;
}

export class YahooQuoteFeed implements LiveFeed {
  readonly name = 'yahoo';
  readonly ticks = { quotes: true, trades: false };
  readonly pollMs: number;
  private readonly api: YahooChartApi;
  private readonly events = new LiveEmitter();
  private readonly symbols = new Set<string>();
  /** Symbols whose bars are polled (1m or 1d), each with what it emitted so far. */
  private readonly bars = new Map<string, YahooBarTracker>();
  private readonly last = new Map<string, Last>();
  private readonly breaker: CircuitBreaker;
  private readonly now: () => number;
  private failedPolls = 0;
  private running = false;
  private closing = false;
  private readonly delay = new WakeableDelay();

  constructor(private readonly o: YahooQuoteFeedOptions = {}) {
    this.pollMs = Math.max(1, o.pollMs ?? DEFAULT_POLL_MS);
    // Polls run one after another (the next waits for this one), so a short interval needs no short timeout: a
    // 50 ms interval timing requests out at 50 ms failed on any busy machine. At least 2 s, at most 10 s.
    const timeoutMs = Math.min(POLL_RETRY.timeoutMs, Math.max(MIN_POLL_TIMEOUT_MS, this.pollMs));
    this.api = new YahooChartApi({ ...(o.baseUrl === undefined ? {} : { baseUrl: o.baseUrl }), policy: o.policy ?? { ...POLL_RETRY, timeoutMs } });
    this.breaker = o.breaker ?? defaultBreakers.get('yahoo');
    this.now = o.now ?? Date.now;
  }

  on<K extends keyof LiveFeedEvents>(event: K, listener: LiveListener<K>): () => void {
    return this.events.on(event, listener);
  }

  /** Polls once and resolves when at least one symbol answered (or none is subscribed); then polls on. */
  async connect(): Promise<void> {
    if (this.closing) throw new Pi5Error('PI5_ERR_BAD_USAGE', 'yahoo quotes: connect() after close()');
    if (this.running) return;
    this.status({ state: 'connecting', detail: `polling every ${this.pollMs / 1000} s` });
    const first = await this.poll();
    if (first.ok === 0 && first.error !== undefined) throw first.error;
    this.running = true;
    this.status({ state: 'connected' });
    if (this.symbols.size + this.bars.size > 0) this.status({ state: 'subscribed', detail: this.subscribed() });
    void this.loop();
  }

  async subscribe(s: LiveSubscription): Promise<void> {
    if ((s.trades?.length ?? 0) > 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', 'yahoo: the polling feed has quotes and bars only; trades need a streaming provider (alpaca)');
    const clean = (list: readonly string[] | undefined): string[] => (list ?? []).map((x) => x.trim().toUpperCase()).filter((x) => x !== '');
    const graceMs = this.o.barCloseGraceMs ?? YAHOO_BAR_CLOSE_GRACE_MS;
    for (const [list, tf] of [[clean(s.bars), '1m'], [clean(s.dailyBars), '1d']] as const) {
      for (const sym of list) {
        const had = this.bars.get(sym);
        if (had !== undefined && had.timeframe !== tf) throw new Pi5Error('PI5_ERR_BAD_USAGE', `yahoo: ${sym} is polled for ${had.timeframe} bars already; one bar timeframe per symbol`);
        if (had === undefined) this.bars.set(sym, new YahooBarTracker(sym, tf, graceMs));
      }
    }
    for (const sym of clean(s.quotes)) this.symbols.add(sym);
    if (this.running) this.status({ state: 'subscribed', detail: this.subscribed() });
    return Promise.resolve();
  }

  async unsubscribe(s: LiveSubscription): Promise<void> {
    for (const sym of s.quotes ?? []) {
      this.symbols.delete(sym.trim().toUpperCase());
      this.last.delete(sym.trim().toUpperCase());
    }
    for (const sym of [...(s.bars ?? []), ...(s.dailyBars ?? [])]) this.bars.delete(sym.trim().toUpperCase());
    return Promise.resolve();
  }

  private subscribed(): string {
    const parts = [...(this.symbols.size > 0 ? [`quotes ${[...this.symbols].join(',')}`] : []), ...(this.bars.size > 0 ? [`bars ${[...this.bars.values()].map((t) => `${t.symbol}@${t.timeframe}`).join(',')}`] : [])];
    return `${parts.join('; ')}; polling every ${this.pollMs / 1000} s`;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.delay.wake();
    this.status({ state: 'closed' });
    this.events.clear();
    return Promise.resolve();
  }

  private async loop(): Promise<void> {
    while (!this.closing) {
      await this.sleep(this.pollMs);
      if (this.closing) return;
      const r = await this.poll();
      if (this.closing) return;
      if (r.ok === 0 && r.error !== undefined) {
        this.failedPolls++;
        this.status({ state: 'reconnecting', attempt: this.failedPolls, delayMs: this.pollMs, detail: `poll failed: ${r.error.message}` });
      } else if (this.failedPolls > 0) {
        this.status({ state: 'live', detail: `polls recovered after ${this.failedPolls} failed` });
        this.failedPolls = 0;
      }
    }
  }

  /** One round over the symbols: each answer is a quote (when new), each failure a non-fatal error event. */
  private async poll(): Promise<{ ok: number; error?: Pi5Error }> {
    let ok = 0;
    let error: Pi5Error | undefined;
    for (const symbol of new Set([...this.bars.keys(), ...this.symbols])) {
      try {
        const tracker = this.bars.get(symbol);
        if (tracker !== undefined) {
          const p = POLLED[tracker.timeframe];
          const r = await this.breaker.run(() => this.api.recent(symbol, p.interval, p.range), `yahoo ${symbol}`);
          if (this.closing) break;
          for (const b of tracker.take(r, this.now())) this.events.emit('bar', b);
          if (this.symbols.has(symbol) && r.meta.regularMarketPrice !== undefined) this.onQuote(quoteOf(symbol, r));
          ok++;
          continue;
        }
        // Checked inside the breaker, so a payload without a price counts as a failure of the service.
        const q = await this.breaker.run(async () => quoteOf(symbol, await this.api.latest(symbol)), `yahoo ${symbol}`);
        if (this.closing) break;
        this.onQuote(q);
        ok++;
      } catch (e) {
        if (this.closing) break;
        error = isPi5Error(e) ? e : new Pi5Error('PI5_ERR_PROVIDER', `yahoo ${symbol}: ${(e as Error).message}`);
        this.events.emit('error', { error, fatal: false });
        // An open breaker refuses every symbol alike: one report per poll is enough.
        if (error.code === 'PI5_ERR_CIRCUIT_OPEN') break;
      }
    }
    return error === undefined ? { ok } : { ok, error };
  }

  /** Emits a quote whose price or time changed; reports once when a symbol's last price gets old. */
  private onQuote(q: Quote): void {
    let cur = this.last.get(q.symbol);
    if (cur === undefined || cur.ts !== q.ts || cur.price !== q.bid) {
      cur = { ts: q.ts, price: q.bid, stale: false };
      this.last.set(q.symbol, cur);
      this.events.emit('quote', q);
    }
    if (!cur.stale && this.now() - q.ts > (this.o.staleAfterMs ?? 300_000)) {
      cur.stale = true;
      this.status({ state: 'live', detail: `${q.symbol} stale: last price ${q.bid} at ${new Date(q.ts).toISOString()} (market closed, halted or delayed)` });
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.delay.sleep(ms);
  }

  private status(s: LiveStatus): void {
    this.events.emit('status', s);
  }
}

/** The chart meta as a quote: Yahoo's last price on both sides, sizes unknown (0), its time in UTC ms. */
export function quoteOf(symbol: string, r: ChartResult): Quote {
  const price = r.meta.regularMarketPrice;
  const timeS = r.meta.regularMarketTime;
  if (price === undefined || timeS === undefined || !(price > 0)) {
    throw new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `yahoo ${symbol}: meta.regularMarketPrice ${String(price)} / regularMarketTime ${String(timeS)}: no positive last price`);
  }
  return { symbol, ts: Math.round(timeS * 1000), bid: price, ask: price, bidSize: 0, askSize: 0 };
}

/** The time between polls: `pollMs` when given, else YAHOO_POLL_S (seconds), else 15 s. */
export function yahooPollMs(env: NodeJS.ProcessEnv, pollMs?: number): number {
  const envPoll = env.YAHOO_POLL_S === undefined || env.YAHOO_POLL_S.trim() === '' ? undefined : Number(env.YAHOO_POLL_S) * 1000;
  if (envPoll !== undefined && !(envPoll > 0)) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `YAHOO_POLL_S must be a number of seconds > 0, got ${JSON.stringify(env.YAHOO_POLL_S)}`);
  return pollMs ?? envPoll ?? DEFAULT_POLL_MS;
}

/** YAHOO_BASE_URL, YAHOO_POLL_S (default 15) and the breaker settings of the environment. */
export function yahooQuoteFeedFromEnv(env: NodeJS.ProcessEnv = process.env, pollMs?: number): YahooQuoteFeed {
  const base = env.YAHOO_BASE_URL;
  return new YahooQuoteFeed({
    ...(base === undefined || base === '' ? {} : { baseUrl: base }),
    pollMs: yahooPollMs(env, pollMs),
    breaker: defaultBreakers.get('yahoo', resilienceFromEnv(env).breaker),
  });
}
