// Coded errors of the CSV bar loader, each naming file, 1-based line, field and value.

import { Pi5Error } from '../../core/errors.js';

/** A bad value in a row: PI5_ERR_BAD_BAR, message `<file> line <n>: <what>`. */
export function badBar(
  file: string,
  line: number,
  field: string,
  value: string,
  what: string,
  extra: Record<string, unknown> = {},
): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_BAR', `${file} line ${line}: ${what}`, { file, line, field, value, ...extra });
}

/** A row whose shape is wrong (column count, quotes): PI5_ERR_BAD_CSV. */
export function badRow(file: string, line: number, field: string, value: unknown, what: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_CSV', `${file} line ${line}: ${what}`, { file, line, field, value });
}

const iso = (ts: number): string => new Date(ts).toISOString();

/** The message of a bar that does not come strictly after (or, newest-first, before) the previous one. */
export function orderMessage(ts: number, previousTs: number, previousLine: number, symbol: string | null, descending: boolean): string {
  const whose = symbol === null ? '' : ` of ${symbol}`;
  if (ts === previousTs) return `duplicate bar${whose}: ${iso(ts)} repeats line ${previousLine}`;
  const newestFirst = descending ? ' in a newest-first file' : '';
  return `not sorted: bar${whose} at ${iso(ts)} comes after line ${previousLine} at ${iso(previousTs)}${newestFirst}`;
}
