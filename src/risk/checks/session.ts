// Trading hours: orders only inside the configured session window (regular or extended) in the exchange's
// time zone, optionally on weekdays only. Applies to every order, reducing ones too: the market is closed.

import { ZoneClock } from '../zoneClock.js';
import { describe, type Check } from './types.js';

/** One clock per zone seen (a handful of exchanges); orders in a row usually share the last one. */
const clocks = new Map<string, ZoneClock>();
let last = new ZoneClock('UTC');

function zoneClock(zone: string): ZoneClock {
  if (zone === last.timeZone) return last;
  let c = clocks.get(zone);
  if (c === undefined) {
    c = new ZoneClock(zone);
    clocks.set(zone, c);
  }
  last = c;
  return c;
}

function hhmm(min: number): string {
  return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

export const checkTradingHours: Check = (req, s, limits) => {
  const w = limits.tradingHours;
  if (w === undefined || s.now === undefined) return null;
  const zone = w.timeZone ?? s.timeZone ?? 'UTC';
  const local = zoneClock(zone);
  const minute = local.minuteOfDay(s.now);
  // 1970-01-01 was a Thursday: day 0 → 4.
  const weekday = (((local.dayKey(s.now) + 4) % 7) + 7) % 7;
  const weekend = w.weekdaysOnly && (weekday === 0 || weekday === 6);
  if (!weekend && minute >= w.startMin && minute < w.endMin) return null;
  const at = `${hhmm(minute)}${weekend ? ' on a weekend' : ''} ${zone}`;
  return { code: 'RISK_TRADING_HOURS', message: `${describe(req)} at ${at} is outside trading hours ${hhmm(w.startMin)}–${hhmm(w.endMin)}` };
};
