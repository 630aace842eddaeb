// TimescaleDB features, applied only where the extension is available: bars become a hypertable with
// compression, a per-timeframe retention job, continuous aggregates 1m → 5m/15m/1h/1d and a chunk interval
// that follows the finest stored timeframe (decision 0006); ticks become a hypertable of their own.

import type { Migration } from './types.js';

/** Continuous aggregates built from 1m bars: view suffix, bucket width and refresh schedule. */
const AGGREGATES = [
  ['5m', '5 minutes', '5 minutes'],
  ['15m', '15 minutes', '15 minutes'],
  ['1h', '1 hour', '1 hour'],
  ['1d', '1 day', '1 hour'],
] as const;

function aggregateSql([suffix, width, schedule]: (typeof AGGREGATES)[number]): string {
  return `
create materialized view bars_cagg_${suffix} with (timescaledb.continuous) as
select symbol, time_bucket(interval '${width}', ts) as ts,
       first(open, ts) as open, max(high) as high, min(low) as low, last(close, ts) as close, sum(volume) as volume
from bars where timeframe = '1m'
group by symbol, time_bucket(interval '${width}', ts)
with no data;
select add_continuous_aggregate_policy('bars_cagg_${suffix}', start_offset => interval '3 days',
  end_offset => interval '${width}', schedule_interval => interval '${schedule}');`;
}

// One hypertable has one chunk interval, so it follows the finest timeframe stored (or about to be: ingest
// passes its timeframes in config), re-checked daily by a job. Only future chunks change (decision 0006).
// The interval last set is kept in pi5_chunking, so nothing needs the extension's catalog to compare.
const CHUNK_INTERVAL_SQL = `
create table pi5_chunking (hypertable text primary key, chunk_interval interval not null);
insert into pi5_chunking values ('bars', interval '7 days');
create or replace function pi5_bar_chunk_interval_for(timeframes text[]) returns interval language sql immutable as $$
  select case when finest is null or finest < interval '1 hour' then interval '7 days'
              when finest < interval '1 day' then interval '90 days'
              else interval '365 days' end
  from (select min(n * case unit when 's' then interval '1 second' when 'm' then interval '1 minute'
          when 'h' then interval '1 hour' when 'd' then interval '1 day' when 'w' then interval '7 days'
          else interval '30 days' end) as finest
        from (select m[1]::int as n, m[2] as unit from unnest(timeframes) tf,
              regexp_match(tf, '^([0-9]+)([smhdwM])$') m) parsed) f
$$;
create or replace procedure pi5_bar_chunk_interval(job_id int, config jsonb) language plpgsql as $$
declare
  stored text[];
  want interval;
begin
  -- Distinct timeframes by a skip scan of the primary key: one probe per series, not a pass over the bars.
  with recursive series as (
    (select symbol, timeframe from bars order by symbol, timeframe limit 1)
    union all
    select n.symbol, n.timeframe from series s, lateral (
      select b.symbol, b.timeframe from bars b where (b.symbol, b.timeframe) > (s.symbol, s.timeframe)
      order by b.symbol, b.timeframe limit 1) n)
  select array_agg(distinct timeframe) into stored from series;
  want := pi5_bar_chunk_interval_for(coalesce(stored, '{}')
    || coalesce(array(select jsonb_array_elements_text(config->'timeframes')), '{}'));
  -- Written only on a change, so concurrent imports do not queue on this row.
  if want is distinct from (select chunk_interval from pi5_chunking where hypertable = 'bars') then
    perform set_chunk_time_interval('bars', want);
    update pi5_chunking set chunk_interval = want where hypertable = 'bars';
  end if;
end $$;
call pi5_bar_chunk_interval(0, '{}'::jsonb);
select add_job('pi5_bar_chunk_interval', interval '1 day', config => '{}'::jsonb);
`;

/** `create_hypertable(relation, by_range(column, interval))` exists from TimescaleDB 2.13; the old form is deprecated there. */
export function supportsByRange(version: string | null): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (m === null) return false;
  const major = Number(m[1]);
  return major > 2 || (major === 2 && Number(m[2]) >= 13);
}

/**
 * A migration's SQL as applied to a server with this extension version: the new-style `by_range` hypertable call
 * where supported. The recorded checksum stays that of the written SQL, so it does not depend on the server.
 */
