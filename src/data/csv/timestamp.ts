// Timestamps straight from bytes: YYYY-MM-DD (fast path), YYYY/MM/DD, YYYYMMDD, date-times with T or a
// space and an optional Z / ±HH[:MM] offset, and epoch seconds or milliseconds; arithmetic only, no Date or regex.

import { DecimalParser } from './decimal.js';

export const DAY_MS = 86_400_000;
/** Epoch numbers below this are seconds (up to year 5138), above it milliseconds (from 1973-03-03). */
const EPOCH_SECONDS_LIMIT = 1e11;

const DASH = 45;
const SLASH = 47;
const COLON = 58;
const DOT = 46;
const SPACE = 32;
const UPPER_T = 84;
const LOWER_T = 116;
const UPPER_Z = 90;
const LOWER_Z = 122;
const PLUS = 43;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1] ?? 0;
}

/** Value of `n` decimal digits at `buf[i]`, or -1 when any of them is not a digit (or is past the end). */
function readDigits(buf: Uint8Array, i: number, n: number): number {
  let value = 0;
  for (let k = 0; k < n; k++) {
    const c = (buf[i + k] as number) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    value = value * 10 + c;
  }
  return value;
}

/** Day number of a validated calendar date; NaN when the parts are not a real date. */
function civilDays(year: number, month: number, day: number): number {
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  return daysFromCivil(year, month, day);
}

/** YYYY-MM-DD or YYYY/MM/DD at `start` (the separators are already checked). */
function isoDays(buf: Uint8Array, start: number): number {
  return civilDays(readDigits(buf, start, 4), readDigits(buf, start + 5, 2), readDigits(buf, start + 8, 2));
}

/** YYYYMMDD at `start`. */
function compactDays(buf: Uint8Array, start: number): number {
  return civilDays(readDigits(buf, start, 4), readDigits(buf, start + 4, 2), readDigits(buf, start + 6, 2));
}

function isDateSeparator(c: number | undefined): boolean {
  return c === DASH || c === SLASH;
}

/** Reusable parser; `local` and `clockEnd` are fields so the per-row path allocates nothing. */
export class TimestampParser {
  /** True when the last `parse` read a wall-clock date-time without an offset: it is in the file's zone. */
  local = false;
  private clockEnd = 0;
  private readonly epoch = new DecimalParser();

  /**
   * Epoch ms of `buf[start, end)`, NaN when unparseable. Date-only text maps to 00:00 UTC of that date;
   * a wall-clock date-time is returned as if it were UTC, with `local` set for the caller to convert.
   */
  parse(buf: Uint8Array, start: number, end: number): number {
    this.local = false;
    const len = end - start;
    const sep = buf[start + 4];
    if (len >= 10 && isDateSeparator(sep) && buf[start + 7] === sep) {
      const days = isoDays(buf, start);
      if (len === 10 || days !== days) return days * DAY_MS;
      return this.parseDateTimeRest(buf, start + 10, end, days * DAY_MS);
    }
    if (len === 8) return compactDays(buf, start) * DAY_MS;
    return this.parseEpoch(buf, start, end);
  }

  /** A date-only column (of a separate Date + Time pair): 00:00 UTC of the date, NaN when not a date. */
  parseDate(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    const sep = buf[start + 4];
    if (len === 10 && isDateSeparator(sep) && buf[start + 7] === sep) return isoDays(buf, start) * DAY_MS;
    if (len === 8) return compactDays(buf, start) * DAY_MS;
    return NaN;
  }

  /** A time-of-day column, H:MM[:SS[.fff]], as ms since midnight; NaN when malformed. */
  parseTimeOfDay(buf: Uint8Array, start: number, end: number): number {
    const ms = this.parseClock(buf, start, end);
    return this.clockEnd === end ? ms : NaN;
  }

  private parseDateTimeRest(buf: Uint8Array, i: number, end: number, dayMs: number): number {
    const sep = buf[i];
    if (sep !== UPPER_T && sep !== LOWER_T && sep !== SPACE) return NaN;
    const clock = this.parseClock(buf, i + 1, end);
    if (clock !== clock) return NaN;
    if (this.clockEnd === end) {
      this.local = true;
      return dayMs + clock;
    }
    return dayMs + clock - parseOffset(buf, this.clockEnd, end);
  }

  /** H:MM or HH:MM, then optional :SS and .fraction; sets `clockEnd` to the index after the time. */
  private parseClock(buf: Uint8Array, start: number, end: number): number {
    this.clockEnd = -1;
    const hourDigits = buf[start + 1] === COLON ? 1 : 2;
    const hour = readDigits(buf, start, hourDigits);
    let i = start + hourDigits;
    if (buf[i] !== COLON || i + 3 > end) return NaN;
    const minute = readDigits(buf, i + 1, 2);
    i += 3;
    let second = 0;
    let fractionMs = 0;
    if (i < end && buf[i] === COLON) {
      second = i + 3 <= end ? readDigits(buf, i + 1, 2) : -1;
      i += 3;
      if (i < end && buf[i] === DOT) {
        const from = ++i;
        let scale = 100;
        for (let c = (buf[i] as number) - 48; i < end && c >= 0 && c <= 9; c = (buf[++i] as number) - 48) {
          fractionMs += c * scale;
          scale /= 10;
        }
        if (i === from) return NaN;
      }
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
    this.clockEnd = i;
    return hour * 3_600_000 + minute * 60_000 + second * 1000 + Math.round(fractionMs);
  }

  /** Digits with an optional fraction: seconds or milliseconds by magnitude, always a UTC instant. */
  private parseEpoch(buf: Uint8Array, start: number, end: number): number {
    const c = (buf[start] as number) - 48;
    if (!(c >= 0 && c <= 9)) return NaN;
    const value = this.epoch.parse(buf, start, end);
    return value < EPOCH_SECONDS_LIMIT ? Math.round(value * 1000) : Math.round(value);
  }
}

/** `Z`, `±HH`, `±HHMM` or `±HH:MM` filling `buf[i, end)`, as ms east of UTC; NaN otherwise. */
function parseOffset(buf: Uint8Array, i: number, end: number): number {
  const c = buf[i];
  if (c === UPPER_Z || c === LOWER_Z) return i + 1 === end ? 0 : NaN;
  if (c !== PLUS && c !== DASH) return NaN;
  const len = end - i - 1;
  const hours = readDigits(buf, i + 1, 2);
  let minutes = 0;
  if (len === 4) minutes = readDigits(buf, i + 3, 2);
  else if (len === 5 && buf[i + 3] === COLON) minutes = readDigits(buf, i + 4, 2);
  else if (len !== 2) return NaN;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return NaN;
  const ms = hours * 3_600_000 + minutes * 60_000;
  return c === PLUS ? ms : -ms;
}
