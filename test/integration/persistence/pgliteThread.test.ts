// The embedded database on its own thread (pgliteThread.ts), as the server opens it: the same answers,
// errors and transactions as in-process PGlite, and a statement that runs long never holds the main thread.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/persistence/database.js';
import { CORE_MIGRATIONS, migrate } from '../../../src/persistence/migrations/index.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { seedFromSchemaTemplate } from '../../../src/persistence/pgliteSeed.js';
import { openPgliteThread } from '../../../src/persistence/pgliteThread.js';
import { expectCodeAsync } from '../../helpers/errors.js';

/** Columns, indexes and constraints of the public schema's tables (but this file's own `t` and `c`): what the migrations made. */
const SCHEMA_SQL = `select 'column' as kind, table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as what
    from information_schema.columns where table_schema = 'public' and table_name not in ('t', 'c')
  union all select 'index', indexdef from pg_indexes where schemaname = 'public' and tablename not in ('t', 'c')
  union all select 'constraint', conrelid::regclass || ' ' || pg_get_constraintdef(oid) from pg_constraint
    where connamespace = 'public'::regnamespace and conrelid::regclass::text not in ('t', 'c')
  order by 1, 2`;

describe('PGlite on a worker thread', () => {
  let dir: string;
  let db: Database;
  let openedAt: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi5-pglite-thread-'));
    openedAt = Date.now();
    db = await openPgliteThread(dir);
    await db.exec('create table t (id int primary key, note text, at timestamptz, doc jsonb, big int8)');
  });
  afterAll(async () => {
    await db?.close(); // a second close is harmless
    await rm(dir, { recursive: true, force: true });
  });

  it('opens a new data folder with its schema already applied, its migrations dated to this first start', async () => {
    const rows = await db.query<{ version: number; applied_at: Date }>('select version, applied_at from schema_migrations order by version');
    expect(rows.map((r) => r.version)).toEqual(CORE_MIGRATIONS.map((m) => m.version));
    // Copied from the build's schema template (pgliteSeed.ts), not dated to when the build migrated it. The
    // database's clock has whole microseconds, Date.now() whole milliseconds.
    for (const r of rows) expect(r.applied_at.getTime()).toBeGreaterThanOrEqual(openedAt - 1);
    expect(await readdir(dir)).toEqual(['pglite']);
  });

  it('has the same schema as a PGlite database that ran the migrations (as pgliteMake.ts does without a template)', async () => {
    const made = await openDatabase({ inMemory: true }, (m) => migrate(m).then(() => undefined));
    try {
      const schema = await db.query(SCHEMA_SQL);
      expect(schema.length).toBeGreaterThan(50);
      expect(await made.query(SCHEMA_SQL)).toEqual(schema);
      const versions = 'select version, name, checksum from schema_migrations order by version';
      expect(await made.query(versions)).toEqual(await db.query(versions));
    } finally {
      await made.close();
    }
  });

  it('says why a new data folder could not be made', async () => {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    const e = await expectCodeAsync(() => openPgliteThread(join(file, 'data')), 'PI5_ERR_DB');
    expect(e.message).toContain(`cannot make a new embedded database in ${join(file, 'data', 'pglite')}`);
    expect(e.message).toContain('ENOTDIR');
  });

  it('copies the template whole or not at all, and never over a folder that holds files', async () => {
    const missing = join(dir, 'seed-missing');
    await expect(seedFromSchemaTemplate(missing, join(dir, 'no-such-template'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(missing)).toEqual([]);
    const occupied = join(dir, 'seed-occupied');
    await mkdir(join(occupied, 'pglite'), { recursive: true });
    await writeFile(join(occupied, 'pglite', 'mine'), 'x');
    expect(await seedFromSchemaTemplate(occupied)).toBe(false);
    expect(await readdir(occupied)).toEqual(['pglite']);
    expect(await readdir(join(occupied, 'pglite'))).toEqual(['mine']);
    const empty = join(dir, 'seed-empty');
    await mkdir(join(empty, 'pglite'), { recursive: true });
    expect(await seedFromSchemaTemplate(empty)).toBe(true);
    expect(existsSync(join(empty, 'pglite', 'PG_VERSION'))).toBe(true);
    expect(await readdir(empty)).toEqual(['pglite']);
  });

  it('returns rows with their types (dates, JSON, numbers) as in-process PGlite does', async () => {
    await db.query('insert into t values ($1, $2, $3, $4, $5)', [1, 'a\u00e9b', new Date(Date.UTC(2024, 0, 2)), JSON.stringify({ k: [1, 2] }), 9_007_199_254]);
    const [row] = await db.query<{ id: number; note: string; at: Date; doc: unknown; big: number }>('select * from t where id = $1', [1]);
    expect(row).toEqual({ id: 1, note: 'a\u00e9b', at: new Date(Date.UTC(2024, 0, 2)), doc: { k: [1, 2] }, big: 9_007_199_254 });
  });

  it('refuses a bad statement with PI5_ERR_DB, naming the statement and carrying the SQL state', async () => {
    const e = await expectCodeAsync(() => db.query('select * from no_such_table'), 'PI5_ERR_DB');
    expect(e.message).toContain('select * from no_such_table');
    expect(e.details).toEqual({ sqlState: '42P01' });
    const dup = await expectCodeAsync(() => db.query('insert into t (id) values (1)'), 'PI5_ERR_DB');
    expect(dup.details).toEqual({ sqlState: '23505' });
  });

  it('commits a transaction that resolves and rolls back one that throws, keeping other statements out until it ends', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t (id, note) values (2, $1)', ['rolled back']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.query('select id from t where id = 2')).toEqual([]);

    let outside: Promise<{ n: number }[]> | undefined;
    await db.transaction(async (tx) => {
      await tx.query('insert into t (id, note) values (3, $1)', ['kept']);
      // Sent while the transaction is open: it runs after the commit, so it sees the row.
      outside = db.query<{ n: number }>('select count(*)::int as n from t where id = 3');
      await tx.query('update t set note = $1 where id = 3', ['kept, updated']);
    });
    expect(await outside).toEqual([{ n: 1 }]);
    expect(await db.query('select note from t where id = 3')).toEqual([{ note: 'kept, updated' }]);
  });

  it('copies in and out through the thread', async () => {
    await db.exec('create table c (a int, b text)');
    await db.copyFrom('copy c (a, b) from stdin', ['1\tone\n', new TextEncoder().encode('2\ttwo\n')]);
    const chunks: Uint8Array[] = [];
    await db.copyTo('copy (select a, b from c order by a) to stdout', (c) => {
      chunks.push(c);
    });
    expect(Buffer.concat(chunks).toString()).toBe('1\tone\n2\ttwo\n');
  });

  it('keeps the main thread free while a statement runs: timers and I/O go on during a 1 s statement', async () => {
    let turns = 0;
    let running = true;
    const spin = (): void => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    await db.query('select pg_sleep(1)');
    running = false;
    // In process, the whole statement is one synchronous WebAssembly call: no turn of the loop could run in it.
    expect(turns).toBeGreaterThan(10);
  });

  it('after close, every call is refused with PI5_ERR_DB (runs last: it closes the file\'s database)', async () => {
    await db.close();
    await expectCodeAsync(() => db.query('select 1'), 'PI5_ERR_DB');
  });
});
