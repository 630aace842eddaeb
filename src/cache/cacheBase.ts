// What every cache shares on top of get/set: JSON encoding, the single-flight provider-response cache and
// argument checks, so MemoryCache and RedisCache cannot drift apart on these rules.

import { Pi5Error } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Quote } from '../model/types.js';
import type { Cache, CacheHealth, CacheStats, JsonParser, MessageHandler, RateLimitResult, Unsubscribe } from './types.js';

export abstract class CacheBase implements Cache {
  private readonly inflight = new Map<string, Promise<unknown>>();
  private hits = 0;
  private misses = 0;

  protected constructor(protected readonly log: Logger) {}

  abstract get(key: string): Promise<string | undefined>;
  abstract set(key: string, value: string, ttlMs?: number): Promise<void>;
  abstract del(key: string): Promise<void>;
  abstract setQuote(quote: Quote): Promise<void>;
  abstract getQuote(symbol: string): Promise<Quote | undefined>;
  abstract getQuotes(symbols: readonly string[]): Promise<Map<string, Quote>>;
  abstract publish(channel: string, message: string): Promise<void>;
  abstract subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe>;
  abstract hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  abstract health(): CacheHealth;
  abstract close(): Promise<void>;

  async getJson<T>(key: string, parse?: JsonParser<T>): Promise<T | undefined> {
    const raw = await this.get(key);
    if (raw === undefined) return undefined;
    try {
      const value: unknown = JSON.parse(raw);
      return parse ? parse(value) : (value as T);
    } catch (e) {
      // Another version of the app may have written this key; a bad entry is a miss, not a crash.
      this.log.warn('cache entry is not valid; treating it as a miss', { key, error: (e as Error).message });
      return undefined;
    }
  }

  async setJson(key: string, value: unknown, ttlMs?: number): Promise<void> {
    const text = JSON.stringify(value);
    if (text === undefined) return;
    await this.set(key, text, ttlMs);
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses };
  }

  async cached<T>(key: string, ttlMs: number, loader: () => Promise<T>, parse?: JsonParser<T>): Promise<T> {
    checkTtl(ttlMs);
    // The flight covers the read too, so callers that arrive while another's read or load is pending join
    // it whatever the timing. The promise stored under key is always one made here for the same T.
    const running = this.inflight.get(key);
    if (running) return running as Promise<T>;
    const flight = (async () => {
      try {
        const hit = await this.getJson(key, parse);
        if (hit !== undefined) {
          this.hits++;
          return hit;
        }
        this.misses++;
        const value = await loader();
        if (value !== undefined) await this.setJson(key, value, ttlMs);
        return value;
      } finally {
        this.inflight.delete(key);
      }
    })();
    this.inflight.set(key, flight);
    return flight;
  }
}

/** A TTL is absent (no expiry) or a positive number of milliseconds. */
export function checkTtl(ttlMs: number | undefined): void {
  if (ttlMs === undefined) return;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new Pi5Error('PI5_ERR_BAD_CACHE_ARG', `cache TTL must be a positive number of ms, got ${ttlMs}`, { ttlMs });
  }
}

export function checkLimit(limit: number, windowMs: number): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Pi5Error('PI5_ERR_BAD_CACHE_ARG', `rate limit must be a positive integer, got ${limit}`, { limit });
  }
  if (!Number.isInteger(windowMs) || windowMs < 1) {
    throw new Pi5Error('PI5_ERR_BAD_CACHE_ARG', `rate-limit window must be a positive integer of ms, got ${windowMs}`, {
      windowMs,
    });
  }
}
