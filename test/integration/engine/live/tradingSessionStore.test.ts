// Trading sessions stored in the real PostgreSQL and in PGlite: what each step writes, and a restart from storage.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../../helpers/services.js';
import { demoSeries, openSession } from '../../../helpers/tradingSession.js';
import { barsByTime, openLiveSession } from '../../../helpers/liveSession.js';
import { barAt } from '../../../../src/model/barSeries.js';
import { BarStore } from '../../../../src/persistence/barStore.js';
import { openDatabase } from '../../../../src/persistence/openDatabase.js';
import { migrate } from '../../../../src/persistence/migrations/index.js';
import { TradingSessionRepository } from '../../../../src/persistence/repositories/tradingSessions.js';
import type { Database } from '../../../../src/persistence/database.js';
import type { TradingSessionStore } from '../../../../src/engine/live/sessionStore.js';

const hasPg = await postgresAvailable();

function suite(name: string, open: () => Promise<{ db: Database; done: () => Promise<void> }>): void {
  describe(`paper session store on ${name}`, () => {
    let db: Database;
    let done: () => Promise<void>;
    beforeAll(async () => {
      ({ db, done } = await open());
      await migrate(db);
    });
    afterAll(async () => done());

    it('writes orders, fills, actions and snapshots per step, and a restart re-derives exactly the stored orders', async () => {
      const store = new TradingSessionRepository(db);
      const first = await openSession(store, 'db1');
      await first.advance(120);
      await first.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 3, clientOrderId: 'manual-1' }, by: 'test' });
      await first.advance(30);
      const orders = first.kernel.oms.all();
      const rows = await db.query<{ client_order_id: string; status: string; filled_quantity: number }>(
        "select client_order_id, status, filled_quantity from orders where session_id = 'db1' order by order_no",
      );
      expect(rows.map((r) => r.client_order_id)).toEqual(orders.map((o) => o.clientOrderId));
      // Orders released by the last write are accepted in memory; storage learns it with the next step's write.
      const fills = await db.query<{ n: number | string }>("select count(*) as n from fills where session_id = 'db1'");
      const filledQty = orders.reduce((n, o) => n + (o.filledQuantity > 0 ? 1 : 0), 0);
      expect(Number(fills[0]?.n)).toBeGreaterThanOrEqual(filledQty);
      const snaps = await db.query<{ n: number | string }>("select count(*) as n from account_snapshots where account = 'db1'");
      expect(Number(snaps[0]?.n)).toBe(150);
      const [session] = await db.query<{ last_step: number }>("select last_step from paper_sessions where id = 'db1'");
      expect(Number(session?.last_step)).toBe(149);

      const second = await openSession(new TradingSessionRepository(db), 'db1');
      expect(second.status().state).toBe('paused');
      expect(second.status().recoveredSteps).toBe(150);
      expect(second.kernel.oms.all().map((o) => o.clientOrderId)).toEqual(orders.map((o) => o.clientOrderId));
      expect(second.kernel.portfolio.equity()).toBe(first.kernel.portfolio.equity());
      await second.advance(10);
      const after = await db.query<{ n: number | string }>("select count(*) as n from orders where session_id = 'db1'");
      expect(Number(after[0]?.n)).toBe(second.kernel.oms.all().length);
    });

    it('a journal write the database refuses refuses that action alone: nothing of it in memory, the session steps on and recovers', async () => {
      // The database rejects one action (a trigger on the journal), as it would reject a bad byte or a full disk.
      await db.query(`create function pi5_reject_poison() returns trigger language plpgsql as $$
        begin if new.action->'request'->>'tag' = 'poison' then raise exception 'poisoned action'; end if; return new; end $$`);
      await db.query('create trigger pi5_reject_poison before insert on paper_session_actions for each row execute function pi5_reject_poison()');
      try {
        const s = await openSession(new TradingSessionRepository(db), 'poison');
        await s.advance(40);
        const before = s.kernel.oms.all().map((o) => o.clientOrderId);
        await expect(s.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 5, tag: 'poison' }, by: 'test' })).rejects.toThrow(/poisoned action/);
        expect(s.kernel.oms.all().map((o) => o.clientOrderId)).toEqual(before);
        expect(s.status().state).toBe('paused');
        await s.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 5, tag: 'fine' }, by: 'test' });
        expect(await s.advance(20)).toBe(20);
        const rows = await db.query<{ client_order_id: string }>("select client_order_id from orders where session_id = 'poison' order by order_no");
        expect(rows.map((r) => r.client_order_id)).toEqual(s.kernel.oms.all().map((o) => o.clientOrderId));
        expect(s.kernel.oms.all().filter((o) => o.tag === 'fine')).toHaveLength(1);

        const again = await openSession(new TradingSessionRepository(db), 'poison');
        expect(again.status()).toMatchObject({ state: 'paused', failure: null, recoveredSteps: 60 });
        expect(again.kernel.oms.all().map((o) => o.clientOrderId)).toEqual(s.kernel.oms.all().map((o) => o.clientOrderId));
        expect(again.kernel.portfolio.equity()).toBe(s.kernel.portfolio.equity());
      } finally {
        await db.query('drop trigger pi5_reject_poison on paper_session_actions');
        await db.query('drop function pi5_reject_poison()');
      }
    });

    it('an order accepted after the last write is stored with its status after a crash and a restart that takes no step', async () => {
      const repo = new TradingSessionRepository(db);
      const first = await openSession(repo, 'late-accept');
      await first.advance(50);
      await first.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 4, type: 'limit', limitPrice: 1, clientOrderId: 'late-1' }, by: 'test' });
      const statusOf = async (): Promise<string | undefined> =>
        (await db.query<{ status: string }>("select status from orders where client_order_id = 'late-1'"))[0]?.status;
      // Accepted by the exchange when the write released it: storage learns it with the next write.
      expect([first.kernel.oms.all().find((o) => o.clientOrderId === 'late-1')?.status, await statusOf()]).toEqual(['accepted', 'submitted']);
      // The process dies here (no stop); the restart re-derives the order and writes what storage lacks when it stops.
      const second = await openSession(repo, 'late-accept');
      expect(second.status()).toMatchObject({ failure: null, recoveredSteps: 50 });
      await second.stop();
      expect(await statusOf()).toBe('accepted');
    });

    it('a write whose COMMIT landed but whose answer was lost is written again whole, and nothing is stored twice', async () => {
      // The connection dies between COMMIT and its answer: the session keeps the write and retries it with what
      // came after, so every row of it reaches the database a second time.
      const repo = new TradingSessionRepository(db);
      let writes = 0;
      let losing = true;
      const lossy: TradingSessionStore = {
        load: (id) => repo.load(id),
        create: (id, c) => repo.create(id, c),
        setStatus: (id, st) => repo.setStatus(id, st),
        write: async (w) => {
          await repo.write(w);
          if (losing && ++writes % 3 === 0) throw new Error('connection terminated unexpectedly');
        },
      };
      const s = await openSession(lossy, 'lost-answers');
      let fills = 0;
      s.events.subscribe('fill', () => fills++);
      let acted = 0;
      for (let i = 0; s.status().step < 200 && i < 2000; i++) {
        if (i % 7 === 3) {
          await s.act({ kind: 'submitOrder', request: { symbol: i % 2 ? 'AAA' : 'BBB', side: 'buy', quantity: 2 }, by: 'test' }).then(() => acted++, () => undefined);
        }
        await s.advance(1).catch(() => undefined);
      }
      const steps = s.status().step;
      expect(s.status()).toMatchObject({ failure: null });
      losing = false;
      await s.stop();
      expect(fills).toBeGreaterThan(10);
      const [f] = await db.query<{ n: number | string }>("select count(*) as n from fills where session_id = 'lost-answers'");
      expect(Number(f?.n)).toBe(fills);
      const [a] = await db.query<{ n: number | string }>("select count(*) as n from paper_session_actions where session_id = 'lost-answers'");
      expect(Number(a?.n)).toBe(acted);
      const [sn] = await db.query<{ n: number | string; d: number | string }>("select count(*) as n, count(distinct ts) as d from account_snapshots where account = 'lost-answers'");
      expect([Number(sn?.n), Number(sn?.d)]).toEqual([steps, steps]);
      const filled = await db.query<{ client_order_id: string; q: number | string }>("select client_order_id, sum(quantity) as q from fills where session_id = 'lost-answers' group by client_order_id");
      const byOrder = new Map(filled.map((r) => [r.client_order_id, Number(r.q)]));
      for (const o of s.kernel.oms.all()) expect([o.clientOrderId, byOrder.get(o.clientOrderId) ?? 0]).toEqual([o.clientOrderId, o.filledQuantity]);

      const again = await openSession(repo, 'lost-answers');
      expect(again.status()).toMatchObject({ failure: null, recoveredSteps: steps });
      expect(again.kernel.portfolio.equity()).toBe(s.kernel.portfolio.equity());
    });

    it('stores a live step\'s bars with its orders, and a restart re-runs the steps from the bar store', async () => {
      const steps = barsByTime(demoSeries(120));
      const start = steps[0]?.[0]?.ts ?? 0;
      const bars = new BarStore(db);
      const loadRecorded = async (from: number, to: number) =>
        (await bars.read({ symbols: ['AAA', 'BBB'], timeframe: '1d', from, to })).flatMap((s) => Array.from({ length: s.length }, (_, i) => barAt(s, i))).sort((a, b) => a.ts - b.ts);
      const first = await openLiveSession(new TradingSessionRepository(db), 'live1', ['AAA', 'BBB'], start, { loadRecorded });
      for (const step of steps.slice(0, 81)) for (const b of step) first.feed.bar(b);
      expect(await first.session.advance(1_000)).toBe(80);
      const [row] = await db.query<{ last_step: number; ts: number }>("select last_step, (extract(epoch from last_step_ts) * 1000)::float8 as ts from paper_sessions where id = 'live1'");
      expect([Number(row?.last_step), Number(row?.ts)]).toEqual([79, steps[79]?.[0]?.ts]);
      expect((await bars.list()).filter((s) => s.timeframe === '1d').map((s) => [s.symbol, s.count])).toEqual([['AAA', 80], ['BBB', 80]]);

      const second = await openLiveSession(new TradingSessionRepository(db), 'live1', ['AAA', 'BBB'], start, { loadRecorded });
      expect(second.session.status()).toMatchObject({ state: 'paused', recoveredSteps: 80 });
      expect(second.session.kernel.oms.all().map((o) => o.clientOrderId)).toEqual(first.session.kernel.oms.all().map((o) => o.clientOrderId));
      expect(second.session.kernel.portfolio.equity()).toBe(first.session.kernel.portfolio.equity());
      for (const step of steps.slice(80)) for (const b of step) second.feed.bar(b);
      expect(await second.session.advance(1_000)).toBe(39);
    });
  });
}

suite('PGlite', async () => {
  const db = await openDatabase({ inMemory: true });
  return { db, done: () => db.close() };
});

describe.skipIf(!hasPg)('PostgreSQL', () => {
  suite('PostgreSQL', async () => {
    const t = await createTestDatabase('pi5_paper');
    const db = await openDatabase({ databaseUrl: t.url });
    return { db, done: async () => { await db.close(); await t.drop(); } };
  });
});
