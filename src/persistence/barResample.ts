// Resampling stored bars to a coarser timeframe in SQL, with src/data/resample.ts's bucket rules (UTC;
// weeks start Monday, months on the 1st): open of the first bar, max high, min low, close of the last,
// summed volume. Used to build coarser bars in the store without the extension's continuous aggregates.

import { Pi5Error } from '../core/errors.js';
import { allocateSeries, type BarSeries } from '../model/barSeries.js';
import { parseTimeframe, type TimeframeSpec } from '../model/timeframe.js';
import { resampleSeries } from '../data/resample.js';
import type { Database, Queryable } from './database.js';
import { lockSeries } from './barIngest.js';
import { seriesFromBuckets, type BucketRow } from './bucketSeries.js';
import { BarStore } from './barStore.js';

const DAY_MS = 86_400_000;
const MONDAY_OFFSET_MS = 4 * DAY_MS;

/**
 * SQL for the bucket start (epoch ms) of a row whose time is the column `ts`; `t` is that time in epoch ms
 * (ticks pass whole ms as numeric, so microsecond times bucket exactly).
 */
export function bucketSql(tf: TimeframeSpec, t = '(extract(epoch from ts) * 1000)::float8'): string {
  if (tf.unit === 'M') {
    const idx = `((extract(year from ts at time zone 'UTC') * 12 + extract(month from ts at time zone 'UTC') - 1)::int)`;
    const start = `(${idx} - ${idx} % ${tf.count})`;
    return `(extract(epoch from make_timestamptz(${start} / 12, ${start} % 12 + 1, 1, 0, 0, 0, 'UTC')) * 1000)::float8`;
  }
  if (tf.unit === 'w') return `(floor((${t} - ${MONDAY_OFFSET_MS}) / ${tf.ms}) * ${tf.ms} + ${MONDAY_OFFSET_MS})`;
  return `(floor(${t} / ${tf.ms}) * ${tf.ms})`;
}

function specs(symbol: string, from: string, to: string): TimeframeSpec {
  const base = parseTimeframe(from);
  const target = parseTimeframe(to);
  if (base === null || target === null || target.ms <= base.ms) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `cannot resample ${symbol} from ${from} to ${to}: the target must be a coarser timeframe`, { symbol, from, to });
  }
  return target;
}

function aggregateSql(target: TimeframeSpec): string {
  return `select ${bucketSql(target)} as bucket_ms,
      (array_agg(open order by ts))[1] as open, max(high) as high, min(low) as low,
      (array_agg(close order by ts desc))[1] as close, sum(volume) as volume
    from bars where symbol = $1 and timeframe = $2
    group by 1`;
}

/** One bucket of an aggregation query (`bucket_ms` and OHLCV), as both bar resampling and ticks → bars select it. */

/** A symbol's price decimals from its instrument row; 2 (cents) when it has none yet. */
export async function instrumentDecimals(db: Queryable, symbol: string): Promise<number> {
  const rows = await db.query<{ d: number }>('select price_decimals as d from instruments where symbol = $1', [symbol]);
  return rows[0]?.d ?? 2;
}

/** The coarser bars of one stored series, computed in SQL (not stored). */
export async function resampledSeries(db: Database, symbol: string, fromTf: string, toTf: string): Promise<BarSeries> {
  const target = specs(symbol, fromTf, toTf);
  if (db.barCatalog !== undefined) return catalogResampled(db, symbol, fromTf, toTf);
  const rows = await db.query<BucketRow>(`${aggregateSql(target)} order by 1`, [symbol, fromTf]);
  return seriesFromBuckets(symbol, toTf, rows, await instrumentDecimals(db, symbol));
}

/** Builds and upserts the coarser bars in one statement; returns the number of coarser bars. */
export async function storeResampled(db: Database, symbol: string, fromTf: string, toTf: string): Promise<number> {
  const target = specs(symbol, fromTf, toTf);
  if (db.barCatalog !== undefined) {
    const built = await catalogResampled(db, symbol, fromTf, toTf);
    await new BarStore(db).ingest([built]);
    return built.length;
  }
  // The series lock keeps this from racing a BarStore.ingest that COPYs the same series straight into bars.
  return db.transaction(async (tx) => {
    await lockSeries(tx, [{ symbol, timeframe: toTf }]);
    const rows = await tx.query<{ n: number }>(
      `with agg as (${aggregateSql(target)}),
       up as (
         insert into bars (symbol, timeframe, ts, open, high, low, close, volume)
         select $1::text, $3::text, to_timestamp(bucket_ms / 1000), open, high, low, close, volume from agg order by bucket_ms
         on conflict (symbol, timeframe, ts) do update set
           open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
         returning 1)
       select count(*)::int as n from up`,
      [symbol, fromTf, toTf],
    );
    return rows[0]?.n ?? 0;
  });
}

/** The catalog's bars are files, not rows: resampled in memory with the same buckets (tested equal to the SQL). */
async function catalogResampled(db: Database, symbol: string, fromTf: string, toTf: string): Promise<BarSeries> {
  const [s] = await new BarStore(db).read({ symbols: [symbol], timeframe: fromTf });
  return s === undefined ? allocateSeries(symbol, toTf, 0) : resampleSeries(s, toTf);
}
