// Local day and minute of one time zone for the per-order checks (trading hours, day boundaries). The zone's
// offset is the one core/tz gives, remembered for the current UTC quarter hour (offsets only change at :00,
// :15, :30 or :45), so consecutive orders skip the string key and map lookup of the shared offset cache.

import { zoneOffsetMs } from '../core/tz.js';

const QUARTER_MS = 900_000;
const DAY_MS = 86_400_000;

export class ZoneClock {
  private quarter = NaN;
  private offsetMs = 0;

  constructor(readonly timeZone: string) {}

  private offset(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_MS);
    if (quarter !== this.quarter) {
      this.offsetMs = zoneOffsetMs(ts, this.timeZone);
      this.quarter = quarter;
    }
    return this.offsetMs;
  }

  /** Same as localDayKey(ts, timeZone). */
  dayKey(ts: number): number {
    return Math.floor((ts + this.offset(ts)) / DAY_MS);
  }

  /** Same as localMinuteOfDay(ts, timeZone). */
  minuteOfDay(ts: number): number {
    const local = ts + this.offset(ts);
    return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
  }
}
