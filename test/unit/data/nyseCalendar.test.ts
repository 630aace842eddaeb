// The NYSE holiday calendar against the exchange's published closures for 2020–2027, and `data gaps`'
// expectation for daily bars that skips them.

import { describe, expect, it } from 'vitest';
import { isNyseHoliday, isNyseTradingDay, nyseHolidays } from '../../../src/data/calendar/nyse.js';
import { parseTimeframe, type TimeframeSpec } from '../../../src/model/timeframe.js';
import { expectedBetween } from '../../../src/persistence/barGaps.js';

/** Full-day closures as published by the NYSE (nyse.com/markets/hours-calendars), incl. 2025-01-09 (President Carter). */
const PUBLISHED: Record<number, string[]> = {
  2020: ['01-01', '01-20', '02-17', '04-10', '05-25', '07-03', '09-07', '11-26', '12-25'],
  2021: ['01-01', '01-18', '02-15', '04-02', '05-31', '07-05', '09-06', '11-25', '12-24'],
  2022: ['01-17', '02-21', '04-15', '05-30', '06-20', '07-04', '09-05', '11-24', '12-26'],
  2023: ['01-02', '01-16', '02-20', '04-07', '05-29', '06-19', '07-04', '09-04', '11-23', '12-25'],
  2024: ['01-01', '01-15', '02-19', '03-29', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
  2025: ['01-01', '01-09', '01-20', '02-17', '04-18', '05-26', '06-19', '07-04', '09-01', '11-27', '12-25'],
  2026: ['01-01', '01-19', '02-16', '04-03', '05-25', '06-19', '07-03', '09-07', '11-26', '12-25'],
  2027: ['01-01', '01-18', '02-15', '03-26', '05-31', '06-18', '07-05', '09-06', '11-25', '12-24'],
};

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const D1 = parseTimeframe('1d') as TimeframeSpec;

describe('NYSE holiday calendar', () => {
  it.each(Object.entries(PUBLISHED))('matches the published closures of %s', (year, dates) => {
    const got = nyseHolidays(Number(year)).map((t) => new Date(t).toISOString().slice(5, 10));
    expect(got).toEqual(dates);
  });

  it('answers per day, at any time of that day', () => {
    expect(isNyseHoliday(day('2024-11-28') + 15 * 3_600_000)).toBe(true);
    expect(isNyseHoliday(day('2024-11-29'))).toBe(false); // early close, still a trading day
    expect(isNyseTradingDay(day('2022-01-03'))).toBe(true);
    expect(isNyseTradingDay(day('2021-12-31'))).toBe(true); // New Year's Day 2022 fell on a Saturday: not observed
    expect(isNyseTradingDay(day('2026-07-04'))).toBe(false); // Saturday
  });
});

describe('daily gaps', () => {
  it('do not count exchange holidays as missing bars (calendar none: every weekday)', () => {
    // Wed 2024-11-27 → Mon 2024-12-02: Thanksgiving is a holiday, Friday the 29th a trading day.
    expect(expectedBetween(D1, day('2024-11-27'), day('2024-12-02'))).toBe(1);
    expect(expectedBetween(D1, day('2024-11-27'), day('2024-12-02'), 'none')).toBe(2);
    // Tue 2024-12-24 → Thu 2024-12-26: Christmas only.
    expect(expectedBetween(D1, day('2024-12-24'), day('2024-12-26'))).toBe(0);
  });
});
