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

export async function inspectTimescale(db: Queryable): Promise<TimescaleState> {
  const [ext] = await db.query<{ available: boolean; installed: string | null; superuser: boolean; default_version: string | null }>(
    `select exists (select 1 from pg_available_extensions where name = 'timescaledb') as available,
            (select extversion from pg_extension where extname = 'timescaledb') as installed,
            (select rolsuper from pg_roles where rolname = current_user) as superuser,
            (select default_version from pg_available_extensions where name = 'timescaledb') as default_version`,
  );
  const available = ext?.available === true;
  const installed = ext?.installed !== null && ext?.installed !== undefined;
  const preloaded = ((await setting(db, 'shared_preload_libraries')) ?? '').split(',').some((l) => l.trim().replace(/^"|"$/g, '') === 'timescaledb');
  const license = available && preloaded ? await setting(db, 'timescaledb.license') : null;
  const canCreate = installed || ext?.superuser === true;
  let reason: string | null = null;
  if (!available) reason = null;
  else if (!preloaded) reason = "timescaledb is installed on the server but not preloaded: add it to shared_preload_libraries in postgresql.conf and restart PostgreSQL";
  else if (license === 'apache') reason = 'this is the Apache-only TimescaleDB build, without compression or continuous aggregates: install the community build (timescaledb.license = timescale)';
  else if (!canCreate) reason = 'the role may not create the timescaledb extension: run `create extension timescaledb;` once as a superuser in this database';
  return { usable: available && reason === null, available, installed, preloaded, license, canCreate, version: ext?.installed ?? ext?.default_version ?? null, reason };
}

export async function detectTimescale(db: Queryable): Promise<boolean> {
  return (await inspectTimescale(db)).usable;
}
