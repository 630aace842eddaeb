// The storage suite on the real PostgreSQL (a fresh database for this file, dropped after), plus what
// only a server can show: concurrent writers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../helpers/services.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { migrate } from '../../../src/persistence/migrations/index.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { sliceSeries } from '../../../src/model/barSeries.js';
import type { Database } from '../../../src/persistence/database.js';
import { columns, storageSuite } from './storeSuite.js';

const hasPg = await postgresAvailable();

describe.skipIf(!hasPg)('PostgreSQL', () => {
  storageSuite('PostgreSQL', async () => {
    const t = await createTestDatabase('pi5_store');
    const db = await openDatabase({ databaseUrl: t.url });
    return { db, done: async () => { await db.close(); await t.drop(); } };
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
