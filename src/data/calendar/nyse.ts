// The NYSE holiday calendar: full-day closures by the exchange's rules (observed Friday/Monday for holidays on
// weekends, except New Year's Day on a Saturday), Juneteenth from 2022, and the unscheduled closures since 2001.
// Used where a daily series' missing weekdays must not count exchange holidays as gaps.

const DAY_MS = 86_400_000;

/** Unscheduled full-day closures (national mourning, storms, 9/11). */
const SPECIAL_CLOSURES = [
  '2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14', '2004-06-11', '2007-01-02',
  '2012-10-29', '2012-10-30', '2018-12-05', '2025-01-09',
];

const utc = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d);

/** The n-th (1-based) given weekday (0 = Sunday) of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n < 0) {
    const last = utc(year, month + 1, 0);
    const back = (new Date(last).getUTCDay() - weekday + 7) % 7;
    return last - back * DAY_MS;
  }
  const first = utc(year, month, 1);
  const ahead = (weekday - new Date(first).getUTCDay() + 7) % 7;
  return first + (ahead + (n - 1) * 7) * DAY_MS;
}

/** Easter Sunday (Gregorian; anonymous algorithm). */
function easter(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return utc(year, month, day);
}

/** A fixed-date holiday moved off the weekend: Saturday → Friday, Sunday → Monday. */
function observed(ts: number): number {
  const wd = new Date(ts).getUTCDay();
  return wd === 6 ? ts - DAY_MS : wd === 0 ? ts + DAY_MS : ts;
}

/** Every full-day NYSE closure of a year, as 00:00 UTC of the date, in date order. */
export function nyseHolidays(year: number): number[] {
  const days: number[] = [];
  const newYear = utc(year, 1, 1);
  // A Saturday New Year's Day is not observed on the Friday before (that is the last trading day of the year).
  if (new Date(newYear).getUTCDay() !== 6) days.push(observed(newYear));
  if (year >= 1998) days.push(nthWeekday(year, 1, 1, 3)); // Martin Luther King Jr. Day
  days.push(nthWeekday(year, 2, 1, 3)); // Washington's Birthday
  days.push(easter(year) - 2 * DAY_MS); // Good Friday
  days.push(nthWeekday(year, 5, 1, -1)); // Memorial Day
  if (year >= 2022) days.push(observed(utc(year, 6, 19))); // Juneteenth
  days.push(observed(utc(year, 7, 4)));
  days.push(nthWeekday(year, 9, 1, 1)); // Labor Day
  days.push(nthWeekday(year, 11, 4, 4)); // Thanksgiving
  days.push(observed(utc(year, 12, 25)));
  for (const d of SPECIAL_CLOSURES) if (d.startsWith(`${year}-`)) days.push(Date.parse(`${d}T00:00:00Z`));
  return [...new Set(days)].sort((a, b) => a - b);
}

const byYear = new Map<number, ReadonlySet<number>>();

/** True when the UTC date of `ts` is a full-day NYSE closure. */
export function isNyseHoliday(ts: number): boolean {
  const day = Math.floor(ts / DAY_MS) * DAY_MS;
  const year = new Date(day).getUTCFullYear();
  let set = byYear.get(year);
  if (set === undefined) {
    set = new Set(nyseHolidays(year));
    byYear.set(year, set);
  }
  return set.has(day);
}

/** True on weekdays the NYSE is open (full or early close). */
export function isNyseTradingDay(ts: number): boolean {
  const wd = new Date(ts).getUTCDay();
  return wd !== 0 && wd !== 6 && !isNyseHoliday(ts);
}

/**
 * Scheduled early (13:00 ET) closes: the day before Independence Day when July 4 falls Tuesday–Friday, the day
 * after Thanksgiving, and Christmas Eve when Christmas falls Tuesday–Friday. (On other years the eve is a
 * weekend or itself the observed holiday.) As 00:00 UTC of the date.
 */
export function nyseEarlyCloses(year: number): number[] {
  const days: number[] = [];
  const july3 = utc(year, 7, 3);
  const wdJuly3 = new Date(july3).getUTCDay();
  if (wdJuly3 >= 1 && wdJuly3 <= 4) days.push(july3);
  days.push(nthWeekday(year, 11, 4, 4) + DAY_MS);
  const eve = utc(year, 12, 24);
  const wdEve = new Date(eve).getUTCDay();
  if (wdEve >= 1 && wdEve <= 4) days.push(eve);
  return days.sort((a, b) => a - b);
}

const earlyByYear = new Map<number, ReadonlySet<number>>();

/** True when the UTC date of `ts` is an NYSE half day (close at 13:00 ET). */
export function isNyseEarlyClose(ts: number): boolean {
  const day = Math.floor(ts / DAY_MS) * DAY_MS;
  const year = new Date(day).getUTCFullYear();
  let set = earlyByYear.get(year);
  if (set === undefined) {
    set = new Set(nyseEarlyCloses(year));
    earlyByYear.set(year, set);
  }
  return set.has(day);
}
