// Metrics of the parts under the session: database latency by kind of call, the provider-response cache's hit
// counts and health, and the market-data providers' circuit breakers (what the Grafana "System" row shows).

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CacheHealth, CacheStats } from '../cache/types.js';
import type { BreakerSnapshot, BreakerState } from '../data/providers/resilience/circuitBreaker.js';
import type { QueryTimings } from '../persistence/queryTimings.js';

export interface SystemMetricsSources {
  readonly queries: QueryTimings;
  readonly cache: { stats(): CacheStats; health(): CacheHealth };
  readonly breakers: () => readonly BreakerSnapshot[];
}

const BREAKER_LEVEL: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

export function registerSystemMetrics(registry: Registry, src: SystemMetricsSources): void {
  const db = new Histogram({
    name: 'pi5_db_query_duration_seconds',
    help: 'Database call latency by kind (query, exec, copy, transaction) and outcome',
    labelNames: ['kind', 'outcome'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  src.queries.listen((kind, seconds, ok) => db.observe({ kind, outcome: ok ? 'ok' : 'error' }, seconds));
  // Mirrors the cache's own counts: each scrape adds what happened since the last one.
  let seen: CacheStats = { hits: 0, misses: 0 };
  new Counter({ name: 'pi5_cache_lookups_total', help: 'Provider-response cache lookups, by result (hit, miss)', labelNames: ['result'], registers: [registry], collect() {
    const s = src.cache.stats();
    this.inc({ result: 'hit' }, s.hits - seen.hits);
    this.inc({ result: 'miss' }, s.misses - seen.misses);
    seen = s;
  } });
  new Gauge({ name: 'pi5_cache_up', help: '1 while the cache is fully working (0: Redis unreachable, serving fallbacks)', registers: [registry], collect() {
    this.set(src.cache.health() === 'up' ? 1 : 0);
  } });
  new Gauge({ name: 'pi5_provider_breaker_state', help: 'Circuit breaker of each market-data provider: 0 closed, 1 half-open, 2 open', labelNames: ['provider'], registers: [registry], collect() {
    this.reset();
    for (const b of src.breakers()) this.set({ provider: b.name }, BREAKER_LEVEL[b.state]);
  } });
}
