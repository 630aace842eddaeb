// Exchange-session helpers for intraday strategies: validated session times in exchange-local minutes, and
// flattening a symbol (cancel working orders first, so no bracket leg can fill after the exit).

import { isTimeZone, parseClockTime } from '../core/tz.js';
import type { StrategyContext } from './api.js';
import { paramError } from './params.js';

export interface SessionParams {
  readonly timeZone: string;
  readonly sessionStart: string;
  readonly sessionEnd: string;
  readonly exitBeforeCloseMinutes: number;
}

/** The parameters every intraday session strategy takes: where the session is and when it opens and closes. */
export const SESSION_CLOCK_PARAMS = {
  timeZone: { type: 'string', default: 'America/New_York', description: 'IANA time zone of the exchange session' },
  sessionStart: { type: 'string', default: '09:30', description: 'session open, exchange-local HH:MM' },
  sessionEnd: { type: 'string', default: '16:00', description: 'session close, exchange-local HH:MM' },
} as const;

/** How long before the close such a strategy is flat. */
export const EXIT_BEFORE_CLOSE_PARAM = {
  type: 'int',
  default: 5,
  min: 0,
  max: 1439,
  description: 'flat from the first bar closing this many minutes before sessionEnd',
} as const;

/** Session times as exchange-local minutes since midnight. */
export interface SessionBounds {
  readonly start: number;
  readonly end: number;
  /** sessionEnd − exitBeforeCloseMinutes: positions are flat by here. */
  readonly exit: number;
}

function clockParam(strategyId: string, name: string, text: string): number {
  const minutes = parseClockTime(text);
  if (Number.isNaN(minutes)) throw paramError(strategyId, name, `${JSON.stringify(text)} is not a time of day (HH:MM, 00:00–23:59)`);
  return minutes;
}

function checkTimeZone(strategyId: string, timeZone: string): void {
  if (!isTimeZone(timeZone)) throw paramError(strategyId, 'timeZone', `${JSON.stringify(timeZone)} is not an IANA time zone (e.g. America/New_York)`);
}

/** Validates the session parameters; throws PI5_ERR_BAD_PARAM naming the bad one. */
export function sessionBounds(strategyId: string, p: SessionParams): SessionBounds {
  checkTimeZone(strategyId, p.timeZone);
  const start = clockParam(strategyId, 'sessionStart', p.sessionStart);
  const end = clockParam(strategyId, 'sessionEnd', p.sessionEnd);
  if (end <= start) throw paramError(strategyId, 'sessionEnd', `${p.sessionEnd} is not after sessionStart ${p.sessionStart}`);
  return { start, end, exit: end - p.exitBeforeCloseMinutes };
}

/**
 * The exchange-local minute `minutes` after the session start (the end of an opening range, of a warm-up), which
 * must come before the exit time; throws PI5_ERR_BAD_PARAM naming the parameter `name` otherwise.
 */
export function minuteIntoSession(strategyId: string, bounds: SessionBounds, name: string, minutes: number, what: string): number {
  const at = bounds.start + minutes;
  if (at >= bounds.exit) throw paramError(strategyId, name, `${minutes}: ${what} must end before the exit time (sessionEnd − exitBeforeCloseMinutes)`);
  return at;
}

/** Cancels working orders (bracket legs, an unfilled entry), then closes the position. */
export function flatten(ctx: StrategyContext, symbol: string, tag: string): void {
  if (ctx.openOrders(symbol).length > 0) ctx.cancelAll(symbol);
  if (ctx.position(symbol) !== 0) ctx.close(symbol, tag);
}
