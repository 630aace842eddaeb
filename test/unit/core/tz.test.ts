// Exchange-local calendar helpers, checked across daylight-saving changes in America/New_York
// (2024-03-10 07:00Z: −5 h → −4 h; 2024-11-03 06:00Z: −4 h → −5 h).

import { describe, expect, it } from 'vitest';
import { localDayKey, localMinuteOfDay, parseClockTime, zoneOffsetMs } from '../../../src/core/tz.js';

const NY = 'America/New_York';
const HOUR = 3_600_000;
const DAY = 86_400_000;
const dayKey = (y: number, m: number, d: number): number => Date.UTC(y, m, d) / DAY;

describe('zoneOffsetMs', () => {
  it('New York is −5 h before the March change and −4 h from its first instant', () => {
    expect(zoneOffsetMs(Date.UTC(2024, 2, 10, 6, 59, 59), NY)).toBe(-5 * HOUR);
    expect(zoneOffsetMs(Date.UTC(2024, 2, 10, 7), NY)).toBe(-4 * HOUR);
  });

  it('New York is −4 h before the November change and −5 h after', () => {
    expect(zoneOffsetMs(Date.UTC(2024, 10, 3, 5, 59), NY)).toBe(-4 * HOUR);
    expect(zoneOffsetMs(Date.UTC(2024, 10, 3, 6), NY)).toBe(-5 * HOUR);
  });

  it('UTC is 0 and fixed half-hour zones keep their half hour', () => {
    expect(zoneOffsetMs(Date.UTC(2024, 5, 1), 'UTC')).toBe(0);
    expect(zoneOffsetMs(Date.UTC(2024, 5, 1), 'Etc/UTC')).toBe(0);
    expect(zoneOffsetMs(Date.UTC(2024, 5, 1, 12, 40), 'Asia/Kolkata')).toBe(5.5 * HOUR);
  });

  it('gives the same answer on repeated (cached) calls', () => {
    const t = Date.UTC(2024, 2, 10, 7, 30);
    expect(zoneOffsetMs(t, NY)).toBe(zoneOffsetMs(t, NY));
    expect(zoneOffsetMs(t + 1, NY)).toBe(-4 * HOUR);
  });

  // Regression (fixed): offsets are computed at the start of the UTC hour and cached for the whole hour, but zones with
  // half-hour offsets change at half past a UTC hour: Australia/Adelaide moves from +9:30 to +10:30 at
  // 2024-10-05 16:30Z, so 16:45Z (local 03:15) gets +9:30 and localMinuteOfDay says 02:15, a time that does
  // not exist there. Same for America/St_Johns (05:30Z) and Australia/Lord_Howe.
  it('follows a change that happens at half past a UTC hour (Australia/Adelaide)', () => {
    const t = Date.UTC(2024, 9, 5, 16, 45);
    expect(zoneOffsetMs(t, 'Australia/Adelaide')).toBe(10.5 * HOUR);
    expect(localMinuteOfDay(t, 'Australia/Adelaide')).toBe(3 * 60 + 15);
  });
});

describe('localDayKey', () => {
  it('a New York evening belongs to its local day, not the UTC day (before the change)', () => {
    // 2024-03-10 04:59Z = 23:59 EST on March 9; 05:00Z = 00:00 EST on March 10.
    expect(localDayKey(Date.UTC(2024, 2, 10, 4, 59), NY)).toBe(dayKey(2024, 2, 9));
    expect(localDayKey(Date.UTC(2024, 2, 10, 5), NY)).toBe(dayKey(2024, 2, 10));
  });

  it('local midnight moves to 04:00Z after the change', () => {
    // 2024-03-11 03:59Z = 23:59 EDT on March 10; 04:00Z = 00:00 EDT on March 11.
    expect(localDayKey(Date.UTC(2024, 2, 11, 3, 59), NY)).toBe(dayKey(2024, 2, 10));
    expect(localDayKey(Date.UTC(2024, 2, 11, 4), NY)).toBe(dayKey(2024, 2, 11));
  });

  it('in UTC is the UTC calendar day', () => {
    expect(localDayKey(Date.UTC(2024, 2, 10, 23, 59), 'UTC')).toBe(dayKey(2024, 2, 10));
  });

  it('works before 1970', () => {
    expect(localDayKey(Date.UTC(1969, 11, 31, 12), 'UTC')).toBe(-1);
  });
});

describe('localMinuteOfDay', () => {
  it('the 09:30 New York open is minute 570 on both sides of the change', () => {
    expect(localMinuteOfDay(Date.UTC(2024, 2, 8, 14, 30), NY)).toBe(570); // Friday, EST
    expect(localMinuteOfDay(Date.UTC(2024, 2, 11, 13, 30), NY)).toBe(570); // Monday, EDT
  });

  it('the 16:00 close is minute 960 on both sides of the November change', () => {
    expect(localMinuteOfDay(Date.UTC(2024, 10, 1, 20), NY)).toBe(960); // EDT
    expect(localMinuteOfDay(Date.UTC(2024, 10, 4, 21), NY)).toBe(960); // EST
  });

  it('is within [0, 1440) for times before 1970', () => {
    expect(localMinuteOfDay(Date.UTC(1969, 11, 31, 23, 59), 'UTC')).toBe(1439);
  });
});

describe('parseClockTime', () => {
  it('parses H:MM and HH:MM to minutes since midnight', () => {
    expect([parseClockTime('09:30'), parseClockTime('9:30'), parseClockTime(' 16:00 '), parseClockTime('00:00'), parseClockTime('23:59')]).toEqual([
      570, 570, 960, 0, 1439,
    ]);
  });

  it('returns NaN for malformed or out-of-range times', () => {
    for (const t of ['24:00', '12:60', '9', '9:5', 'abc', '', '12:30:00', '-1:00']) expect(parseClockTime(t)).toBeNaN();
  });
});
