// The TimescaleDB continuous aggregates of 1m bars (migration 1002) as a read path and an import hook:
// a coarser request with no stored bars of its own reads the aggregate instead of resampling in the client,
// and an import of 1m bars refreshes the aggregates over the imported range, since the refresh policies
// only look back 3 days and imported history is usually older (docs/storage.md, "Continuous aggregates").

import type { BarSeries } from '../model/barSeries.js';
import { parseTimeframe } from '../model/timeframe.js';
import type { Queryable } from './database.js';
import { sqlString } from './barBinary.js';
import { seriesFromBuckets, type BucketRow } from './bucketSeries.js';

/** Timeframes with a continuous aggregate `bars_cagg_<tf>` built from 1m bars. */
export const CAGG_TIMEFRAMES: readonly string[] = ['5m', '15m', '1h', '1d'];

export function hasCagg(timeframe: string): boolean {
  return CAGG_TIMEFRAMES.includes(timeframe);
}

/**
 * The aggregate's bars of one symbol whose bucket starts in [from, to] (SQL timestamptz expressions), with the
 * columns the resample path selects (`bucket_ms` and OHLCV): the buckets are the same (UTC, epoch-aligned).
 */
export function caggReadSql(timeframe: string, symbol: string, from: string, to: string): string {
  if (!hasCagg(timeframe)) throw new Error(`no continuous aggregate for timeframe ${timeframe}`);
  return `select (extract(epoch from ts) * 1000)::float8 as bucket_ms, open, high, low, close, volume
    from bars_cagg_${timeframe} where symbol = ${sqlString(symbol)} and ts >= ${from} and ts <= ${to} order by ts`;
}

/** True when the symbol has 1m bars (what the aggregates are built from) but none stored at `timeframe`. */
export async function servedByCagg(db: Queryable, symbol: string, timeframe: string): Promise<boolean> {
  if (!hasCagg(timeframe)) return false;
  const [r] = await db.query<{ own: boolean; base: boolean }>(
    `select exists (select 1 from bars where symbol = $1 and timeframe = $2) as own,
            exists (select 1 from bars where symbol = $1 and timeframe = '1m') as base`,
    [symbol, timeframe],
  );
  return r !== undefined && !r.own && r.base;
}

export async function readCagg(db: Queryable, symbol: string, timeframe: string, from: string, to: string, priceDecimals: number): Promise<BarSeries> {
  return seriesFromBuckets(symbol, timeframe, await db.query<BucketRow>(caggReadSql(timeframe, symbol, from, to)), priceDecimals);
}

/**
 * `call refresh_continuous_aggregate` for each aggregate over [fromMs, toMs] widened to whole buckets (a refresh
 * only rebuilds buckets entirely inside its window). It may not run in a transaction, so it follows the commit.
 */
export function caggRefreshSql(fromMs: number, toMs: number): string[] {
  return CAGG_TIMEFRAMES.map((tf) => {
    const step = parseTimeframe(tf)?.ms ?? 60_000;
    const lo = Math.floor(fromMs / step) * step;
    const hi = (Math.floor(toMs / step) + 1) * step;
    return `call refresh_continuous_aggregate('bars_cagg_${tf}', to_timestamp(${lo} / 1000.0), to_timestamp(${hi} / 1000.0))`;
  });
}
