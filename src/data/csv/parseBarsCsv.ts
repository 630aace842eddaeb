// Strict, fast CSV → BarSeries: resolves the header, runs the byte-level reader and names the timeframe.
// Conventions (DESIGN.md §4, §8):
// - A CSV timestamp is taken as given, as the bar's open instant. Date-only text (YYYY-MM-DD, YYYYMMDD) is
//   the trading date at 00:00 UTC. Date-times without an offset are wall-clock times in `timeZone`
//   (default UTC; DST gaps and overlaps follow ZoneConverter's 'compatible' rule); with Z or an offset they
//   are exact instants; bare numbers are epoch seconds (< 1e11) or milliseconds.
// - Every row must have the header's column count; blank lines and a UTF-8 BOM are allowed; a field may be
//   quoted. Volume is optional (0 when the file has no volume column); OpenInterest and unknown columns
//   are ignored; Adj Close is kept as `adjClose`.
// - priceDecimals is the most fraction digits seen in open/high/low/close, capped at 8: longer prices
//   are rounded half away from zero on their decimal text to 8 places.
// - Timestamps must strictly increase per symbol, or strictly decrease throughout (newest-first files such
//   as Alpha Vantage's are reversed). Errors: PI5_ERR_BAD_CSV for the file's shape (header,
//   columns, quotes), PI5_ERR_BAD_BAR for a bad value, each naming file, line, field and value.

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

/** Bars of one symbol. A file with a symbol column must hold one symbol, or `opts.symbol` picks one. */
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
