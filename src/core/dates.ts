// Date bounds as users type them (CLI flags, API query and body fields, config): YYYY-MM-DD or ISO 8601, to
// epoch ms. Errors are PI5_ERR_BAD_USAGE naming the field, so every edge reports a bad date the same way.

import { Pi5Error } from './errors.js';

const DAY_MS = 86_400_000;

function bad(field: string, message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `${field}: ${message}`, { flag: field });
}

/** A date or date-time; `endOfDay` makes a date-only value cover its whole day (inclusive ranges). */
export function parseDateOption(field: string, text: string, endOfDay: boolean): number {
  const t = text.trim();
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (d) {
    const start = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== t) throw bad(field, `${JSON.stringify(text)} is not a valid date`);
    return endOfDay ? start + DAY_MS - 1 : start;
  }
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? t : t + 'Z');
  if (!/^\d{4}-\d{2}-\d{2}[T ]/.test(t) || Number.isNaN(ms)) throw bad(field, `${JSON.stringify(text)} is not a date (YYYY-MM-DD) or ISO 8601 time`);
  return ms;
}
