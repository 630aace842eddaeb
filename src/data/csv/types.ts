// Options and result shape of the CSV bar loader.

import type { BarSeries } from '../../model/barSeries.js';

export interface CsvParseOptions {
  /** The file path (or a label) that error messages name. */
  readonly source: string;
  /**
   * Symbol of the bars when the file has no symbol column (default: the source's file-name token,
   * `NVDA-1999-2014.csv` → `NVDA`). In a file with a symbol column, `parseBarsCsv` returns this symbol's rows.
   */
  readonly symbol?: string;
  /** Timeframe such as '5m' or '1d'; inferred from the most common gap between bars when absent. */
  readonly timeframe?: string;
  /** IANA zone of date-times written without an offset (default 'UTC'); date-only rows are always 00:00 UTC. */
  readonly timeZone?: string;
  /**
   * Skip rows whose open, high, low and close are all "null" (Yahoo writes these for holidays); they are
   * counted in `skippedRows`. Default true. When false such rows fail as non-numeric prices.
   */
  readonly skipNullRows?: boolean;
}

/** A parsed series: a plain BarSeries plus what the file said beyond OHLCV. */
export interface CsvBarSeries extends BarSeries {
  /** The 'Adj Close' column (split- and dividend-adjusted close) when the file has one. */
  readonly adjClose?: Float64Array;
  /** All-"null" rows skipped (see `skipNullRows`). */
  readonly skippedRows: number;
}
