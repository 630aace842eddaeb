// Detects whether the timescaledb extension can be used on this server, so its features are opt-in by presence
// rather than by configuration. Present is not enough: the library must be preloaded, the build must offer
// compression (the Apache-only build does not), and the extension must exist or the role must be allowed to
// create it. Otherwise plain PostgreSQL is used and `reason` says why (pi5 doctor, the migrate log).

import type { Queryable } from './database.js';

export interface TimescaleState {
  readonly usable: boolean;
  readonly available: boolean;
  readonly installed: boolean;
  readonly preloaded: boolean;
  /** 'timescale' (community, compression and continuous aggregates), 'apache', or null when unknown. */
  readonly license: string | null;
  readonly canCreate: boolean;
  readonly version: string | null;
  /** Why it is not usable (null when usable or simply absent). */
  readonly reason: string | null;
}

async function setting(db: Queryable, name: string): Promise<string | null> {
  const rows = await db.query<{ v: string | null }>('select current_setting($1, true) as v', [name]);
  return rows[0]?.v ?? null;
}

/**
 * The build's licence where no database has the extension yet: the setting exists only once the versioned library
 * is loaded, which happens at CREATE EXTENSION. So the extension is created in a statement that then fails on
 * purpose, carrying the licence out in its error: nothing is kept. It must run on a session of its own that is
 * closed after it: a session that loaded the library once refuses a later CREATE EXTENSION ("already loaded").
 */
const LICENSE_PROBE = `do $$ begin create extension if not exists timescaledb; raise exception 'pi5-timescale-license:%', current_setting('timescaledb.license', true); end $$`;

async function probeLicense(trySession: (sql: string) => Promise<void>): Promise<string | null> {
  try {
    await trySession(LICENSE_PROBE);
  } catch (e) {
    const m = /pi5-timescale-license:(\S*)/.exec((e as Error).message);
    if (m) return m[1] === '' ? null : (m[1] as string);
  }
  return null;
}

/**
 * `trySession` runs one statement on a new session that is then closed (PostgreSQL opens one per call): with it,
 * the licence of a build not yet created in this database is found before a migration would fail on it.
 */
export async function inspectTimescale(db: Queryable, trySession?: (sql: string) => Promise<void>): Promise<TimescaleState> {
  const [ext] = await db.query<{ available: boolean; installed: string | null; superuser: boolean; default_version: string | null }>(
    `select exists (select 1 from pg_available_extensions where name = 'timescaledb') as available,
            (select extversion from pg_extension where extname = 'timescaledb') as installed,
            (select rolsuper from pg_roles where rolname = current_user) as superuser,
            (select default_version from pg_available_extensions where name = 'timescaledb') as default_version`,
  );
  const available = ext?.available === true;
  const installed = ext?.installed !== null && ext?.installed !== undefined;
  const preloaded = ((await setting(db, 'shared_preload_libraries')) ?? '').split(',').some((l) => l.trim().replace(/^"|"$/g, '') === 'timescaledb');
  const canCreate = installed || ext?.superuser === true;
  let license = available && preloaded ? await setting(db, 'timescaledb.license') : null;
  if (license === null && available && preloaded && !installed && canCreate && trySession !== undefined) license = await probeLicense(trySession);
  let reason: string | null = null;
  if (!available) reason = null;
  else if (!preloaded) reason = "timescaledb is installed on the server but not preloaded: add it to shared_preload_libraries in postgresql.conf and restart PostgreSQL";
  else if (license === 'apache') reason = 'this is the Apache-only TimescaleDB build, without compression or continuous aggregates: install the community build (timescaledb.license = timescale)';
  else if (!canCreate) reason = 'the role may not create the timescaledb extension: run `create extension timescaledb;` once as a superuser in this database';
  return { usable: available && reason === null, available, installed, preloaded, license, canCreate, version: ext?.installed ?? ext?.default_version ?? null, reason };
}

export async function detectTimescale(db: Queryable, trySession?: (sql: string) => Promise<void>): Promise<boolean> {
  return (await inspectTimescale(db, trySession)).usable;
}
