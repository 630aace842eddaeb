// Parsing of CLI values shared by commands: key=value params, numbers, lists (dates live in core/dates.ts,
// shared with the API). Errors are PI5_ERR_BAD_USAGE naming the flag.

import { Pi5Error } from '../core/errors.js';

export { parseDateOption } from '../core/dates.js';

function bad(flag: string, message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `${flag}: ${message}`, { flag });
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
