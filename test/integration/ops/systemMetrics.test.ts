// The System row's metrics from real parts: every call of a real PostgreSQL database is timed by kind and
// outcome (errors pass through unchanged; a transaction counts once), its pool's busy, idle and waiting
// connections are exported as they are, the provider-response cache's hits and
// misses are counted between scrapes, and a provider breaker's state is exported as a level.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memoryCache.js';
import { Pi5Error } from '../../../src/core/errors.js';
import { CircuitBreaker } from '../../../src/data/providers/resilience/circuitBreaker.js';
import type { Database } from '../../../src/persistence/database.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { QueryTimings, timeQueries, type QueryKind } from '../../../src/persistence/queryTimings.js';
import { registerSystemMetrics } from '../../../src/ops/systemMetrics.js';
import { lazyPglite } from '../../../src/persistence/lazyPglite.js';
import { postgresAvailable, TEST_DATABASE_URL } from '../../helpers/services.js';

const hasPg = await postgresAvailable();

/** One scrape as `name{label=value,...}` → value (histograms by their _count series), read as Prometheus would. */
async function scrape(r: Registry): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const f of await r.getMetricsAsJSON()) {
    for (const v of f.values) {
      const name = (v as { metricName?: string }).metricName ?? f.name;
      if (name.endsWith('_bucket') || name.endsWith('_sum')) continue;
      const labels = Object.entries(v.labels).map(([k, l]) => `${k}=${String(l)}`).join(',');
      out.set(`${name}{${labels}}`, v.value);
    }
  }
  return out;
}

describe.skipIf(!hasPg)('system metrics', () => {
  let raw: Database;
  let db: Database;
  const seen: [QueryKind, boolean][] = [];
  const timings = new QueryTimings();
  const registry = new Registry();
  const cache = new MemoryCache();
  const breaker = new CircuitBreaker('yahoo', { failureThreshold: 1, coolDownMs: 3_600_000 });

  beforeAll(async () => {
    raw = await openDatabase({ databaseUrl: TEST_DATABASE_URL });
    db = timeQueries(raw, timings);
    timings.listen((kind, seconds, ok) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      seen.push([kind, ok]);
    });
    registerSystemMetrics(registry, { queries: timings, pool: () => db.poolStats?.() ?? null, cache, breakers: () => [breaker.snapshot()] });
  });
  afterAll(async () => {
    await raw?.close();
    await cache.close();
  });

  it('times each call by kind and outcome; results and errors pass through; a transaction counts once', async () => {
    expect(await db.query<{ n: number }>('select 41 + $1::int as n', [1])).toEqual([{ n: 42 }]);
    await expect(db.query('select * from no_such_table_pi5')).rejects.toThrow(/no_such_table_pi5/);
    await db.exec('select 1');
    const rows = await db.transaction(async (tx) => {
      await tx.query('select 1');
      return tx.query<{ v: string }>("select 'in tx' as v");
    });
    expect(rows).toEqual([{ v: 'in tx' }]);
    expect(seen).toEqual([['query', true], ['query', false], ['exec', true], ['transaction', true]]);
    expect(db.engine).toBe('postgres');
    const m = await scrape(registry);
    expect(m.get('pi5_db_query_duration_seconds_count{kind=query,outcome=ok}')).toBe(1);
    expect(m.get('pi5_db_query_duration_seconds_count{kind=query,outcome=error}')).toBe(1);
    expect(m.get('pi5_db_query_duration_seconds_count{kind=transaction,outcome=ok}')).toBe(1);
  });

  it('exports the pool\'s occupancy: every connection busy in a transaction, a call waiting, then all idle', async () => {
    const pool = async (): Promise<number[]> => {
      const m = await scrape(registry);
      return ['connections', 'idle_connections', 'waiting_requests', 'max_connections'].map((n) => m.get(`pi5_db_pool_${n}{}`) ?? -1);
    };
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let inside = 0;
    let allInside!: () => void;
    const entered = new Promise<void>((r) => (allInside = r));
    const held = Array.from({ length: 4 }, () =>
      db.transaction(async (tx) => {
        await tx.query('select 1');
        if (++inside === 4) allInside();
        await gate;
      }),
    );
    await entered;
    const queued = db.query<{ n: number }>('select 5 as n');
    // The fifth call queues for a connection; poll by scrapes (no clock) until the pool says so.
    let seen = await pool();
    for (let i = 0; i < 1000 && seen[2] !== 1; i++) {
      await new Promise((r) => setImmediate(r));
      seen = await pool();
    }
    expect(seen).toEqual([4, 0, 1, 4]);
    open();
    await Promise.all(held);
    expect(await queued).toEqual([{ n: 5 }]);
    const after = await pool();
    expect(after[1]).toBe(after[0]);
    expect(after.slice(2)).toEqual([0, 4]);
  });

  it('keeps the embedded database\'s own members: its bar catalog, and opening on first use', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-timed-'));
    try {
      const lazy = lazyPglite(dir);
      const timed = timeQueries(lazy, new QueryTimings());
      expect(timed.barCatalog).toBe(lazy.barCatalog);
      expect(timed.barCatalog?.dir).toBe(join(dir, 'catalog'));
      expect(timed.opened?.()).toBe(false);
      expect(typeof timed.snapshot).toBe('function');
      await timed.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('counts cache hits and misses of the provider-response cache, and exports its health', async () => {
    let loads = 0;
    const load = async (): Promise<number> => ++loads;
    await cache.cached('k', 60_000, load);
    await cache.cached('k', 60_000, load);
    await cache.cached('k', 60_000, load);
    expect(loads).toBe(1);
    let m = await scrape(registry);
    expect([m.get('pi5_cache_lookups_total{result=hit}'), m.get('pi5_cache_lookups_total{result=miss}')]).toEqual([2, 1]);
    expect(m.get('pi5_cache_up{}')).toBe(1);
    await cache.cached('other', 60_000, load);
    m = await scrape(registry); // a second scrape adds only what happened since the first
    expect([m.get('pi5_cache_lookups_total{result=hit}'), m.get('pi5_cache_lookups_total{result=miss}')]).toEqual([2, 2]);
  });

  it('exports a provider breaker as 0 closed, 2 open', async () => {
    expect((await scrape(registry)).get('pi5_provider_breaker_state{provider=yahoo}')).toBe(0);
    await expect(breaker.run(async () => { throw new Pi5Error('PI5_ERR_PROVIDER', 'down'); })).rejects.toThrow('down');
    expect((await scrape(registry)).get('pi5_provider_breaker_state{provider=yahoo}')).toBe(2);
  });
});
