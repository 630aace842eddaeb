// One backup and one restore of the configured database: pg_dump/pg_restore in custom format for PostgreSQL, a
// snapshot of the data directory for PGlite (taken while it runs). The file's first bytes say which it is. On
// embedded defaults the bars live in the catalog beside PGlite (decision 0009): the backup is then a gzipped tar
// of PGlite's snapshot (`pglite.tar.gz`) and the catalog's committed files (`catalog/...`).

import { execFile, spawn } from 'node:child_process';
import { mkdir, open, rename, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { Pi5Error } from '../core/errors.js';
import type { Database, DatabaseConfig, DatabaseEngine } from '../persistence/database.js';
import { openDatabase } from '../persistence/openDatabase.js';
import { readTarGz, TarWriter } from './tarArchive.js';

/** The first entry of an embedded backup that carries the bar catalog too; a bare PGlite snapshot has none such. */
const PGLITE_ENTRY = 'pglite.tar.gz';
const CATALOG_PREFIX = 'catalog/';

const run = promisify(execFile);

/** File name ending of a backup of each engine. */
export const BACKUP_EXTENSION: Readonly<Record<DatabaseEngine, string>> = { postgres: 'dump', pglite: 'tar.gz' };

/** The client binaries: on PATH, or in PI5_PG_BIN_DIR (a client as new as the server, e.g. /usr/lib/postgresql/16/bin). */
function pgBinary(name: 'pg_dump' | 'pg_restore' | 'psql', env: NodeJS.ProcessEnv): string {
  const dir = env.PI5_PG_BIN_DIR;
  return dir === undefined || dir === '' ? name : join(dir, name);
}

/** The URL without its password, which goes to the child in PGPASSWORD instead (never on a command line). */
function splitSecret(url: string, env: NodeJS.ProcessEnv): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { url: u.toString(), env: password === '' ? env : { ...env, PGPASSWORD: password } };
}

async function runTool(tool: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(tool, args, { env, maxBuffer: 16 * 2 ** 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string; code?: unknown };
    const why = err.code === 'ENOENT' ? `${tool} not found (install the PostgreSQL client, or set PI5_PG_BIN_DIR)` : (err.stderr ?? '').trim() || err.message;
    throw new Pi5Error('PI5_ERR_BACKUP', `${tool}: ${why}`);
  }
}

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
}

/** Writes the backup next to `file` first and renames it, so a file of that name is always a whole backup. */
export async function backupDatabase(db: Database, file: string, opts: { databaseUrl?: string; env?: NodeJS.ProcessEnv } = {}): Promise<BackupResult> {
  const env = opts.env ?? process.env;
  const tmp = `${file}.partial`;
  try {
    if (db.engine === 'pglite') {
      if (db.snapshot === undefined) throw new Pi5Error('PI5_ERR_BACKUP', 'this PGlite database cannot take snapshots');
      const snapshot = new Uint8Array(await (await db.snapshot()).arrayBuffer());
      const catalog = db.barCatalog;
      if (catalog === undefined) await writeFile(tmp, snapshot);
      else {
        const tar = TarWriter.toFile(tmp);
        await tar.add(PGLITE_ENTRY, snapshot);
        await catalog.copyOut((rel, bytes) => tar.add(CATALOG_PREFIX + rel, bytes));
        await tar.close();
      }
    } else {
      if (opts.databaseUrl === undefined) throw new Pi5Error('PI5_ERR_BACKUP', 'a PostgreSQL backup needs the database URL');
      const target = splitSecret(opts.databaseUrl, env);
      await runTool(pgBinary('pg_dump', env), ['--format=custom', '--no-owner', `--file=${tmp}`, `--dbname=${target.url}`], target.env);
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof Pi5Error) throw e;
    throw new Pi5Error('PI5_ERR_BACKUP', `backup to ${file}: ${(e as Error).message}`);
  }
  return { file, bytes: (await stat(file)).size };
}

