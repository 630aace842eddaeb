// Versioned migrations: applies pending ones in order, each in its own transaction, and records a
// checksum so an edited, already-applied migration is reported instead of silently diverging.

import { createHash } from 'node:crypto';
import { Pi5Error } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { Database, Queryable } from '../database.js';
import { m0001 } from './m0001_marketData.js';
import { m0002 } from './m0002_trading.js';
import { m0003 } from './m0003_runsAndUsers.js';
import { m0004 } from './m0004_barsTimeBrin.js';
import { m0005 } from './m0005_auth.js';
import { m0006 } from './m0006_paperSessions.js';
import { m0007 } from './m0007_backtestReports.js';
import { m0008 } from './m0008_corporateActions.js';
import { m0009 } from './m0009_ticks.js';
import { m0010 } from './m0010_liveSessions.js';
import { m0011 } from './m0011_optimizations.js';
import { m0012 } from './m0012_optimizationResume.js';
import { m0013 } from './m0013_idempotentSessionWrites.js';
import { TIMESCALE_MIGRATIONS, forTimescaleVersion } from './timescaleMigrations.js';
import { inspectTimescale } from '../timescale.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';
export const CORE_MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013];

export type MigrationState = 'applied' | 'pending' | 'changed' | 'skipped';

export interface MigrationStatus {
  readonly version: number;
  readonly name: string;
  readonly state: MigrationState;
  readonly appliedAt?: string;
  /** Why a migration is skipped (Timescale features without the extension). */
  readonly reason?: string;
}

export const NO_TIMESCALE_REASON = 'the timescaledb extension is not available on this server';

export function checksum(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}

interface AppliedRow {
  version: number;
  checksum: string;
  applied_at: Date | string;
}

const CREATE_TABLE = `create table if not exists schema_migrations (
  version integer primary key, name text not null, checksum text not null, applied_at timestamptz not null default now())`;

async function applied(db: Queryable): Promise<Map<number, AppliedRow>> {
  await db.exec(CREATE_TABLE);
  const rows = await db.query<AppliedRow>('select version, checksum, applied_at from schema_migrations order by version');
  return new Map(rows.map((r) => [r.version, r]));
}

function known(db: Database): Migration[] {
  return db.hasTimescale ? [...CORE_MIGRATIONS, ...TIMESCALE_MIGRATIONS] : [...CORE_MIGRATIONS];
}

export async function status(db: Database): Promise<MigrationStatus[]> {
  const done = await applied(db);
  const out: MigrationStatus[] = known(db).map((m) => {
    const row = done.get(m.version);
    if (row === undefined) return { version: m.version, name: m.name, state: 'pending' };
    const appliedAt = new Date(row.applied_at).toISOString();
    return { version: m.version, name: m.name, state: row.checksum === checksum(m) ? 'applied' : 'changed', appliedAt };
  });
  if (!db.hasTimescale) {
    for (const m of TIMESCALE_MIGRATIONS) out.push({ version: m.version, name: m.name, state: 'skipped', reason: NO_TIMESCALE_REASON });
  }
  return out;
}

function assertUnchanged(states: readonly MigrationStatus[]): void {
  const changed = states.filter((s) => s.state === 'changed');
  if (changed.length === 0) return;
  const list = changed.map((s) => `${s.version} (${s.name})`).join(', ');
  throw new Pi5Error('PI5_ERR_MIGRATION', `table schema_migrations: applied migration(s) ${list} no longer match their recorded checksum; restore the original SQL and add a new migration instead`, {
    versions: changed.map((s) => s.version),
  });
}

/** Applies every pending migration; returns the versions applied (empty when up to date). */
export async function migrate(db: Database, log?: Logger): Promise<number[]> {
  const states = await status(db);
  assertUnchanged(states);
  if (!db.hasTimescale) log?.info('timescale features skipped', { reason: NO_TIMESCALE_REASON });
  // Up to date (every start but the first after an upgrade): one read, no transaction per migration.
  if (!states.some((s) => s.state === 'pending')) return [];
  const done: number[] = [];
  const tsVersion = db.hasTimescale ? (await inspectTimescale(db)).version : null;
  for (const m of known(db)) {
    const appliedNow = await db.transaction(async (tx) => {
      // Two processes migrating at once: the second waits here, then sees the row and skips.
      await tx.query('select pg_advisory_xact_lock(8675309)');
      const rows = await tx.query<{ n: number }>('select count(*)::int as n from schema_migrations where version = $1', [m.version]);
      if ((rows[0]?.n ?? 0) > 0) return false;
      await tx.exec(m.version > 1000 ? forTimescaleVersion(m.sql, tsVersion) : m.sql);
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [m.version, m.name, checksum(m)]);
      return true;
    });
    if (appliedNow) {
      done.push(m.version);
      log?.info('migration applied', { version: m.version, name: m.name });
    }
  }
  return done;
}
