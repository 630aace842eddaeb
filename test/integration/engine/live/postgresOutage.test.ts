// PostgreSQL and Redis outages for real: a paced paper session writes to a private cluster that the test crashes
// and restarts 20+ times (seeded random moments and lengths) while manual orders, modifies and cancels arrive;
// a private redis-server is killed and restarted too, alone and overlapping the database's outages, while
// each action passes the orders route's rate limit in Redis and the session's events fan out through Redis
// pub/sub to a second cache (another server instance) as the WebSocket hub sends them.
// The session pauses while the database is away, resumes by itself, and ends with exactly the orders, fills
// and equity of an uninterrupted run of the same actions; storage holds the same, nothing lost or duplicated;
// a Redis outage costs no action and the fan-out resumes by itself. OUTAGE_SEED=N replays another sequence.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from '../../../../src/cache/redisCache.js';
import { enforceRate } from '../../../../src/api/rateLimit.js';
import { isPi5Error } from '../../../../src/core/errors.js';
import { createLogger } from '../../../../src/core/log.js';
import { SeededRng } from '../../../../src/core/rng.js';
import type { Order } from '../../../../src/model/types.js';
import type { SessionAction } from '../../../../src/engine/live/sessionActions.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import type { TradingSession } from '../../../../src/engine/live/tradingSession.js';
import type { Database } from '../../../../src/persistence/database.js';
import { openDatabase } from '../../../../src/persistence/openDatabase.js';
import { migrate } from '../../../../src/persistence/migrations/index.js';
import { TradingSessionRepository } from '../../../../src/persistence/repositories/tradingSessions.js';
import { PostgresCluster, postgresBinaries } from '../../../helpers/postgresCluster.js';
import { freePort, RedisServer, redisServerInstalled } from '../../cache/redisServer.js';
import { demoSeries, openSession } from '../../../helpers/tradingSession.js';
import { WAIT_BUDGET_MS } from '../../../helpers/budget.js';

const bin = postgresBinaries();
const redisInstalled = redisServerInstalled();
/** The cache's reconnect settings, short so an outage of a few hundred ms is noticed and recovered from. */
const FAST_REDIS = { minBackoffMs: 20, maxBackoffMs: 200, commandTimeoutMs: 500, connectTimeoutMs: 500 };
const SEED = Number(process.env.OUTAGE_SEED ?? 20261207);
const OUTAGES = 22;
const SERIES = demoSeries(600);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function shape(orders: readonly Order[]): string[] {
  return orders.map((o) => `${o.clientOrderId} ${o.symbol} ${o.side} ${o.quantity} ${o.type} ${o.limitPrice ?? ''} ${o.status} ${o.filledQuantity} ${o.avgFillPrice.toFixed(8)}`);
}

/** A manual submit, modify or cancel, as a person at the dashboard would send one. */
function manualAction(s: TradingSession, rng: SeededRng): SessionAction {
  const orders = s.kernel.oms.all();
  const symbol = rng.next() < 0.5 ? 'AAA' : 'BBB';
  const close = s.kernel.market.lastClose(symbol);
  const working = orders.filter((o) => o.status === 'accepted' && o.type === 'limit');
  const r = rng.next();
  const pick = working[rng.int(0, Math.max(0, working.length - 1))];
  if (r < 0.3 && pick) return { kind: 'modifyOrder', orderId: pick.id, changes: { limitPrice: Math.round(close * (0.9 + rng.next() * 0.15) * 100) / 100 }, by: 'outage' };
  if (r < 0.45 && pick) return { kind: 'cancelOrder', orderId: pick.id, by: 'outage' };
  const limit = rng.next() < 0.6 && close > 0;
  const request = { symbol, side: rng.next() < 0.6 ? ('buy' as const) : ('sell' as const), quantity: rng.int(1, 40) };
  return { kind: 'submitOrder', request: limit ? { ...request, type: 'limit', limitPrice: Math.round(close * (0.95 + rng.next() * 0.07) * 100) / 100 } : request, by: 'outage' };
}