/** The engine a backup file was taken from, by its first bytes: pg_dump's custom format or a gzipped tarball. */
export async function backupEngineOf(file: string): Promise<DatabaseEngine> {
  let head: Buffer;
  try {
    const fh = await open(file, 'r');
    try {
      head = Buffer.alloc(5);
      await fh.read(head, 0, 5, 0);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new Pi5Error('PI5_ERR_IO', `${file}: ${(e as Error).message}`);
  }
  if (head.toString('latin1') === 'PGDMP') return 'postgres';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  throw new Pi5Error('PI5_ERR_BACKUP', `${file}: not a pi5 backup (neither pg_dump custom format nor a PGlite snapshot)`);
}

/**
 * Tables of the public schema that the backup does not hold: made by migrations newer than the backup. pg_restore
 * --clean drops only what it restores, and a newer table's foreign key (e.g. onto users) would block that.
 */
async function tablesOutsideBackup(db: Database, file: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  let toc: string;
  try {
    toc = (await run(pgBinary('pg_restore', env), ['--list', file], { env, maxBuffer: 64 * 2 ** 20 })).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string; code?: unknown };
    throw new Pi5Error('PI5_ERR_BACKUP', err.code === 'ENOENT' ? 'pg_restore not found (install the PostgreSQL client, or set PI5_PG_BIN_DIR)' : `pg_restore --list: ${(err.stderr ?? '').trim() || err.message}`);
  }
  const inBackup = new Set<string>();
  for (const line of toc.split('\n')) {
    const m = /^\d+; \d+ \d+ TABLE public (\S+) /.exec(line);
    if (m?.[1] !== undefined) inBackup.add(m[1]);
  }
  const rows = await db.query<{ name: string }>("select tablename as name from pg_tables where schemaname = 'public' order by tablename");
  return rows.map((r) => r.name).filter((n) => !inBackup.has(n));
}

