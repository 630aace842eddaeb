// The daily summary's clock: local wall time in a zone across DST changes, once a day however late the check.

import { describe, expect, it } from 'vitest';
import { DailyTimer, nextDailyAt } from '../../../src/notify/dailySummary.js';

describe('daily summary timer', () => {
  it('finds the next 16:30 New York time on both sides of a DST change', () => {
    // 2026-03-08 is the spring change: EST (−5) before, EDT (−4) after.
    expect(new Date(nextDailyAt(Date.UTC(2026, 2, 6, 12), '16:30', 'America/New_York')).toISOString()).toBe('2026-03-06T21:30:00.000Z');
    expect(new Date(nextDailyAt(Date.UTC(2026, 2, 6, 22), '16:30', 'America/New_York')).toISOString()).toBe('2026-03-07T21:30:00.000Z');
    expect(new Date(nextDailyAt(Date.UTC(2026, 2, 8, 22), '16:30', 'America/New_York')).toISOString()).toBe('2026-03-09T20:30:00.000Z');
    expect(new Date(nextDailyAt(Date.UTC(2026, 0, 1), '08:00', 'UTC')).toISOString()).toBe('2026-01-01T08:00:00.000Z');
  });

  it('fires once when due, not at a start after today’s time, and moves to the next day', () => {
    let now = Date.UTC(2026, 11, 7, 22); // 17:00 in New York: today's 16:30 has passed
    const fired: number[] = [];
    const t = new DailyTimer('16:30', 'America/New_York', () => now, (ts) => fired.push(ts));
    expect(t.tick()).toBe(false);
    now = Date.UTC(2026, 11, 8, 21, 29);
    expect(t.tick()).toBe(false);
    now = Date.UTC(2026, 11, 8, 23); // checked late
    expect(t.tick()).toBe(true);
    expect(t.tick()).toBe(false);
    expect(fired).toEqual([Date.UTC(2026, 11, 8, 21, 30)]);
    expect(t.nextAt).toBe(Date.UTC(2026, 11, 9, 21, 30));
  });
});
