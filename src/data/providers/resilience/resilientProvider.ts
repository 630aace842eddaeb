// Wraps any HistoricalBarProvider with the response cache (Cache.cached, TTL) outside its circuit breaker:
// a cached answer is served even while the breaker is open, and only real calls count for or against it.

import type { Cache } from '../../../cache/types.js';
import { Pi5Error } from '../../../core/errors.js';
import type { HistoricalBarProvider, HistoricalBarRequest, HistoricalBars } from '../types.js';
import { decodeBars, encodeBars, parseBarsEntry } from './barsCodec.js';
import { defaultBreakers, type BreakerOptions, type BreakerRegistry } from './circuitBreaker.js';

export interface ResilienceOptions {
  /** Response cache; without it (or with cacheTtlMs 0) every request goes to the provider. */
  readonly cache?: Cache;
  /** Lifetime of a cached response; default 1 h. */
  readonly cacheTtlMs?: number;
  readonly breaker?: BreakerOptions;
  /** Where the provider's breaker lives; default the process-wide one behind breakerStates(). */
  readonly breakers?: BreakerRegistry;
}

export const DEFAULT_CACHE_TTL_MS = 3_600_000;

/** The cache key of a request; the version part changes when the entry format or mapping does. */
export function barsCacheKey(provider: string, r: HistoricalBarRequest): string {
  return `provider:bars:v1:${provider}:${r.symbol}:${r.timeframe}:${r.from}:${r.to}`;
}

export function resilientProvider(inner: HistoricalBarProvider, opts: ResilienceOptions = {}): HistoricalBarProvider {
  const breaker = (opts.breakers ?? defaultBreakers).get(inner.name, opts.breaker);
  const ttl = opts.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const cache = ttl > 0 ? opts.cache : undefined;
  const label = (r: HistoricalBarRequest): string => `${inner.name} ${r.symbol}`;
  const call = (r: HistoricalBarRequest): Promise<HistoricalBars> => breaker.run(() => inner.fetchBars(r), label(r));
  return {
    name: inner.name,
    async fetchBars(r: HistoricalBarRequest): Promise<HistoricalBars> {
      if (cache === undefined) return call(r);
      const entry = await cache.cached(barsCacheKey(inner.name, r), ttl, async () => encodeBars(await call(r)), parseBarsEntry);
      return decodeBars(entry);
    },
    ...(inner.actionsNote === undefined ? {} : { actionsNote: (timeframe: string) => inner.actionsNote?.(timeframe) }),
  };
}

export interface ResilienceEnv {
  readonly cacheTtlMs: number;
  readonly breaker: BreakerOptions;
}

/** PI5_PROVIDER_CACHE_TTL_S (0 disables), PI5_BREAKER_FAILURES and PI5_BREAKER_COOLDOWN_S. */
export function resilienceFromEnv(env: NodeJS.ProcessEnv = process.env): ResilienceEnv {
  const ttlS = nonNegativeInt(env, 'PI5_PROVIDER_CACHE_TTL_S', DEFAULT_CACHE_TTL_MS / 1000);
  const failures = nonNegativeInt(env, 'PI5_BREAKER_FAILURES', 5);
  const coolDownS = nonNegativeInt(env, 'PI5_BREAKER_COOLDOWN_S', 60);
  return { cacheTtlMs: ttlS * 1000, breaker: { failureThreshold: Math.max(1, failures), coolDownMs: coolDownS * 1000 } };
}

/** A whole number ≥ 0 from the environment, or `fallback` when unset; anything else is PI5_ERR_BAD_CONFIG. */
export function nonNegativeInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `${name} must be a whole number ≥ 0, got ${JSON.stringify(raw)}`, { name });
  return Number(raw.trim());
}
