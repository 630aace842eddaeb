// Metrics of the parts under the session: database latency by kind of call and the connection pool's occupancy,
// the provider-response cache's hit counts and health, and the market-data providers' circuit breakers (what the Grafana "System" row shows).

import { Gauge, Histogram, type Registry } from 'prom-client';
import type { CacheHealth, CacheStats } from '../cache/types.js';
import type { BreakerSnapshot, BreakerState } from '../data/providers/resilience/circuitBreaker.js';
import type { PoolStats } from '../persistence/database.js';
import type { QueryTimings } from '../persistence/queryTimings.js';
import { registerScrapedCounter } from './scrapedCounter.js';

export interface SystemMetricsSources {
  readonly queries: QueryTimings;
  /** The PostgreSQL pool's occupancy; null on the embedded database, which has no pool. */
  readonly pool: () => PoolStats | null;
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
  // Waiting callers with every connection busy mean the pool (4) is too small for the load, or a call hangs.
  const pool = (name: string, help: string, read: (p: PoolStats) => number): void => {
    new Gauge({ name, help: `${help} (0 on the embedded database)`, registers: [registry], collect() {
      const p = src.pool();
      this.set(p === null ? 0 : read(p));
    } });
  };
  pool('pi5_db_pool_connections', 'PostgreSQL connections open in the pool, busy or idle', (p) => p.total);
  pool('pi5_db_pool_idle_connections', 'PostgreSQL connections open and idle in the pool', (p) => p.idle);
  pool('pi5_db_pool_waiting_requests', 'Database calls waiting for a pooled connection', (p) => p.waiting);
  pool('pi5_db_pool_max_connections', 'Most connections the pool opens', (p) => p.max);
  registerScrapedCounter(registry, 'pi5_cache_lookups_total', 'Provider-response cache lookups, by result (hit, miss)', 'result', () => {
    const s = src.cache.stats();
    return [['hit', s.hits], ['miss', s.misses]];
  });
  new Gauge({ name: 'pi5_cache_up', help: '1 while the cache is fully working (0: Redis unreachable, serving fallbacks)', registers: [registry], collect() {
    this.set(src.cache.health() === 'up' ? 1 : 0);
  } });
  new Gauge({ name: 'pi5_provider_breaker_state', help: 'Circuit breaker of each market-data provider: 0 closed, 1 half-open, 2 open', labelNames: ['provider'], registers: [registry], collect() {
    this.reset();
    for (const b of src.breakers()) this.set({ provider: b.name }, BREAKER_LEVEL[b.state]);
  } });
}
