// The daily summary's clock: due once a day at a local time (HH:MM in a time zone, DST-aware through core/tz).
// A start after today's time waits for tomorrow's; the clock is injected and `tick()` is what the timer calls.

import { localDayKey, parseClockTime, zoneOffsetMs } from '../core/tz.js';

const DAY_MS = 86_400_000;

/** The first instant at or after `from` when the local clock in `timeZone` reads `at`. */
export function nextDailyAt(from: number, at: string, timeZone: string): number {
  const minute = parseClockTime(at);
  let day = localDayKey(from, timeZone);
  for (;;) {
    const localMs = day * DAY_MS + minute * 60_000;
    // The offset at the target itself (a DST change between now and then moves it by an hour).
    const guess = localMs - zoneOffsetMs(localMs, timeZone);
    const ts = localMs - zoneOffsetMs(guess, timeZone);
    if (ts >= from) return ts;
    day++;
  }
}

export class DailyTimer {
  private due: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly at: string,
    private readonly timeZone: string,
    private readonly now: () => number,
    private readonly fire: (ts: number) => void,
  ) {
    this.due = nextDailyAt(now() + 1, at, timeZone);
  }

  get nextAt(): number {
    return this.due;
  }

  /** Fires when due (once, however late the check) and moves to the next day; true when it fired. */
  tick(): boolean {
    const t = this.now();
    if (t < this.due) return false;
    this.fire(this.due);
    this.due = nextDailyAt(t + 1, this.at, this.timeZone);
    return true;
  }

  /** Checks every checkMs (a minute); the timer does not keep the process alive. */
  start(checkMs = 30_000): void {
    this.timer ??= setInterval(() => this.tick(), checkMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
