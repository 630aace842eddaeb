// When a scheduled rebalance is due: every N time steps, or at the first close of a new market day, week
// (weeks start on Monday) or month in the configured time zone.

import { localDayKey } from '../../core/tz.js';
import type { AllocationConfig } from './config.js';

const DAY_MS = 86_400_000;

/** The calendar period `ts` falls in (a number that changes when the period does). */
export function periodKey(ts: number, calendar: 'daily' | 'weekly' | 'monthly', timeZone: string): number {
  const day = localDayKey(ts, timeZone);
  if (calendar === 'daily') return day;
  // 1970-01-01 was a Thursday: +3 makes weeks run Monday to Sunday.
  if (calendar === 'weekly') return Math.floor((day + 3) / 7);
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export class RebalanceSchedule {
  private steps = 0;
  private period = NaN;

  constructor(private readonly rule: AllocationConfig['rebalance']) {}

  /** A rebalance happened at `ts`: the counters start again. */
  reset(ts: number): void {
    this.steps = 0;
    if (this.rule.calendar !== undefined) this.period = periodKey(ts, this.rule.calendar, this.rule.timeZone);
  }

  /** A time step closed at `ts`: the reason a rebalance is due, or null. */
  due(ts: number): string | null {
    this.steps++;
    const r = this.rule;
    if (r.everySteps !== undefined && this.steps >= r.everySteps) return `every ${r.everySteps} steps`;
    if (r.calendar !== undefined) {
      const p = periodKey(ts, r.calendar, r.timeZone);
      if (!Number.isNaN(this.period) && p !== this.period) return r.calendar;
      this.period = p;
    }
    return null;
  }
}
