// Bucket rows (a bucket's time, open, high, low, close, volume) as SQL aggregations answer them, turned into a
// series: shared by SQL resampling, tick aggregation and TimescaleDB's continuous aggregates. A leaf, so each of
// them can import it without an import cycle through the bar store.

import { allocateSeries, type BarSeries } from '../model/barSeries.js';

export interface BucketRow {
  bucket_ms: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A series from bucket rows already in time order. */
export function seriesFromBuckets(symbol: string, timeframe: string, rows: readonly BucketRow[], priceDecimals: number): BarSeries {
  const out = allocateSeries(symbol, timeframe, rows.length, priceDecimals);
  rows.forEach((r, i) => {
    out.ts[i] = r.bucket_ms;
    out.open[i] = r.open;
    out.high[i] = r.high;
    out.low[i] = r.low;
    out.close[i] = r.close;
    out.volume[i] = r.volume;
  });
  return out;
}
