// Syntax and reference check of the Timescale migrations on plain PostgreSQL: run them in a transaction
// against stub functions in a scratch schema, then roll back. What stubs cannot check (the
// timescaledb.* storage parameters) is removed first; everything else parses, plans and resolves names.

import type { Database, Queryable } from '../database.js';
import { Pi5Error } from '../../core/errors.js';
import { TIMESCALE_MIGRATIONS } from './timescaleMigrations.js';

const STUBS = `
create schema pi5_tscheck;
set local search_path = pi5_tscheck, public;
create function pi5_tscheck.create_hypertable(relation regclass, time_column name, chunk_time_interval interval, migrate_data boolean) returns void language sql as 'select';
create function pi5_tscheck.add_compression_policy(relation regclass, compress_after interval) returns int language sql as 'select 1';
create function pi5_tscheck.add_retention_policy(relation regclass, drop_after interval) returns int language sql as 'select 1';
create function pi5_tscheck.set_chunk_time_interval(relation regclass, chunk_time_interval interval) returns void language sql as 'select';
create function pi5_tscheck.add_job(proc regproc, schedule_interval interval, config jsonb) returns int language sql as 'select 1';
create function pi5_tscheck.add_continuous_aggregate_policy(relation regclass, start_offset interval, end_offset interval, schedule_interval interval) returns int language sql as 'select 1';
create function pi5_tscheck.time_bucket(width interval, ts timestamptz) returns timestamptz language sql as 'select date_bin(width, ts, timestamptz ''2000-01-03'')';
create function pi5_tscheck.first_step(s anyelement, v anyelement, t timestamptz) returns anyelement language sql as 'select coalesce(s, v)';
create function pi5_tscheck.last_step(s anyelement, v anyelement, t timestamptz) returns anyelement language sql as 'select v';
create aggregate pi5_tscheck.first(anyelement, timestamptz) (sfunc = pi5_tscheck.first_step, stype = anyelement);
create aggregate pi5_tscheck.last(anyelement, timestamptz) (sfunc = pi5_tscheck.last_step, stype = anyelement);
`;

/** The migration SQL with what only TimescaleDB understands taken out. */
export function stubbable(sql: string): string {
  return sql
    .replace(/create extension if not exists timescaledb;/gi, '')
    .replace(/alter table (\w+) set \(timescaledb\.[^;]*\);/gi, 'select $1.ts from $1 limit 0;')
    .replace(/with \(timescaledb\.continuous\)/gi, '');
}

class RollBack extends Error {}

/**
 * Throws PI5_ERR_MIGRATION naming the migration whose SQL does not run against the stubs. `probe` runs
 * after them, inside the same rolled-back transaction (tests use it to exercise the SQL the migrations made).
 */
export async function checkTimescaleSql(db: Database, probe?: (tx: Queryable) => Promise<void>): Promise<number> {
  let checked = 0;
  try {
    await db.transaction(async (tx) => {
      await tx.exec(STUBS);
      for (const m of TIMESCALE_MIGRATIONS) {
        try {
          await tx.exec(stubbable(m.sql));
        } catch (e) {
          throw new Pi5Error('PI5_ERR_MIGRATION', `timescale migration ${m.version} (${m.name}): ${(e as Error).message}`);
        }
        checked++;
      }
      await probe?.(tx);
      throw new RollBack();
    });
  } catch (e) {
    if (!(e instanceof RollBack)) throw e;
  }
  return checked;
}
