// The storage suite on the real PostgreSQL (a fresh database for this file, dropped after), plus what
// only a server can show: concurrent writers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../helpers/services.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { migrate } from '../../../src/persistence/migrations/index.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { sliceSeries, type BarSeries } from '../../../src/model/barSeries.js';
import type { Database } from '../../../src/persistence/database.js';
import { columns, storageSuite } from './storeSuite.js';

const hasPg = await postgresAvailable();

describe.skipIf(!hasPg)('PostgreSQL', () => {
  storageSuite('PostgreSQL', async () => {
    const t = await createTestDatabase('pi5_store');
    const db = await openDatabase({ databaseUrl: t.url });
    return { db, done: async () => { await db.close(); await t.drop(); } };
  });

  describe('COPY out', () => {
    let db: Database;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const t = await createTestDatabase('pi5_copy');
      drop = t.drop;
      db = await openDatabase({ databaseUrl: t.url });
    });
    afterAll(async () => {
      await db.close();
      await drop();
    });

    // Sequential calls reuse the pool's idle connection, so the queries at the end run on it after its failures.
    it('streams every byte, and a failure (at once, mid-stream, or in the consumer) leaves the pool usable', async () => {
      let bytes = 0;
      await db.copyTo('copy (select g from generate_series(1, 200000) g) to stdout', (c) => {
        bytes += c.length;
      });
      const text = Array.from({ length: 200_000 }, (_, i) => `${i + 1}\n`).join('');
      expect(bytes).toBe(text.length);
      await expect(db.copyTo('copy (select 1 / 0) to stdout', () => undefined)).rejects.toMatchObject({ code: 'PI5_ERR_DB', message: expect.stringMatching(/division by zero/) });
      await expect(
        db.copyTo('copy (select case when g = 150000 then 1 / (g - g) else g end from generate_series(1, 200000) g) to stdout', () => undefined),
      ).rejects.toMatchObject({ message: expect.stringMatching(/division by zero/) });
      await expect(
        db.copyTo('copy (select g from generate_series(1, 200000) g) to stdout', () => {
          throw new Error('consumer gave up');
        }),
      ).rejects.toMatchObject({ message: expect.stringMatching(/consumer gave up/) });
      expect(await Promise.all([1, 2, 3, 4, 5, 6].map((n) => db.query<{ n: number }>('select $1::int as n', [n])))).toHaveLength(6);
      expect(await db.query('select 42 as n')).toEqual([{ n: 42 }]);
    });

    // A consumer that returns a promise (a file write) holds the output: one chunk at a time, none lost, and the
    // copy settles only after the last write did.
    it('waits for a consumer promise before the next chunk, and fails with its rejection', async () => {
      const got: Uint8Array[] = [];
      let busy = false;
      let overlapped = false;
      let lastWriteDone = false;
      const slowWrite = (c: Uint8Array): Promise<void> => {
        if (busy) overlapped = true;
        busy = true;
        lastWriteDone = false;
        got.push(c.slice());
        return new Promise((res) =>
          setTimeout(() => {
            busy = false;
            lastWriteDone = true;
            res();
          }, 2),
        );
      };
      await db.copyTo('copy (select g from generate_series(1, 200000) g) to stdout', slowWrite);
      expect(lastWriteDone).toBe(true);
      expect(overlapped).toBe(false);
      expect(got.length).toBeGreaterThan(1);
      expect(Buffer.concat(got).toString()).toBe(Array.from({ length: 200_000 }, (_, i) => `${i + 1}\n`).join(''));
      await expect(db.copyTo('copy (select g from generate_series(1, 200000) g) to stdout', () => Promise.reject(new Error('disk full')))).rejects.toMatchObject({
        message: expect.stringMatching(/disk full/),
      });
      expect(await db.query('select 43 as n')).toEqual([{ n: 43 }]);
    });
  });

  describe('long reads', () => {
    let db: Database;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const t = await createTestDatabase('pi5_par');
      drop = t.drop;
      db = await openDatabase({ databaseUrl: t.url });
      await migrate(db);
    });
    afterAll(async () => {
      await db.close();
      await drop();
    });

    // 3001 bars 700 minutes apart span ~2.1M minutes, so the read is split into 3 time ranges over parallel
    // connections; the cuts fall exactly on stored bars (3000 steps / 3), which must land in one part only.
    it('a long series read over parallel connections comes back whole, in order, and bounded reads too', async () => {
      const s = generateSyntheticBars({ symbol: 'PAR', bars: 3001, seed: 16, timeframe: '1m' });
      for (let i = 0; i < s.length; i++) s.ts[i] = Date.UTC(2020, 0, 1) + i * 700 * 60_000;
      const store = new BarStore(db);
      await store.ingest([s]);
      const [back] = await store.read({ symbols: ['PAR'], timeframe: '1m' });
      expect(columns(back!)).toEqual(columns(s));
      const [part] = await store.read({ symbols: ['PAR'], timeframe: '1m', from: s.ts[1]!, to: s.ts[2999]! });
      expect(columns(part!)).toEqual(columns(sliceSeries(s, 1, 3000)));
    });

    // pi5 data export: one COPY handed over in blocks, each written out before the next is read.
    it('a streamed read hands over consecutive blocks that join to the series, waiting for each', async () => {
      const s = generateSyntheticBars({ symbol: 'STRM', bars: 40_000, seed: 17, timeframe: '1m' });
      const store = new BarStore(db);
      await store.ingest([s]);
      const blocks: BarSeries[] = [];
      let busy = false;
      let overlapped = false;
      const n = await store.readBlocks({ symbol: 'STRM', timeframe: '1m' }, async (b) => {
        overlapped ||= busy;
        busy = true;
        blocks.push(b);
        await new Promise((res) => setTimeout(res, 5));
        busy = false;
      });
      expect(n).toBe(s.length);
      expect(blocks.length).toBeGreaterThan(1);
      expect(overlapped).toBe(false);
      const joined = { ts: blocks.flatMap((b) => [...b.ts]), close: blocks.flatMap((b) => [...b.close]), volume: blocks.flatMap((b) => [...b.volume]) };
      expect(joined).toEqual({ ts: [...s.ts], close: [...s.close], volume: [...s.volume] });
      expect(blocks.every((b) => b.symbol === 'STRM' && b.timeframe === '1m' && b.priceDecimals === s.priceDecimals)).toBe(true);
      const part: BarSeries[] = [];
      expect(await store.readBlocks({ symbol: 'STRM', timeframe: '1m', from: s.ts[10]!, to: s.ts[19]! }, (b) => void part.push(b))).toBe(10);
      expect(columns(part[0]!)).toEqual(columns(sliceSeries(s, 10, 20)));
      expect(await store.readBlocks({ symbol: 'NONE', timeframe: '1m' }, () => undefined)).toBe(0);
    });
  });

  describe('concurrent writers', () => {
    let drop: () => Promise<void>;
    let url: string;
    const dbs: Database[] = [];
    beforeAll(async () => {
      ({ url, drop } = await createTestDatabase('pi5_conc'));
      const db = await openDatabase({ databaseUrl: url });
      dbs.push(db);
      await migrate(db);
    });
    afterAll(async () => {
      for (const db of dbs) await db.close();
      await drop();
    });

    it('two writers importing overlapping ranges end with no duplicates and no lost rows', async () => {
      const full = generateSyntheticBars({ symbol: 'CONC', bars: 20_000, seed: 11 });
      const [w1, w2] = [await openDatabase({ databaseUrl: url }), await openDatabase({ databaseUrl: url })];
      dbs.push(w1, w2);
      await Promise.all([
        new BarStore(w1).ingest([sliceSeries(full, 0, 14_000)]),
        new BarStore(w2).ingest([sliceSeries(full, 6_000, 20_000)]),
      ]);
      const store = new BarStore(dbs[0]!);
      const [back] = await store.read({ symbols: ['CONC'], timeframe: '1d' });
      expect(columns(back!)).toEqual(columns(full));
      expect((await store.list()).find((s) => s.symbol === 'CONC')?.count).toBe(20_000);
    });
  });
});
