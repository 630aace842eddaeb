// TimescaleDB features, applied only where the extension is available: bars become a hypertable with
// compression, a per-timeframe retention job, and continuous aggregates 1m → 5m/15m/1h/1d.

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
];
