// CSV bytes or text → BarSeries: the public parse functions, picking a symbol and naming the timeframe.

import { basename } from 'node:path';
import { Pi5Error } from '../../core/errors.js';
import type { Timeframe } from '../../model/types.js';
import type { BarColumns } from './barColumns.js';
import { CsvChunkParser, type ParsedColumns } from './csvChunks.js';
import { inferTimeframe } from './inferTimeframe.js';
import { DAY_MS } from './timestamp.js';
import type { CsvBarSeries, CsvParseOptions } from './types.js';

/** `NVDA-1999-2014.csv` → `NVDA`: the file name's leading token before '-', '_' or '.', upper-cased. */
export function symbolFromPath(path: string): string {
  const token = basename(path).split(/[-_.]/)[0] ?? '';
  return token === '' ? 'UNKNOWN' : token.toUpperCase();
}

/**
 * Bars of one symbol. A file with a symbol column must hold one symbol, or `opts.symbol` picks one.
 *
 * Conventions (DESIGN.md §4, §8):
 * - A timestamp is taken as given, as the bar's open instant. Date-only text (YYYY-MM-DD, YYYY/MM/DD,
 *   YYYYMMDD) is the trading date at 00:00 UTC whatever `timeZone` says. Date-times without an offset
 *   are wall-clock times in `timeZone` (default UTC; DST gaps and repeats follow ZoneConverter's
 *   'compatible' rule); with Z or an offset they are exact instants; bare numbers are epoch seconds
 *   (< 1e11) or milliseconds.
 * - Headers are matched case-insensitively in any order (Date/Datetime/Timestamp/time, or Date + Time;
 *   Open/High/Low/Close or o/h/l/c; Volume/v, optional: 0 when absent; Adj Close kept as `adjClose`;
 *   Symbol/Ticker splits the file by symbol; OpenInterest and unknown columns ignored).
 * - Every row must have the header's column count; blank lines, CRLF and a UTF-8 BOM are fine; fields
 *   may be double-quoted. Rows whose four prices are all "null" (Yahoo holidays) are skipped and
 *   counted in `skippedRows` unless `skipNullRows` is false.
 * - priceDecimals is the most fraction digits in open/high/low/close, capped at 8: longer prices are
 *   rounded half away from zero on their decimal text to 8 places.
 * - Timestamps strictly increase per symbol, or strictly decrease throughout (newest-first files such
 *   as Alpha Vantage's are returned oldest first). The timeframe, unless given, is named from the most
 *   common gap (see inferTimeframe).
 * - Errors: PI5_ERR_BAD_CSV for the file's shape (header, column count, quotes), PI5_ERR_BAD_BAR for a
 *   bad value; each names file, 1-based line, field and value.
 */
export function parseBarsCsv(input: Buffer | string, opts: CsvParseOptions): CsvBarSeries {
  return pickSymbol(parseColumns(input, opts), opts);
}

/** One series per symbol (in order of first appearance); without a symbol column, exactly one. */
export function parseBarsCsvMulti(input: Buffer | string, opts: CsvParseOptions): CsvBarSeries[] {
  return toSeries(parseColumns(input, opts), opts.source);
}

/** A chunk parser; files without a symbol column get `opts.symbol`, else `fallbackSymbol`. */
export function createCsvParser(
  opts: CsvParseOptions,
  expectedBytes: number,
  fallbackSymbol = symbolFromPath(opts.source),
): CsvChunkParser {
  return new CsvChunkParser({ ...opts, symbol: opts.symbol ?? fallbackSymbol }, expectedBytes);
}

function parseColumns(input: Buffer | string, opts: CsvParseOptions): ParsedColumns {
  const parser = createCsvParser(opts, input.length);
  return typeof input === 'string' ? parser.string(input) : parser.whole(input);
}

/** Names each symbol's timeframe (given, or inferred) and trims its columns into a series. */
export function toSeries(parsed: ParsedColumns, file: string): CsvBarSeries[] {
  return parsed.columns.map((c) => seriesOf(c, parsed, file));
}

function seriesOf(columns: BarColumns, parsed: ParsedColumns, file: string): CsvBarSeries {
  return columns.toSeries(parsed.timeframe ?? timeframeOf(columns, file));
}

/** The one series of a file: the only symbol, or `opts.symbol` in a file with a symbol column. */
export function pickSymbol(parsed: ParsedColumns, opts: CsvParseOptions): CsvBarSeries {
  const file = opts.source;
  const { columns } = parsed;
  const only = columns[0];
  if (parsed.layout.symbol < 0 && only !== undefined) return seriesOf(only, parsed, file);
  const held = columns.map((c) => c.symbol);
  const wanted = opts.symbol;
  if (wanted !== undefined) {
    const found = columns.find((c) => c.symbol === wanted);
    if (found !== undefined) return seriesOf(found, parsed, file);
    throw new Pi5Error('PI5_ERR_BAD_CSV', `${file}: no rows for symbol ${wanted}; the file holds ${held.join(', ') || 'no rows'}`, {
      file,
      field: 'symbol',
      value: wanted,
    });
  }
  if (only !== undefined && columns.length === 1) return seriesOf(only, parsed, file);
  if (only === undefined) return emptySeries(symbolFromPath(file), parsed.timeframe ?? '1d');
  throw new Pi5Error(
    'PI5_ERR_BAD_CSV',
    `${file}: holds ${columns.length} symbols (${held.join(', ')}); pass symbol or use parseBarsCsvMulti`,
    { file, field: 'symbol', value: held },
  );
}

/** Inferred timeframe; a lone bar at midnight (or no bar) counts as daily, anything else must be told. */
function timeframeOf(columns: BarColumns, file: string): Timeframe {
  const ts = columns.ts.subarray(0, columns.length);
  const inferred = inferTimeframe(ts);
  if (inferred !== null) return inferred;
  if (ts.length < 2 && ts.every((t) => t % DAY_MS === 0)) return '1d';
  throw new Pi5Error(
    'PI5_ERR_BAD_CSV',
    `${file}: cannot infer the timeframe of ${columns.symbol} from ${ts.length} bar(s); pass timeframe`,
    { file, field: 'timeframe' },
  );
}

function emptySeries(symbol: string, timeframe: Timeframe): CsvBarSeries {
  const empty = new Float64Array(0);
  return {
    symbol,
    timeframe,
    priceDecimals: 0,
    length: 0,
    ts: empty,
    open: empty,
    high: empty,
    low: empty,
    close: empty,
    volume: empty,
    skippedRows: 0,
  };
}
