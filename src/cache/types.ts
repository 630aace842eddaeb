// The one cache interface (DESIGN.md §8): key/value with TTL, provider-response cache, latest quotes, pub/sub
// fan-out and rate-limit counters. MemoryCache and RedisCache implement it and pass one contract suite.

import type { Quote } from '../model/types.js';

/**
 * 'up': fully working. 'degraded': Redis is unreachable and the cache serves from its fallbacks (reads miss,
 * writes are dropped, rate limits and pub/sub are process-local). 'down': the cache was closed.
 */
export type CacheHealth = 'up' | 'degraded' | 'down';

export interface RateLimitResult {
  /** True when this hit is within the limit (and was counted). */
  readonly allowed: boolean;
  /** Hits still allowed in the current window after this one. */
  readonly remaining: number;
  /** Milliseconds until the current window ends and the count starts again from zero. */
  readonly resetMs: number;
}

/** Receives a message published on a channel; exceptions are logged, never passed to the publisher. */
export type MessageHandler = (message: string, channel: string) => void;

export type Unsubscribe = () => Promise<void>;

/** Checks a decoded JSON value, e.g. a zod schema's `parse`; throwing makes the entry a miss. */
export type JsonParser<T> = (value: unknown) => T;

export interface Cache {
  /** The stored string, or undefined when absent, expired or unreachable. */
  get(key: string): Promise<string | undefined>;
  /** Stores a string; without ttlMs it never expires. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  del(key: string): Promise<void>;
  getJson<T>(key: string, parse?: JsonParser<T>): Promise<T | undefined>;
  setJson(key: string, value: unknown, ttlMs?: number): Promise<void>;

  /**
   * Provider-response cache: returns the cached value of key, or calls loader, stores its result for ttlMs
   * and returns it. Concurrent calls for one key in this process share one read and at most one loader
   * call (single-flight; the first caller's parse applies). A loader that throws rejects every waiter and
   * caches nothing; an `undefined` result is not cached.
   */
  cached<T>(key: string, ttlMs: number, loader: () => Promise<T>, parse?: JsonParser<T>): Promise<T>;

  /** Stores the latest quote of its symbol; a quote older (by ts) than the stored one is ignored. */
  setQuote(quote: Quote): Promise<void>;
  getQuote(symbol: string): Promise<Quote | undefined>;
  /** The latest quotes of the given symbols that are known; unknown symbols are absent from the map. */
  getQuotes(symbols: readonly string[]): Promise<Map<string, Quote>>;

  /** Delivers message to every subscriber of channel (in all processes sharing the Redis). */
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once messages published from now on will be delivered (when Redis is up). */
  subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe>;

  /**
   * Counts one hit against key in a fixed window of windowMs that starts at the window's first hit.
   * A hit over the limit is refused and not counted. Atomic across processes sharing the Redis.
   */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;

  health(): CacheHealth;
  /** Reads of the provider-response cache (`cached`) since the cache opened: served from it, or loaded. */
  stats(): CacheStats;
  close(): Promise<void>;
}

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
}
