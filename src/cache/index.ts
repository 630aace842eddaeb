// The cache's public surface: the interface, both implementations and the factory that picks one.

export type { Cache, CacheHealth, JsonParser, MessageHandler, RateLimitResult, Unsubscribe } from './types.js';
export { MemoryCache, type MemoryCacheOptions } from './memoryCache.js';
export { RedisCache, DEFAULT_PREFIX, type RedisCacheOptions } from './redisCache.js';
export { openCache, type OpenCacheOptions } from './openCache.js';
export { maskRedisUrl } from './redisUrl.js';