export function forTimescaleVersion(sql: string, version: string | null): string {
  if (!supportsByRange(version)) return sql;
  return sql.replace(
    /create_hypertable\('(\w+)', '(\w+)', chunk_time_interval => (interval '[^']+'), migrate_data => true\)/g,
    "create_hypertable('$1', by_range('$2', $3), migrate_data => true)",
  );
}

export const TIMESCALE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1001,
    name: 'timescale_hypertable',
    // One hypertable holds every timeframe; a 7-day chunk keeps 1m bars of a few thousand symbols per
    // chunk in memory, and daily bars simply share chunks. Compression segments by series so a
    // range read of one symbol decompresses only its own segment.
    sql: `
create extension if not exists timescaledb;
select create_hypertable('bars', 'ts', chunk_time_interval => interval '7 days', migrate_data => true);
alter table bars set (timescaledb.compress, timescaledb.compress_segmentby = 'symbol, timeframe', timescaledb.compress_orderby = 'ts');
select add_compression_policy('bars', interval '30 days');
-- Retention is per timeframe (intraday history is dropped, daily kept), which a plain retention
-- policy (whole chunks) cannot express, so it is a scheduled job.
create or replace procedure pi5_bar_retention(job_id int, config jsonb) language plpgsql as $$
begin
  delete from bars where timeframe = any (array(select jsonb_array_elements_text(config->'timeframes')))
    and ts < now() - (config->>'keep')::interval;
end $$;
select add_job('pi5_bar_retention', interval '1 day', config => '{"timeframes": ["1m"], "keep": "2 years"}'::jsonb);
`,
  },
  { version: 1002, name: 'timescale_continuous_aggregates', sql: AGGREGATES.map(aggregateSql).join('\n') },
  {
    version: 1003,
    name: 'timescale_ticks',
    // Ticks are the finest data there is: one-day chunks, compressed per symbol after a week, whole chunks
    // dropped after a year (no timeframes to tell apart, so the plain retention policy fits).
    sql: `
select create_hypertable('ticks', 'ts', chunk_time_interval => interval '1 day', migrate_data => true);
alter table ticks set (timescaledb.compress, timescaledb.compress_segmentby = 'symbol', timescaledb.compress_orderby = 'ts, seq');
select add_compression_policy('ticks', interval '7 days');
select add_retention_policy('ticks', interval '1 year');
`,
  },
  { version: 1004, name: 'timescale_bar_chunk_interval', sql: CHUNK_INTERVAL_SQL },
  {
    version: 1005,
    name: 'timescale_retention_compressed',
    // Found on the real extension (2.17.2): 1m bars older than two years sit in compressed chunks, and a delete
    // through the hypertable decompresses them inside the statement, which fails past
    // timescaledb.max_tuples_decompressed_per_dml_transaction (100 000 by default: a year of one symbol's
    // minutes), so the job failed every day. A delete straight on a chunk does not see its compressed rows. The
    // limit is lifted for the job's own transaction only (set_config local); only the 1m batches decompress.
    sql: `
create or replace procedure pi5_bar_retention(job_id int, config jsonb) language plpgsql as $$
begin
  perform set_config('timescaledb.max_tuples_decompressed_per_dml_transaction', '0', true);
  delete from bars where timeframe = any (array(select jsonb_array_elements_text(config->'timeframes')))
    and ts < now() - (config->>'keep')::interval;
end $$;
`,
  },
  {
    version: 1006,
    name: 'timescale_retention_opt_in',
    // Retention became opt-in: with 1m bars deleted after two years (and ticks after one) by default, a trader
    // importing 2021 minutes or 2024 ticks lost them within seconds (the jobs run right after migrating). Nothing
    // is deleted now until `pi5 db retention` says so. Settings changed by hand are kept; only the shipped defaults
    // are switched off. The procedure returns at once when there is nothing to delete.
    sql: `
create or replace procedure pi5_bar_retention(job_id int, config jsonb) language plpgsql as $$
declare
  timeframes text[] := array(select jsonb_array_elements_text(coalesce(config->'timeframes', '[]'::jsonb)));
begin
  if cardinality(timeframes) = 0 or config->>'keep' is null then return; end if;
  perform set_config('timescaledb.max_tuples_decompressed_per_dml_transaction', '0', true);
  delete from bars where timeframe = any (timeframes) and ts < now() - (config->>'keep')::interval;
end $$;
select alter_job(job_id, config => '{"timeframes": [], "keep": null}'::jsonb) from timescaledb_information.jobs
  where proc_name = 'pi5_bar_retention' and config = '{"timeframes": ["1m"], "keep": "2 years"}'::jsonb;
select remove_retention_policy('ticks', if_exists => true) from timescaledb_information.jobs
  where proc_name = 'policy_retention' and hypertable_name = 'ticks' and config->>'drop_after' = '1 year';
`,
  },
];
