// Upgrades: a database made by the previous release's migrations, with data in it, is migrated and loses nothing;
// `pi5 db migrate --dry-run` lists what would change; the server takes a backup before it migrates.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { restoreDatabase } from '../../../src/ops/backup.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import type { Database } from '../../../src/persistence/database.js';
import { checksum, CORE_MIGRATIONS, migrate, status } from '../../../src/persistence/migrations/index.js';
import { TIMESCALE_MIGRATIONS } from '../../../src/persistence/migrations/timescaleMigrations.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { UserRepository } from '../../../src/persistence/repositories/users.js';
import { startTestServer } from '../../helpers/apiServer.js';
import { createTestDatabase, dropTestDatabase, postgresAvailable } from '../../helpers/services.js';
import { tableChecksums, tableColumns } from '../../helpers/tableChecksums.js';

const hasPg = await postgresAvailable();
const PREVIOUS = CORE_MIGRATIONS.slice(0, -1);
const LATEST = CORE_MIGRATIONS[CORE_MIGRATIONS.length - 1];
// On TimescaleDB (TEST_DATABASE_URL pointing at it) the previous release had applied its Timescale migrations too.
const PREVIOUS_TS = TIMESCALE_MIGRATIONS.slice(0, -1);
const LATEST_TS = TIMESCALE_MIGRATIONS[TIMESCALE_MIGRATIONS.length - 1];
const latest = (db: Database): (number | undefined)[] => (db.hasTimescale ? [LATEST?.version, LATEST_TS?.version] : [LATEST?.version]);

/** The schema as the previous release left it: its migrations applied and recorded, as its `migrate` did. */
async function previousRelease(db: Database): Promise<void> {
  await db.exec(`create table schema_migrations (version integer primary key, name text not null, checksum text not null, applied_at timestamptz not null default now())`);
  for (const m of db.hasTimescale ? [...PREVIOUS, ...PREVIOUS_TS] : PREVIOUS) {
    await db.exec(m.sql);
    await db.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [m.version, m.name, checksum(m)]);
  }
  await new BarStore(db).ingest([generateSyntheticBars({ symbol: 'OLD', seed: 7, bars: 1500, startPrice: 20 })]);
  await new UserRepository(db).create({ username: 'carol', passwordHash: 'scrypt$z', role: 'admin' });
}

describe.skipIf(!hasPg)('upgrade from the previous release', () => {
  let work: string;
  const drops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pi5-upgrade-'));
  });
  afterAll(async () => {
    for (const d of drops) await d();
    await rm(work, { recursive: true, force: true });
  });

  it('migrates a database with data and every row of every old table is still there', async () => {
    const t = await createTestDatabase('pi5_upgrade');
    drops.push(t.drop);
    const db = await openDatabase({ databaseUrl: t.url });
    try {
      await previousRelease(db);
      const columns = await tableColumns(db);
      delete columns.schema_migrations;
      const before = await tableChecksums(db, columns);
      expect((await status(db)).filter((s) => s.state === 'pending').map((s) => s.version)).toEqual(latest(db));
      expect(await migrate(db)).toEqual(latest(db));
      expect(await tableChecksums(db, columns)).toEqual(before);
      expect(before.bars?.rows).toBe(1500);
    } finally {
      await db.close();
    }
  });

  it('the server backs the old schema up before migrating it, and that backup restores the previous release', async () => {
    const t = await createTestDatabase('pi5_upgrade_srv');
    drops.push(t.drop);
    const db = await openDatabase({ databaseUrl: t.url });
    const tables = (d: Database): Promise<string[]> => d.query<{ t: string }>("select tablename as t from pg_tables where schemaname = 'public' order by 1").then((r) => r.map((x) => x.t));
    const oldTables = await previousRelease(db).then(() => tables(db)).finally(() => db.close());
    const backupDir = join(work, 'backups');
    const s = await startTestServer({ DATABASE_URL: t.url, PI5_BACKUP_DIR: backupDir });
    try {
      const files = await readdir(backupDir);
      expect(files).toHaveLength(1);
      const ready = await s.request('GET', '/ready');
      expect(ready.body.details.backup).toMatchObject({ schedule: 'daily', kept: 1 });
      expect(Date.parse(ready.body.details.backup.lastSuccessAt)).toBeGreaterThan(Date.now() - 600_000);
      const metrics = String((await s.request('GET', '/metrics')).body);
      expect(metrics).toMatch(/^pi5_backup_last_success_timestamp_seconds [1-9]/m);
    } finally {
      await s.close();
    }
    const r = await restoreDatabase(join(backupDir, (await readdir(backupDir))[0] ?? ''), { databaseUrl: t.url });
    if (r.previous !== null) drops.push(() => dropTestDatabase(r.previous ?? ''));
    const back = await openDatabase({ databaseUrl: t.url });
    try {
      const versions = await back.query<{ v: number }>('select max(version)::int as v from schema_migrations where version < 1000');
      expect(versions[0]?.v).toBe(PREVIOUS[PREVIOUS.length - 1]?.version);
      // Tables the newer migrations made are gone with it (their foreign keys onto old tables blocked pg_restore --clean).
      expect(await tables(back)).toEqual(oldTables);
    } finally {
      await back.close();
    }
  });

  it('with backupBeforeMigrations off the server migrates without a backup', async () => {
    const t = await createTestDatabase('pi5_upgrade_nobk');
    drops.push(t.drop);
    const db = await openDatabase({ databaseUrl: t.url });
    await previousRelease(db).finally(() => db.close());
    const backupDir = join(work, 'no-backups');
    const s = await startTestServer({ DATABASE_URL: t.url, PI5_BACKUP_DIR: backupDir, PI5_BACKUP_BEFORE_MIGRATIONS: 'false', PI5_BACKUP_SCHEDULE: 'off' });
    try {
      expect((await s.request('GET', '/ready')).status).toBe(200);
    } finally {
      await s.close();
    }
    expect(await readdir(backupDir).catch(() => [])).toEqual([]);
    const after = await openDatabase({ databaseUrl: t.url });
    try {
      expect((await status(after)).filter((st) => st.state === 'pending')).toEqual([]);
    } finally {
      await after.close();
    }
  });
});
