// The cache without Redis: one process, everything in maps. Deterministic when given a SimulatedClock
// (expiry and rate-limit windows are computed from clock.now(); no timers run).

import { WallClock, type Clock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/log.js';
import type { Quote } from '../model/types.js';
import { CacheBase, checkLimit, checkTtl } from './cacheBase.js';
import { FixedWindowLimiter } from './fixedWindowLimiter.js';
import { LocalPubSub } from './localPubSub.js';
import type { CacheHealth, MessageHandler, RateLimitResult, Unsubscribe } from './types.js';

interface Entry {
  value: string;
  expiresAt: number | undefined;
}

export interface MemoryCacheOptions {
  clock?: Clock;
  log?: Logger;
}

/** Expired entries are swept after this many writes; reads also drop the expired entry they meet. */
const SWEEP_EVERY = 1024;

export class MemoryCache extends CacheBase {
  private readonly clock: Clock;
  private readonly entries = new Map<string, Entry>();
  private readonly quotes = new Map<string, Quote>();
  private readonly limiter: FixedWindowLimiter;
  private readonly pubsub: LocalPubSub;
  private writesSinceSweep = 0;
  private closed = false;

  constructor(opts: MemoryCacheOptions = {}) {
    const log = (opts.log ?? createLogger()).child({ component: 'cache', backend: 'memory' });
    super(log);
    this.clock = opts.clock ?? new WallClock();
    this.limiter = new FixedWindowLimiter(this.clock);
    this.pubsub = new LocalPubSub(log);
  }

  async get(key: string): Promise<string | undefined> {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt !== undefined && this.clock.now() >= e.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    checkTtl(ttlMs);
    if (this.closed) return;
    const now = this.clock.now();
    if (++this.writesSinceSweep >= SWEEP_EVERY) this.sweep(now);
    this.entries.set(key, { value, expiresAt: ttlMs === undefined ? undefined : now + ttlMs });
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async setQuote(quote: Quote): Promise<void> {
    if (this.closed) return;
    const old = this.quotes.get(quote.symbol);
    if (old && old.ts > quote.ts) return;
    // A copy, so a caller mutating its object later cannot change what others read.
    this.quotes.set(quote.symbol, { ...quote });
  }

  async getQuote(symbol: string): Promise<Quote | undefined> {
    return this.quotes.get(symbol);
  }

  async getQuotes(symbols: readonly string[]): Promise<Map<string, Quote>> {
    const out = new Map<string, Quote>();
    for (const s of symbols) {
      const q = this.quotes.get(s);
      if (q) out.set(s, q);
    }
    return out;
  }

  async publish(channel: string, message: string): Promise<void> {
    if (!this.closed) this.pubsub.deliver(channel, message);
  }

  async subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe> {
    if (this.closed) return async () => undefined;
    this.pubsub.add(channel, handler);
    return async () => {
      this.pubsub.remove(channel, handler);
    };
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    checkLimit(limit, windowMs);
    return this.limiter.hit(key, limit, windowMs);
  }

  health(): CacheHealth {
    return this.closed ? 'down' : 'up';
  }

  async close(): Promise<void> {
    this.closed = true;
    this.entries.clear();
    this.quotes.clear();
    this.limiter.clear();
    this.pubsub.clear();
  }

  private sweep(now: number): void {
    this.writesSinceSweep = 0;
    for (const [key, e] of this.entries) if (e.expiresAt !== undefined && now >= e.expiresAt) this.entries.delete(key);
  }
}