describe.skipIf(bin === null || !redisInstalled)('paper session through PostgreSQL and Redis outages', () => {
  let cluster: PostgresCluster;
  let db: Database;
  let redis: RedisServer;
  let cache: RedisCache;
  let peer: RedisCache;
  beforeAll(async () => {
    cluster = await PostgresCluster.create(bin as string);
    await cluster.start();
    db = await openDatabase({ databaseUrl: cluster.url });
    await migrate(db);
    redis = new RedisServer(await freePort(), 'outage-redis-pw');
    await redis.start();
    const log = createLogger('silent');
    cache = new RedisCache({ url: redis.url, prefix: 'outage:', log, ...FAST_REDIS });
    peer = new RedisCache({ url: redis.url, prefix: 'outage:', log, ...FAST_REDIS });
    expect(await cache.connect(WAIT_BUDGET_MS)).toBe(true);
    expect(await peer.connect(WAIT_BUDGET_MS)).toBe(true);
  });
  afterAll(async () => {
    await cache?.close();
    await peer?.close();
    await redis?.kill();
    await db?.close();
    await cluster?.destroy();
  });

  it(`pauses while the database is down, resumes by itself, and ends as an uninterrupted run (seed ${SEED})`, async () => {
    const rng = new SeededRng(SEED);
    const store = new TradingSessionRepository(db);
    const s = await openSession(store, 'outage', SERIES, 200);
    let paused = 0;
    s.events.subscribe('status', (st) => {
      if (st.waiting !== null) paused++;
    });
    // The WebSocket hub's fan-out: every fill goes to Redis pub/sub; the peer is another server's hub.
    const fanned: string[] = [];
    await peer.subscribe('events', (m) => fanned.push(m));
    s.events.subscribe('fill', (f) => void cache.publish('events', JSON.stringify({ channel: 'fills', data: f })).catch(() => undefined));
    s.setStepInterval(4);
    s.start();

    let acting = true;
    let refused = 0;
    let attempted = 0;
    const limiterFailures: string[] = [];
    const actor = (async () => {
      const actionRng = new SeededRng(SEED + 1);
      while (acting) {
        await sleep(actionRng.int(10, 60));
        attempted++;
        // The orders route's budget, counted in Redis (in process while Redis is away): it must never fail.
        await enforceRate(cache, 'orders:outage', 1_000_000, 'order submissions').catch((e: unknown) => limiterFailures.push(isPi5Error(e) ? e.code : String(e)));
        await s.act(manualAction(s, actionRng)).catch(() => refused++);
      }
    })();
    const stepsAt: number[] = [];
    let redisOutages = 0;
    let overlapping = 0;
    for (let i = 0; i < OUTAGES; i++) {
      // Each outage finds the session stepping again after the last one.
      const from = s.status().step;
      for (let w = 0; w < 3_000 && (s.status().waiting !== null || s.status().step <= from); w++) await sleep(5);
      await sleep(rng.int(10, 120));
      // Redis goes too: alone before the database's outage, across it, or not at all this time.
      const redisWay = rng.int(0, 2);
      if (redisWay === 0) {
        await redis.kill();
        await sleep(rng.int(20, 250));
        await redis.start();
        redisOutages++;
      }
      if (redisWay === 1) await redis.kill();
      await cluster.crash();
      stepsAt.push(s.status().step);
      await sleep(rng.int(20, 250));
      await cluster.start();
      if (redisWay === 1) {
        await sleep(rng.int(0, 100));
        await redis.start();
        redisOutages++;
        overlapping++;
      }
    }
    acting = false;
    await actor;
    s.setStepInterval(0);
    for (let i = 0; i < 6_000 && s.status().state !== 'finished'; i++) await sleep(10);
    await s.stop();

    expect(s.status()).toMatchObject({ state: 'finished', failure: null, waiting: null, step: SERIES[0]?.length });
    // The outages landed while it stepped, and it noticed them.
    expect(stepsAt[OUTAGES - 1]).toBeLessThan(SERIES[0]?.length ?? 0);
    expect(paused).toBeGreaterThanOrEqual(OUTAGES / 4);
    expect(refused).toBeGreaterThan(0);
    // Redis: outages alone and across the database's; no action ever failed on its rate limit, and after the
    // last restart both caches are up and the fan-out reaches the peer again (resubscribed by itself).
    expect(redisOutages).toBeGreaterThanOrEqual(OUTAGES / 3);
    expect(overlapping).toBeGreaterThan(0);
    expect(attempted).toBeGreaterThan(OUTAGES);
    expect(limiterFailures).toEqual([]);
    expect(await cache.whenUp(WAIT_BUDGET_MS)).toBe(true);
    expect(await peer.whenUp(WAIT_BUDGET_MS)).toBe(true);
    const before = fanned.length;
    await cache.publish('events', 'after the last outage');
    for (let i = 0; i < 3_000 && !fanned.includes('after the last outage'); i++) await sleep(10);
    expect(fanned.slice(before)).toContain('after the last outage');
    expect(fanned.length).toBeGreaterThan(1);

    // Storage holds what memory holds: every order once, every fill once, the true status.
    const [row] = await db.query<{ status: string; last_step: number }>("select status, last_step from paper_sessions where id = 'outage'");
    expect(row).toMatchObject({ status: 'finished' });
    expect(Number(row?.last_step)).toBe((SERIES[0]?.length ?? 0) - 1);
    const rows = await db.query<{ client_order_id: string; status: string; filled_quantity: number }>(
      "select client_order_id, status, filled_quantity from orders where session_id = 'outage' order by order_no",
    );
    const mine = s.kernel.oms.all();
    expect(rows.map((r) => `${r.client_order_id} ${r.status} ${Number(r.filled_quantity)}`)).toEqual(mine.map((o) => `${o.clientOrderId} ${o.status} ${o.filledQuantity}`));
    const fills = await db.query<{ client_order_id: string; q: number | string }>("select client_order_id, sum(quantity) as q from fills where session_id = 'outage' group by client_order_id");
    const filled = new Map(fills.map((f) => [f.client_order_id, Number(f.q)]));
    for (const o of mine) expect(filled.get(o.clientOrderId) ?? 0).toBe(o.filledQuantity);

    // An uninterrupted run of the same actions after the same steps ends the same.
    const journal = (await store.load('outage'))?.actions ?? [];
    expect(journal.length).toBeGreaterThan(10);
    const reference = await openSession(new MemorySessionStore(), 'outage', SERIES);
    for (const r of journal) {
      await reference.advance(r.afterStep + 1 - reference.ledger.stepCount);
      await reference.act(r.action).catch(() => undefined);
    }
    await reference.advance(10_000);
    expect(shape(mine)).toEqual(shape(reference.kernel.oms.all()));
    expect(s.kernel.portfolio.equity()).toBe(reference.kernel.portfolio.equity());
    expect(s.ledger.curveEquity).toEqual(reference.ledger.curveEquity);

    // And a restart from storage re-derives it all.
    const again = await openSession(new TradingSessionRepository(db), 'outage', SERIES);
    expect(again.status()).toMatchObject({ state: 'finished', failure: null });
    expect(shape(again.kernel.oms.all())).toEqual(shape(mine));
    // Safety budget only: 155 s at load 40 on 2 cores (22 cluster restarts dominate), far less on a quiet machine.
  }, 300_000);
});
