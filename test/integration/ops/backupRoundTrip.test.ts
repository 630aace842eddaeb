// Backup → drop → restore on the real local PostgreSQL (pg_dump/pg_restore) and on PGlite (a snapshot of its data
// directory taken while it is open and written to): every table comes back with the same rows and checksum.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { backupDatabase, backupEngineOf, restoreDatabase } from '../../../src/ops/backup.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import type { Database } from '../../../src/persistence/database.js';
import { migrate } from '../../../src/persistence/migrations/index.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { UserRepository } from '../../../src/persistence/repositories/users.js';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../../helpers/services.js';
import { tableChecksums } from '../../helpers/tableChecksums.js';

const hasPg = await postgresAvailable();
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pi5-backup-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

async function fill(db: Database): Promise<void> {
  await migrate(db);
  await new BarStore(db).ingest([
    generateSyntheticBars({ symbol: 'AAA', seed: 1, bars: 2000, startPrice: 50 }),
    generateSyntheticBars({ symbol: 'BBB', seed: 2, bars: 500, startPrice: 10, timeframe: '1h' }),
  ]);
  await new UserRepository(db).create({ username: 'alice', passwordHash: 'scrypt$x', role: 'trader' });
}

describe.skipIf(!hasPg)('PostgreSQL backup and restore', () => {
  let t: { url: string; drop: () => Promise<void> };
  afterAll(async () => t?.drop());

  it('round-trips every table through pg_dump custom format after the schema is dropped', async () => {
    t = await createTestDatabase('pi5_backup');
    const file = join(work, 'pg.dump');
    let db = await openDatabase({ databaseUrl: t.url });
    let before: Awaited<ReturnType<typeof tableChecksums>>;
    try {
      await fill(db);
      before = await tableChecksums(db);
      const r = await backupDatabase(db, file, { databaseUrl: t.url });
      expect(r.bytes).toBeGreaterThan(1000);
      await db.exec('drop schema public cascade; create schema public;');
      expect(await tableChecksums(db)).toEqual({});
    } finally {
      await db.close();
    }
    expect(await backupEngineOf(file)).toBe('postgres');
    const r = await restoreDatabase(file, { databaseUrl: t.url });
    db = await openDatabase({ databaseUrl: t.url });
    try {
      // TimescaleDB restores into a new database that takes the name; the replaced one is kept (docs/operations.md).
      const name = new URL(t.url).pathname.slice(1);
      if (db.hasTimescale) {
        expect(r.previous).toMatch(new RegExp(`^${name}_before_restore_\\d{14}$`));
        await dropTestDatabase(r.previous ?? '');
      } else expect(r.previous).toBeNull();
      const after = await tableChecksums(db);
      expect(Object.keys(after).length).toBeGreaterThan(10);
      expect(after.bars?.rows).toBe(2500);
      expect(after).toEqual(before);
    } finally {
      await db.close();
    }
  });

  it('refuses a PGlite backup for a PostgreSQL database, and names a missing pg_dump', async () => {
    const db = await openDatabase({ databaseUrl: t.url });
    try {
      await expect(backupDatabase(db, join(work, 'x.dump'), { databaseUrl: t.url, env: { ...process.env, PI5_PG_BIN_DIR: '/nonexistent' } }))
        .rejects.toMatchObject({ code: 'PI5_ERR_BACKUP', message: expect.stringMatching(/pg_dump not found/) });
      expect(await readdir(work)).not.toContain('x.dump.partial');
    } finally {
      await db.close();
    }
  });
});

/** Every stored bar series of the embedded store (the bar catalog on disk), as plain arrays to compare. */
async function storedBars(db: Database): Promise<unknown[]> {
  const store = new BarStore(db);
  const out: unknown[] = [];
  for (const s of await store.list()) {
    for (const bars of await store.read({ symbols: [s.symbol], timeframe: s.timeframe })) {
      out.push([s.symbol, s.timeframe, s.count, Array.from(bars.ts), Array.from(bars.open), Array.from(bars.close), Array.from(bars.volume)]);
    }
  }
  return out;
}

describe('PGlite backup and restore', () => {
  it('snapshots the data directory and the bar catalog while open and written to, and restores both after they are lost', async () => {
    const dataDir = join(work, 'pglite-data');
    const file = join(work, 'pglite.tar.gz');
    const db = await openDatabase({ dataDir });
    let before: Awaited<ReturnType<typeof tableChecksums>>;
    let bars: unknown[];
    try {
      await fill(db);
      before = await tableChecksums(db);
      bars = await storedBars(db);
      // A write in flight while the snapshot is taken: it lands wholly before or wholly after it.
      const racing = new UserRepository(db).create({ username: 'bob', passwordHash: 'scrypt$y', role: 'viewer' });
      await backupDatabase(db, file);
      await racing;
    } finally {
      await db.close();
    }
    expect(await backupEngineOf(file)).toBe('pglite');
    await rm(join(dataDir, 'pglite'), { recursive: true });
    await rm(join(dataDir, 'catalog'), { recursive: true });
    const r = await restoreDatabase(file, { dataDir });
    expect(r.previous).toBeNull();
    expect(r.previousCatalog).toBeNull();
    const back = await openDatabase({ dataDir });
    try {
      expect(bars).toHaveLength(2);
      expect(await storedBars(back)).toEqual(bars);
      const after = await tableChecksums(back);
      const users = after.users?.rows ?? 0;
      expect([1, 2]).toContain(users);
      expect({ ...after, users: null }).toEqual({ ...before, users: null });
      await expect(restoreDatabase(file, { databaseUrl: 'postgres://x@127.0.0.1/x' })).rejects.toMatchObject({ code: 'PI5_ERR_BACKUP' });
    } finally {
      await back.close();
    }
  });
});
