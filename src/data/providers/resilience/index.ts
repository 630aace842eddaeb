// Shared resilience for data providers: circuit breakers, the cache-backed request budget and response cache.

export { BreakerRegistry, CircuitBreaker, breakerStates, defaultBreakers, type BreakerOptions, type BreakerSnapshot, type BreakerState } from './circuitBreaker.js';
export { SharedRateLimiter, perMinuteAndDay, type RateBudget, type RequestLimiter } from './rateLimiter.js';
export { resilientProvider, resilienceFromEnv, barsCacheKey, DEFAULT_CACHE_TTL_MS, type ResilienceOptions } from './resilientProvider.js';
