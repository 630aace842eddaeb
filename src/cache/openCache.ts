// Chooses the cache from configuration: RedisCache when a Redis URL is given (REDIS_URL), MemoryCache otherwise.

import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import { MemoryCache } from './memoryCache.js';
import type { RedisCacheOptions } from './redisCache.js';
import type { Cache } from './types.js';

export interface OpenCacheOptions extends Omit<RedisCacheOptions, 'url'> {
  /** REDIS_URL as resolved by the config loader; unset or empty selects the in-memory cache. */
  redisUrl?: string;
  clock?: Clock;
  log?: Logger;
  /** How long to wait for Redis before starting degraded (it keeps reconnecting). Default 2000 ms. */
  connectWaitMs?: number;
}

/**
 * Opens the configured cache. An unreachable Redis does not fail start-up: the cache starts degraded and
 * recovers when Redis appears. A malformed URL does fail, with PI5_ERR_BAD_CONFIG.
 */
export async function openCache(opts: OpenCacheOptions = {}): Promise<Cache> {
  const { redisUrl, connectWaitMs, ...rest } = opts;
  if (redisUrl === undefined || redisUrl.trim() === '') return new MemoryCache({ clock: opts.clock, log: opts.log });
  // The Redis client loads only when Redis is configured: embedded defaults never parse it.
  const { RedisCache } = await import('./redisCache.js');
  const cache = new RedisCache({ ...rest, url: redisUrl.trim() });
  await cache.connect(connectWaitMs ?? 2000);
  return cache;
}
