// Market calendars: when a market trades. NYSE: the regular session 9:30–16:00 New York time (13:00 on half
// days), pre-market 4:00–9:30 and after-hours 16:00–20:00, closed on weekends and holidays (nyse.ts). Crypto:
// always open. Pure functions of a timestamp, so backtests ask them about bar times and stay deterministic.

import { zoneOffsetMs } from '../../core/tz.js';
import { isNyseEarlyClose, isNyseTradingDay } from './nyse.js';

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
const NEW_YORK = 'America/New_York';

/** One trading day's times (epoch ms). */
export interface MarketDay {
  /** The date, as 00:00 UTC of it. */
  readonly date: number;
  readonly preOpen: number;
  readonly open: number;
  readonly close: number;
  readonly postClose: number;
  readonly earlyClose: boolean;
}

export interface HoursOptions {
  /** Count pre-market and after-hours as open (default: the regular session only). */
  readonly extended?: boolean;
}

export interface MarketCalendar {
  readonly id: 'nyse' | 'crypto';
  isOpen(ts: number, opts?: HoursOptions): boolean;
  /** The first instant at or after `ts` the market is open: `ts` itself when open. */
  nextOpen(ts: number, opts?: HoursOptions): number;
  /** The end of the session open at `ts`, or of the next one; null for a market that never closes. */
  nextClose(ts: number, opts?: HoursOptions): number | null;
  /** True on dates the market trades at all (the UTC date of `ts`). */
  isTradingDay(ts: number): boolean;
}

/** New York wall time `minute` (since midnight) on the date `date` (00:00 UTC of it), as epoch ms. */
function newYork(date: number, minute: number): number {
  const local = date + minute * MIN_MS;
  // The offset at the instant itself: one correction covers a DST change earlier that day (at 2:00).
  const guess = local - zoneOffsetMs(local, NEW_YORK);
  return local - zoneOffsetMs(guess, NEW_YORK);
}

/** The NYSE day of a date (00:00 UTC of it), or null when it does not trade. */
export function nyseDay(date: number): MarketDay | null {
  const d = Math.floor(date / DAY_MS) * DAY_MS;
  if (!isNyseTradingDay(d)) return null;
  const early = isNyseEarlyClose(d);
  return {
    date: d,
    preOpen: newYork(d, 4 * 60),
    open: newYork(d, 9 * 60 + 30),
    close: newYork(d, early ? 13 * 60 : 16 * 60),
    // Extended trading ends with the early close on half days (17:00 ET); otherwise 20:00.
    postClose: newYork(d, early ? 17 * 60 : 20 * 60),
    earlyClose: early,
  };
}

/** The New York calendar date of `ts`, as 00:00 UTC of that date. */
function newYorkDate(ts: number): number {
  return Math.floor((ts + zoneOffsetMs(ts, NEW_YORK)) / DAY_MS) * DAY_MS;
}

function bounds(day: MarketDay, extended: boolean): [number, number] {
  return extended ? [day.preOpen, day.postClose] : [day.open, day.close];
}

/** Trading days from the New York date of `ts` on (at most a few weeks are ever closed in a row). */
function* daysFrom(ts: number): Generator<MarketDay> {
  let date = newYorkDate(ts);
  for (let i = 0; i < 30; i++, date += DAY_MS) {
    const day = nyseDay(date);
    if (day !== null) yield day;
  }
}

export const nyseCalendar: MarketCalendar = {
  id: 'nyse',
  isOpen(ts, opts) {
    const day = nyseDay(newYorkDate(ts));
    if (day === null) return false;
    const [from, to] = bounds(day, opts?.extended === true);
    return ts >= from && ts < to;
  },
  nextOpen(ts, opts) {
    for (const day of daysFrom(ts)) {
      const [from, to] = bounds(day, opts?.extended === true);
      if (ts < to) return Math.max(ts, from);
    }
    throw new Error(`no NYSE session within 30 days of ${new Date(ts).toISOString()}`);
  },
  nextClose(ts, opts) {
    for (const day of daysFrom(ts)) {
      const [, to] = bounds(day, opts?.extended === true);
      if (ts < to) return to;
    }
    throw new Error(`no NYSE session within 30 days of ${new Date(ts).toISOString()}`);
  },
  isTradingDay: (ts) => isNyseTradingDay(ts),
};

export const cryptoCalendar: MarketCalendar = {
  id: 'crypto',
  isOpen: () => true,
  nextOpen: (ts) => ts,
  nextClose: () => null,
  isTradingDay: () => true,
};

/** Crypto pairs are written with a slash (BTC/USD, as Alpaca and most exchanges do); everything else is NYSE. */
export function calendarFor(symbol: string): MarketCalendar {
  return symbol.includes('/') ? cryptoCalendar : nyseCalendar;
}
