// State the loss and order-count checks need, kept incrementally: admitted-order times (rate and per-day
// counts) and equity marks (peak, start of day). Days start at midnight in the configured time zone.

import { localDayKey } from '../core/tz.js';

const MINUTE_MS = 60_000;
const SECOND_MS = 1000;

export class OrderCounter {
  /** Admission times of the last minute, oldest first, from `head`. */
  private times: number[] = [];
  private head = 0;
  private day = NaN;
  private today = 0;

  constructor(private dayTimeZone: string) {}

  /** A reconfigured day boundary (takes effect at the next day roll). */
  setDayTimeZone(zone: string): void {
    this.dayTimeZone = zone;
  }

  record(ts: number): void {
    this.rollDay(ts);
    this.today++;
    this.times.push(ts);
  }

  private rollDay(ts: number): void {
    const key = localDayKey(ts, this.dayTimeZone);
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
  counts(now: number): { lastSecond: number; lastMinute: number; today: number } {
    this.prune(now);
    let lastSecond = 0;
    for (let i = this.times.length - 1; i >= this.head && (this.times[i] as number) > now - SECOND_MS; i--) lastSecond++;
    const today = localDayKey(now, this.dayTimeZone) === this.day ? this.today : 0;
    return { lastSecond, lastMinute: this.times.length - this.head, today };
  }
}

export class EquityTracker {
  private peak: number;
  private day = NaN;
  private dayStart: number;
  private lastClose: number;

  constructor(startEquity: number, private dayTimeZone: string) {
    this.peak = startEquity;
    this.dayStart = startEquity;
    this.lastClose = startEquity;
  }

  /** A reconfigured day boundary (takes effect at the next close). */
  setDayTimeZone(zone: string): void {
    this.dayTimeZone = zone;
  }

  /** Equity marked at a time-step close. */
  onClose(ts: number, equity: number): void {
    const key = localDayKey(ts, this.dayTimeZone);
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
    if (Number.isNaN(this.day) || localDayKey(now, this.dayTimeZone) === this.day) return this.dayStart;
    return this.lastClose;
  }
}
