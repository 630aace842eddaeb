// PostgreSQL outages for real: a paced paper session writes to a private cluster that the test crashes and
// restarts 20+ times (seeded random moments and lengths) while manual orders, modifies and cancels arrive.
// The session pauses while the database is away, resumes by itself, and ends with exactly the orders, fills
// and equity of an uninterrupted run of the same actions; storage holds the same, nothing lost or duplicated.
// OUTAGE_SEED=N replays another sequence of outages and actions.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { demoSeries, openSession } from '../../../helpers/tradingSession.js';

const bin = postgresBinaries();
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

describe.skipIf(bin === null)('paper session through PostgreSQL outages', () => {
  let cluster: PostgresCluster;
  let db: Database;
  beforeAll(async () => {
    cluster = await PostgresCluster.create(bin as string);
    await cluster.start();
    db = await openDatabase({ databaseUrl: cluster.url });
    await migrate(db);
  }, 120_000);
  afterAll(async () => {
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
    s.setStepInterval(4);
    s.start();

    let acting = true;
    let refused = 0;
    const actor = (async () => {
      const actionRng = new SeededRng(SEED + 1);
      while (acting) {
        await sleep(actionRng.int(10, 60));
        await s.act(manualAction(s, actionRng)).catch(() => refused++);
      }
    })();
    const stepsAt: number[] = [];
    for (let i = 0; i < OUTAGES; i++) {
      // Each outage finds the session stepping again after the last one.
      const from = s.status().step;
      for (let w = 0; w < 3_000 && (s.status().waiting !== null || s.status().step <= from); w++) await sleep(5);
      await sleep(rng.int(10, 120));
      await cluster.crash();
      stepsAt.push(s.status().step);
      await sleep(rng.int(20, 250));
      await cluster.start();
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
  }, 180_000);
});
