// The market calendars on dates the NYSE has published (holidays and early closes 2024–2027, from its
// holiday page): regular and extended hours across DST changes, half days, weekends and holidays, and crypto.

import { describe, expect, it } from 'vitest';
import { calendarFor, cryptoCalendar, nyseCalendar, nyseDay } from '../../../../src/data/calendar/marketCalendar.js';
import { nyseEarlyCloses, nyseHolidays } from '../../../../src/data/calendar/nyse.js';

const iso = (ts: number | null): string | null => (ts === null ? null : new Date(ts).toISOString());
const dates = (list: number[]): string[] => list.map((t) => new Date(t).toISOString().slice(0, 10));
const at = (s: string): number => Date.parse(s);

describe('NYSE holidays and half days as published', () => {
  it('lists the 2026 and 2027 closures', () => {
    expect(dates(nyseHolidays(2026))).toEqual(['2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25']);
    expect(dates(nyseHolidays(2027))).toEqual(['2027-01-01', '2027-01-18', '2027-02-15', '2027-03-26', '2027-05-31', '2027-06-18', '2027-07-05', '2027-09-06', '2027-11-25', '2027-12-24']);
  });

  it('lists the early closes 2024–2027', () => {
    expect(dates(nyseEarlyCloses(2024))).toEqual(['2024-07-03', '2024-11-29', '2024-12-24']);
    expect(dates(nyseEarlyCloses(2025))).toEqual(['2025-07-03', '2025-11-28', '2025-12-24']);
    // 2026: July 3 is the observed holiday itself; Christmas Eve is a Thursday.
    expect(dates(nyseEarlyCloses(2026))).toEqual(['2026-11-27', '2026-12-24']);
    // 2027: July 4 is a Sunday, Christmas Eve the observed holiday.
    expect(dates(nyseEarlyCloses(2027))).toEqual(['2027-11-26']);
  });
});

describe('nyseCalendar', () => {
  it('gives a day its hours in New York time, in winter and in summer', () => {
    const winter = nyseDay(at('2026-12-07T00:00:00Z'));
    expect([winter?.preOpen, winter?.open, winter?.close, winter?.postClose].map((t) => iso(t ?? null))).toEqual([
      '2026-12-07T09:00:00.000Z', '2026-12-07T14:30:00.000Z', '2026-12-07T21:00:00.000Z', '2026-12-08T01:00:00.000Z',
    ]);
    const summer = nyseDay(at('2026-07-06T00:00:00Z'));
    expect(iso(summer?.open ?? null)).toBe('2026-07-06T13:30:00.000Z');
    expect(iso(summer?.close ?? null)).toBe('2026-07-06T20:00:00.000Z');
    expect(nyseDay(at('2026-07-03T00:00:00Z'))).toBeNull();
    // The Monday after the spring DST change (2026-03-08).
    expect(iso(nyseDay(at('2026-03-09T00:00:00Z'))?.open ?? null)).toBe('2026-03-09T13:30:00.000Z');
  });

  it('is open in the regular session only, unless extended hours are asked for', () => {
    expect(nyseCalendar.isOpen(at('2026-12-07T14:29:59Z'))).toBe(false);
    expect(nyseCalendar.isOpen(at('2026-12-07T14:30:00Z'))).toBe(true);
    expect(nyseCalendar.isOpen(at('2026-12-07T20:59:59Z'))).toBe(true);
    expect(nyseCalendar.isOpen(at('2026-12-07T21:00:00Z'))).toBe(false);
    expect(nyseCalendar.isOpen(at('2026-12-07T09:00:00Z'), { extended: true })).toBe(true);
    expect(nyseCalendar.isOpen(at('2026-12-07T08:59:00Z'), { extended: true })).toBe(false);
    expect(nyseCalendar.isOpen(at('2026-12-08T00:59:00Z'), { extended: true })).toBe(true);
    expect(nyseCalendar.isOpen(at('2026-12-08T01:00:00Z'), { extended: true })).toBe(false);
    // Saturday, and Thanksgiving 2027 at noon.
    expect(nyseCalendar.isOpen(at('2026-12-12T16:00:00Z'))).toBe(false);
    expect(nyseCalendar.isOpen(at('2027-11-25T17:00:00Z'), { extended: true })).toBe(false);
  });

  it('closes at 13:00 on half days (after-hours until 17:00)', () => {
    // 2026-11-27, day after Thanksgiving, EST.
    expect(nyseCalendar.isOpen(at('2026-11-27T17:59:00Z'))).toBe(true);
    expect(nyseCalendar.isOpen(at('2026-11-27T18:00:00Z'))).toBe(false);
    expect(iso(nyseCalendar.nextClose(at('2026-11-27T15:00:00Z')))).toBe('2026-11-27T18:00:00.000Z');
    expect(iso(nyseCalendar.nextClose(at('2026-11-27T15:00:00Z'), { extended: true }))).toBe('2026-11-27T22:00:00.000Z');
    // 2025-07-03, EDT.
    expect(iso(nyseCalendar.nextClose(at('2025-07-03T14:00:00Z')))).toBe('2025-07-03T17:00:00.000Z');
  });

  it('finds the next open and close across weekends and holidays', () => {
    // Friday 2026-07-02 after the close: July 3 is the observed holiday, then the weekend.
    expect(iso(nyseCalendar.nextOpen(at('2026-07-02T21:00:00Z')))).toBe('2026-07-06T13:30:00.000Z');
    expect(iso(nyseCalendar.nextClose(at('2026-07-02T21:00:00Z')))).toBe('2026-07-06T20:00:00.000Z');
    expect(iso(nyseCalendar.nextOpen(at('2026-07-02T21:00:00Z'), { extended: true }))).toBe('2026-07-02T21:00:00.000Z');
    // Open now: nextOpen is now, nextClose today's close.
    expect(iso(nyseCalendar.nextOpen(at('2026-12-07T15:00:00Z')))).toBe('2026-12-07T15:00:00.000Z');
    expect(iso(nyseCalendar.nextClose(at('2026-12-07T15:00:00Z')))).toBe('2026-12-07T21:00:00.000Z');
    // Christmas 2027 (observed Friday 24th) and New Year 2028 (a Saturday, not observed).
    expect(iso(nyseCalendar.nextOpen(at('2027-12-23T21:30:00Z')))).toBe('2027-12-27T14:30:00.000Z');
    expect(iso(nyseCalendar.nextOpen(at('2027-12-31T21:30:00Z')))).toBe('2028-01-03T14:30:00.000Z');
    // Early in the morning UTC is still the previous New York evening.
    expect(iso(nyseCalendar.nextOpen(at('2026-12-08T00:30:00Z')))).toBe('2026-12-08T14:30:00.000Z');
  });
});

describe('crypto calendar', () => {
  it('is always open and never closes; pairs with a slash use it', () => {
    expect(cryptoCalendar.isOpen(at('2026-12-25T03:00:00Z'))).toBe(true);
    expect(cryptoCalendar.nextOpen(123)).toBe(123);
    expect(cryptoCalendar.nextClose(123)).toBeNull();
    expect(calendarFor('BTC/USD').id).toBe('crypto');
    expect(calendarFor('AAPL').id).toBe('nyse');
  });
});
