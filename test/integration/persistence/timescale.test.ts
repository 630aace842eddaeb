// The real TimescaleDB path: runs only where the extension is installed. Elsewhere (the plain PostgreSQL of most
// machines and CI) each test is skipped with a note that the summary reporter lists by name, even under CI=true:
// a missing optional extension is not a failure (docs/storage.md, "Testing the TimescaleDB path").

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../helpers/services.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { migrate, status } from '../../../src/persistence/migrations/index.js';
import type { Database } from '../../../src/persistence/database.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';

let hasTimescale = false;
if (await postgresAvailable()) {
  const probe = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  hasTimescale = probe.hasTimescale;
  await probe.close();
}
const SKIP_NOTE = 'the timescaledb extension is not installed on the test PostgreSQL (docs/storage.md)';
if (!hasTimescale) {
  process.stderr.write(`\n*** SKIPPING TimescaleDB tests: ${SKIP_NOTE} ***\n\n`);
}

describe('TimescaleDB features', () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeEach((ctx) => ctx.skip(!hasTimescale, SKIP_NOTE));
  beforeAll(async () => {
    if (!hasTimescale) return;
    const t = await createTestDatabase('pi5_tsdb');
    drop = t.drop;
    db = await openDatabase({ databaseUrl: t.url });
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('applies hypertable, compression, retention job and continuous aggregates', async () => {
    await migrate(db);
    expect((await status(db)).every((s) => s.state === 'applied')).toBe(true);
    const ht = await db.query<{ hypertable_name: string }>(`select hypertable_name from timescaledb_information.hypertables order by 1`);
    expect(ht.map((h) => h.hypertable_name)).toEqual(['bars', 'ticks']);
    const caggs = await db.query<{ view_name: string }>('select view_name from timescaledb_information.continuous_aggregates order by 1');
    expect(caggs.map((c) => c.view_name)).toEqual(['bars_cagg_15m', 'bars_cagg_1d', 'bars_cagg_1h', 'bars_cagg_5m']);
  });

  it('sizes bar chunks by the finest timeframe: a year for daily bars, a week once minute bars arrive', async () => {
    const interval = async (): Promise<number> => {
      const [r] = await db.query<{ d: number }>(
        `select extract(day from time_interval)::int as d from timescaledb_information.dimensions where hypertable_name = 'bars' and column_name = 'ts'`,
      );
      return r?.d ?? 0;
    };
    const store = new BarStore(db);
    await store.ingest([generateSyntheticBars({ symbol: 'TSD', bars: 50, seed: 1 })]);
    expect(await interval()).toBe(365);
    await store.ingest([generateSyntheticBars({ symbol: 'TSM', bars: 50, seed: 2, timeframe: '1m' })]);
    expect(await interval()).toBe(7);
  });
});
