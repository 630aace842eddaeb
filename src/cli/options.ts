// Parsing of CLI values shared by commands: dates, key=value params, numbers. Errors are PI5_ERR_BAD_USAGE
// naming the flag.

import { Pi5Error } from '../core/errors.js';

const DAY_MS = 86_400_000;

function bad(flag: string, message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `${flag}: ${message}`, { flag });
}

/** A date or date-time; `endOfDay` makes a date-only value cover its whole day (inclusive ranges). */
export function parseDateOption(flag: string, text: string, endOfDay: boolean): number {
  const t = text.trim();
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (d) {
    const start = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== t) throw bad(flag, `${JSON.stringify(text)} is not a valid date`);
    return endOfDay ? start + DAY_MS - 1 : start;
  }
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? t : t + 'Z');
  if (!/^\d{4}-\d{2}-\d{2}[T ]/.test(t) || Number.isNaN(ms)) throw bad(flag, `${JSON.stringify(text)} is not a date (YYYY-MM-DD) or ISO 8601 time`);
  return ms;
}

export function parseNumberOption(flag: string, text: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw bad(flag, `${JSON.stringify(text)} is not a number`);
  if (opts.integer && !Number.isInteger(n)) throw bad(flag, `${n} is not a whole number`);
  if (opts.min !== undefined && n < opts.min) throw bad(flag, `${n} is below ${opts.min}`);
  if (opts.max !== undefined && n > opts.max) throw bad(flag, `${n} is above ${opts.max}`);
  return n;
}

/** Collects repeated `--param name=value` into a record. */
export function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const i = value.indexOf('=');
  if (i <= 0) throw bad('--param', `${JSON.stringify(value)} is not name=value`);
  return { ...previous, [value.slice(0, i).trim()]: value.slice(i + 1) };
}

export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
