// Syntax and reference check of the Timescale migrations on plain PostgreSQL: run them in a transaction
// against stub functions in a scratch schema, then roll back. What stubs cannot check (the
// timescaledb.* storage parameters) is removed first; everything else parses, plans and resolves names.
// first/last keep the earliest/latest value by time and the aggregate refresh rebuilds the view, so the SQL the
// bar store runs against the aggregates (src/persistence/barCagg.ts) can be checked for results too.

import type { Database, Queryable } from '../database.js';
import { Pi5Error } from '../../core/errors.js';
import { TIMESCALE_MIGRATIONS, forTimescaleVersion } from './timescaleMigrations.js';

const STUBS = `
create schema pi5_tscheck;
set local search_path = pi5_tscheck, public;
create function pi5_tscheck.create_hypertable(relation regclass, time_column name, chunk_time_interval interval, migrate_data boolean) returns void language sql as 'select';
create function pi5_tscheck.by_range(column_name name, partition_interval interval) returns text language sql as 'select column_name::text';
create function pi5_tscheck.create_hypertable(relation regclass, dimension text, migrate_data boolean) returns void language sql as 'select';
create function pi5_tscheck.add_compression_policy(relation regclass, compress_after interval) returns int language sql as 'select 1';
create function pi5_tscheck.add_retention_policy(relation regclass, drop_after interval) returns int language sql as 'select 1';
create function pi5_tscheck.set_chunk_time_interval(relation regclass, chunk_time_interval interval) returns void language sql as 'select';
create function pi5_tscheck.add_job(proc regproc, schedule_interval interval, config jsonb) returns int language sql as 'select 1';
create function pi5_tscheck.alter_job(job_id int, config jsonb) returns int language sql as 'select job_id';
create function pi5_tscheck.remove_retention_policy(relation regclass, if_exists boolean) returns void language sql as 'select';
create function pi5_tscheck.add_continuous_aggregate_policy(relation regclass, start_offset interval, end_offset interval, schedule_interval interval) returns int language sql as 'select 1';
create function pi5_tscheck.time_bucket(width interval, ts timestamptz) returns timestamptz language sql as 'select date_bin(width, ts, timestamptz ''2000-01-03'')';
create type pi5_tscheck.at as (v float8, t timestamptz);
create function pi5_tscheck.first_step(s pi5_tscheck.at, v float8, t timestamptz) returns pi5_tscheck.at language sql as 'select case when s is null or t < s.t then row(v, t)::pi5_tscheck.at else s end';
create function pi5_tscheck.last_step(s pi5_tscheck.at, v float8, t timestamptz) returns pi5_tscheck.at language sql as 'select case when s is null or t > s.t then row(v, t)::pi5_tscheck.at else s end';
create function pi5_tscheck.at_value(s pi5_tscheck.at) returns float8 language sql as 'select s.v';
create aggregate pi5_tscheck.first(float8, timestamptz) (sfunc = pi5_tscheck.first_step, stype = pi5_tscheck.at, finalfunc = pi5_tscheck.at_value);
create aggregate pi5_tscheck.last(float8, timestamptz) (sfunc = pi5_tscheck.last_step, stype = pi5_tscheck.at, finalfunc = pi5_tscheck.at_value);
create procedure pi5_tscheck.refresh_continuous_aggregate(cagg regclass, window_start timestamptz, window_end timestamptz) language plpgsql as $$
begin execute format('refresh materialized view %s', cagg); end $$;
create function pi5_tscheck.decompress_chunk(chunk regclass, if_compressed boolean) returns regclass language sql as 'select chunk';
create function pi5_tscheck.compress_chunk(chunk regclass, if_not_compressed boolean) returns regclass language sql as 'select chunk';
-- Only where the extension is not in this database (there its own catalog view answers).
do $$ begin
  if not exists (select 1 from pg_namespace where nspname = 'timescaledb_information') then
    create schema timescaledb_information;
    create view timescaledb_information.jobs as select 0 as job_id, ''::name as proc_name, ''::name as hypertable_name, '{}'::jsonb as config where false;
    create view timescaledb_information.chunks as select ''::name as hypertable_name, ''::name as chunk_schema, ''::name as chunk_name,
      now() as range_start, now() as range_end, false as is_compressed where false;
  end if;
end $$;
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
 * `version` is the extension version whose form of the SQL is checked (by_range from 2.13).
 */
export async function checkTimescaleSql(db: Database, probe?: (tx: Queryable) => Promise<void>, version = '2.13.0'): Promise<number> {
  let checked = 0;
  try {
    await db.transaction(async (tx) => {
      await tx.exec(STUBS);
      for (const m of TIMESCALE_MIGRATIONS) {
        try {
          await tx.exec(stubbable(forTimescaleVersion(m.sql, version)));
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