/** Runs `pg_restore -f -` into psql in one transaction, after `prefix` (SQL): all of it or nothing. */
function restoreThroughPsql(file: string, url: string, prefix: string, env: NodeJS.ProcessEnv): Promise<void> {
  const target = splitSecret(url, env);
  return new Promise((resolve, reject) => {
    const errors: string[] = [];
    const fail = (tool: string, e: NodeJS.ErrnoException): void => {
      reject(new Pi5Error('PI5_ERR_BACKUP', e.code === 'ENOENT' ? `${tool} not found (install the PostgreSQL client, or set PI5_PG_BIN_DIR)` : `${tool}: ${e.message}`));
    };
    const restore = spawn(pgBinary('pg_restore', env), ['--clean', '--if-exists', '--no-owner', '--exit-on-error', '--file=-', file], { env: target.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const psql = spawn(pgBinary('psql', env), ['--no-psqlrc', '--quiet', '--single-transaction', '--set=ON_ERROR_STOP=1', `--dbname=${target.url}`], { env: target.env, stdio: ['pipe', 'ignore', 'pipe'] });
    restore.on('error', (e) => fail('pg_restore', e));
    psql.on('error', (e) => fail('psql', e));
    restore.stderr.on('data', (d: Buffer) => errors.push(`pg_restore: ${d.toString().trim()}`));
    psql.stderr.on('data', (d: Buffer) => errors.push(`psql: ${d.toString().trim()}`));
    // psql closing early (an error) must not crash us with EPIPE; its exit code tells.
    psql.stdin.on('error', () => undefined);
    psql.stdin.write(prefix);
    restore.stdout.pipe(psql.stdin);
    let restoreCode: number | null = null;
    restore.on('close', (code) => (restoreCode = code));
    psql.on('close', (code) => {
      if (code === 0 && restoreCode === 0) resolve();
      else reject(new Pi5Error('PI5_ERR_BACKUP', errors.join('; ') || `restore failed (pg_restore exit ${String(restoreCode)}, psql exit ${String(code)})`));
    });
  });
}

/** Restores in place; on TimescaleDB into a new database swapped in by name, whose replaced database is returned. */
async function restorePostgres(file: string, url: string, env: NodeJS.ProcessEnv, nowMs: number): Promise<string | null> {
  const db = await openDatabase({ databaseUrl: url });
  let timescale: boolean;
  try {
    timescale = db.hasTimescale;
    if (!timescale) {
      const newer = await tablesOutsideBackup(db, file, env);
      const drops = newer.map((t) => `drop table if exists public."${t.replace(/"/g, '""')}" cascade;\n`).join('');
      await restoreThroughPsql(file, url, drops, env);
      return null;
    }
  } finally {
    await db.close();
  }
  return restoreTimescale(file, url, env, nowMs);
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Runs SQL on one database of the server in a connection of its own. */
async function onDatabase(url: string, sql: string): Promise<void> {
  const db = await openDatabase({ databaseUrl: url });
  try {
    await db.exec(sql);
  } finally {
    await db.close();
  }
}

// Restore mode (TimescaleDB's own) also stops the database's background job scheduler, whose session would block a rename.
const PAUSE_JOBS = `do $$ begin if exists (select 1 from pg_extension where extname = 'timescaledb') then perform timescaledb_pre_restore(); end if; end $$`;
const RESUME_JOBS = `do $$ begin if exists (select 1 from pg_extension where extname = 'timescaledb') then perform timescaledb_post_restore(); end if; end $$`;

/** `alter database … rename`, retried for a few seconds while a session that is closing (the stopped scheduler) is still counted. */
async function renameDatabase(admin: Database, from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.exec(`alter database ${ident(from)} rename to ${ident(to)}`);
      return;
    } catch (e) {
      if (attempt >= 20 || !/being accessed by other users/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * TimescaleDB restores only into a database that has the extension and is in restore mode
 * (`timescaledb_pre_restore()` … `timescaledb_post_restore()`), and a session that dropped the extension cannot
 * create it again, so `pg_restore --clean` in place fails ("extension has already been loaded"). The backup goes
 * into a new database, which then takes the configured name; the replaced one is kept under
 * `<name>_before_restore_<time>` (drop it when satisfied). Renaming needs nobody connected: the server stopped.
 */
async function restoreTimescale(file: string, url: string, env: NodeJS.ProcessEnv, nowMs: number): Promise<string> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const stamp = new Date(nowMs).toISOString().replace(/\D/g, '').slice(0, 14);
  const base = name.slice(0, 40);
  const fresh = `${base}_restoring_${stamp}`;
  const kept = `${base}_before_restore_${stamp}`;
  const at = (db: string): string => Object.assign(new URL(url), { pathname: `/${encodeURIComponent(db)}` }).toString();
  // The maintenance database of the same server, to create and rename from.
  const admin = await openDatabase({ databaseUrl: at('postgres') });
  try {
    try {
      await admin.exec(`create database ${ident(fresh)}`);
    } catch (e) {
      throw new Pi5Error('PI5_ERR_BACKUP', `a TimescaleDB restore goes into a new database, and creating ${fresh} failed (the role needs CREATEDB): ${(e as Error).message}`);
    }
    let paused = false;
    try {
      await onDatabase(at(fresh), 'create extension if not exists timescaledb; select timescaledb_pre_restore();');
      const dest = splitSecret(at(fresh), env);
      await runTool(pgBinary('pg_restore', env), ['--no-owner', '--exit-on-error', '--single-transaction', `--dbname=${dest.url}`, file], dest.env);
      await onDatabase(url, PAUSE_JOBS);
      paused = true;
      await renameDatabase(admin, name, kept);
    } catch (e) {
      await admin.exec(`drop database if exists ${ident(fresh)} with (force)`).catch(() => undefined);
      if (paused) await onDatabase(url, RESUME_JOBS).catch(() => undefined);
      const why = (e as Error).message;
      throw /being accessed by other users/.test(why)
        ? new Pi5Error('PI5_ERR_BACKUP', `${name} could not be replaced (${why}): stop the server and anything else connected to it, then restore again; nothing was changed`)
        : e;
    }
    await renameDatabase(admin, fresh, name);
    await onDatabase(url, 'select timescaledb_post_restore();');
    await onDatabase(at(kept), RESUME_JOBS);
    return kept;
  } finally {
    await admin.close();
  }
}

/** Moves `dir` aside to `<dir>.before-restore-<time>`; returns where, or null when there was nothing. */
async function keepAside(dir: string, nowMs: number): Promise<string | null> {
  const kept = `${dir}.before-restore-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}`;
  try {
    await rename(dir, kept);
    return kept;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Pi5Error('PI5_ERR_IO', `${dir}: ${(e as Error).message}`);
    return null;
  }
}

/**
 * The PGlite snapshot of a backup (in memory: PGlite loads it from a Blob) and whether the backup carried a bar
 * catalog, whose files are written under `stagingDir` one at a time as they are read, never all held at once.
 */
async function readPgliteBackup(file: string, stagingDir: string): Promise<{ snapshot: Uint8Array; hasCatalog: boolean }> {
  let snapshot: Uint8Array | null = null;
  for await (const entry of readTarGz(file)) {
    if (snapshot === null && entry.name !== PGLITE_ENTRY) break; // a bare PGlite snapshot (before the catalog)
    if (entry.name === PGLITE_ENTRY) snapshot = entry.body;
    else if (entry.name.startsWith(CATALOG_PREFIX)) {
      const rel = normalize(entry.name.slice(CATALOG_PREFIX.length));
      if (rel.startsWith('..') || rel.startsWith(sep)) throw new Pi5Error('PI5_ERR_BACKUP', `${file}: entry ${entry.name} points outside the catalog`);
      await mkdir(dirname(join(stagingDir, rel)), { recursive: true });
      await writeFile(join(stagingDir, rel), entry.body);
    }
  }
  if (snapshot === null) return { snapshot: new Uint8Array(await readFile(file)), hasCatalog: false };
  await mkdir(stagingDir, { recursive: true }); // a catalog with no committed files yet is still a catalog
  return { snapshot, hasCatalog: true };
}

/**
 * PGlite: the current data directory (and bar catalog) are kept beside the restored ones
 * (`pglite.before-restore-<time>`, `catalog.before-restore-<time>`), never deleted.
 */
async function restorePglite(file: string, dataDir: string, nowMs: number): Promise<{ previous: string | null; previousCatalog: string | null }> {
  const dir = join(dataDir, 'pglite');
  const catalogDir = join(dataDir, 'catalog');
  const staging = `${catalogDir}.restoring-${nowMs}`;
  await rm(staging, { recursive: true, force: true });
  const { snapshot, hasCatalog } = await readPgliteBackup(file, staging).catch(async (e: unknown) => {
    await rm(staging, { recursive: true, force: true });
    if (e instanceof Pi5Error) throw e;
    throw new Pi5Error('PI5_ERR_BACKUP', `${file}: cannot read the backup (${(e as Error).message})`);
  });
  const kept = await keepAside(dir, nowMs);
  const keptCatalog = hasCatalog ? await keepAside(catalogDir, nowMs) : null;
  try {
    // Loaded only for a restore: the server, which loads this module for its backups, keeps PGlite on its own thread.
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create({ dataDir: dir, loadDataDir: new Blob([snapshot]) });
    await db.query('select 1');
    await db.close();
    if (hasCatalog) await rename(staging, catalogDir);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    if (kept !== null) await rename(kept, dir);
    if (hasCatalog) {
      await rm(staging, { recursive: true, force: true });
      await rm(catalogDir, { recursive: true, force: true });
      if (keptCatalog !== null) await rename(keptCatalog, catalogDir);
    }
    throw new Pi5Error('PI5_ERR_BACKUP', `restore ${file} into ${dataDir}: ${(e as Error).message}`);
  }
  return { previous: kept, previousCatalog: keptCatalog };
}

export interface RestoreResult {
  readonly engine: DatabaseEngine;
  /** PGlite: where the data directory that was replaced now lives; TimescaleDB: the replaced database's new name. */
  readonly previous: string | null;
  /** PGlite with a bar catalog: where the catalog that was replaced now lives. */
  readonly previousCatalog: string | null;
}

/** Restores into the configured database; the server must be stopped (PGlite) or idle (PostgreSQL). */
export async function restoreDatabase(file: string, config: DatabaseConfig, opts: { env?: NodeJS.ProcessEnv; nowMs?: number } = {}): Promise<RestoreResult> {
  const engine = await backupEngineOf(file);
  const configured: DatabaseEngine = config.databaseUrl === undefined ? 'pglite' : 'postgres';
  if (engine !== configured) {
    throw new Pi5Error('PI5_ERR_BACKUP', `${file} is a ${engine} backup but the configured database is ${configured} (set or unset DATABASE_URL)`);
  }
  if (config.databaseUrl !== undefined) {
    return { engine, previous: await restorePostgres(file, config.databaseUrl, opts.env ?? process.env, opts.nowMs ?? Date.now()), previousCatalog: null };
  }
  if (config.dataDir === undefined) throw new Pi5Error('PI5_ERR_BACKUP', 'a PGlite restore needs its data directory (PI5_DATA_DIR)');
  return { engine, ...(await restorePglite(file, config.dataDir, opts.nowMs ?? Date.now())) };
}
