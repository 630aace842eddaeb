// State the loss and order-count checks need, kept incrementally: admitted-order times (rate and per-day
// counts) and equity marks (peak, start of day). Days start at midnight in the configured time zone.

import { ZoneClock } from './zoneClock.js';

const MINUTE_MS = 60_000;
const SECOND_MS = 1000;

export interface OrderCounts {
  lastSecond: number;
  lastMinute: number;
  today: number;
}

export class OrderCounter {
  /** Admission times of the last minute, oldest first, from `head`. */
  private times: number[] = [];
  private head = 0;
  private day = NaN;
  private today = 0;
  private zone: ZoneClock;

  constructor(dayTimeZone: string) {
    this.zone = new ZoneClock(dayTimeZone);
  }

  /** A reconfigured day boundary (takes effect at the next day roll). */
  setDayTimeZone(zone: string): void {
    if (zone !== this.zone.timeZone) this.zone = new ZoneClock(zone);
  }

  record(ts: number): void {
    this.rollDay(ts);
    this.today++;
    this.times.push(ts);
  }

  private rollDay(ts: number): void {
    const key = this.zone.dayKey(ts);
    if (key !== this.day) {
      this.day = key;
      this.today = 0;
    }
  }

  private prune(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - MINUTE_MS) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** Orders admitted in (now − 1 s, now], (now − 1 min, now] and since the start of now's day. */
  counts(now: number): OrderCounts {
    return this.countInto(now, { lastSecond: 0, lastMinute: 0, today: 0 });
  }

  /** counts() written into `out` (the order path reuses one object rather than allocating per order). */
  countInto<T extends OrderCounts>(now: number, out: T): T {
    this.prune(now);
    let lastSecond = 0;
    for (let i = this.times.length - 1; i >= this.head && (this.times[i] as number) > now - SECOND_MS; i--) lastSecond++;
    out.lastSecond = lastSecond;
    out.lastMinute = this.times.length - this.head;
    out.today = this.zone.dayKey(now) === this.day ? this.today : 0;
    return out;
  }
}

export class EquityTracker {
  private peak: number;
  private day = NaN;
  private dayStart: number;
  private lastClose: number;
  private zone: ZoneClock;

  constructor(startEquity: number, dayTimeZone: string) {
    this.peak = startEquity;
    this.dayStart = startEquity;
    this.lastClose = startEquity;
    this.zone = new ZoneClock(dayTimeZone);
  }

  /** A reconfigured day boundary (takes effect at the next close). */
  setDayTimeZone(zone: string): void {
    if (zone !== this.zone.timeZone) this.zone = new ZoneClock(zone);
  }

  /** Equity marked at a time-step close. */
  onClose(ts: number, equity: number): void {
    const key = this.zone.dayKey(ts);
    if (key !== this.day) {
      // The first close of a day: the day started from the previous close.
      if (!Number.isNaN(this.day)) this.dayStart = this.lastClose;
      this.day = key;
    }
    this.lastClose = equity;
    if (equity > this.peak) this.peak = equity;
  }

  get peakEquity(): number {
    return this.peak;
  }

  /** Equity at the start of now's day: the last close before it (the starting equity on the first day). */
  dayStartEquity(now: number): number {
    if (Number.isNaN(this.day) || this.zone.dayKey(now) === this.day) return this.dayStart;
    return this.lastClose;
  }
}
