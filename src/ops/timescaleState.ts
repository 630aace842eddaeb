// The TimescaleDB line of `pi5 doctor`: usable, absent (plain PostgreSQL, fine), or present but unusable and why.

import type { Database } from '../persistence/database.js';
import { inspectTimescale } from '../persistence/timescale.js';
import type { DoctorCheck } from './doctorCheck.js';

export async function describeTimescale(db: Database): Promise<DoctorCheck> {
  if (db.engine === 'pglite') return { name: 'timescaledb', status: 'ok', detail: 'embedded PGlite: plain PostgreSQL features (no TimescaleDB)' };
  const t = await inspectTimescale(db);
  // Usable by what this session sees, yet not used: the build's licence was found at open on a session of its own.
  if (t.usable && !db.hasTimescale) return { name: 'timescaledb', status: 'warn', detail: 'present but not used: this build does not offer compression (Apache-only?)', fix: 'install the community build (timescaledb.license = timescale)' };
  if (t.usable) return { name: 'timescaledb', status: 'ok', detail: `TimescaleDB ${t.version ?? ''} ${t.installed ? 'installed' : 'available (created by `pi5 db migrate`)'}, license ${t.license ?? 'unknown'}`.replace(/\s+/g, ' ') };
  if (!t.available) return { name: 'timescaledb', status: 'ok', detail: 'not installed: plain PostgreSQL (hypertables, compression and continuous aggregates off)' };
  return { name: 'timescaledb', status: 'warn', detail: `present but not used: ${t.reason ?? ''}`, fix: t.reason ?? '' };
}
