// A request budget shared by every process using the same cache: Cache.hit() counts fixed windows
// (atomically in Redis when REDIS_URL is set, in memory otherwise). acquire() waits for a free slot rather
// than failing, unless the wait would exceed maxWaitMs (a spent daily budget), which fails fast instead.

import { Pi5Error } from '../../../core/errors.js';
import type { Cache } from '../../../cache/types.js';

export interface RateBudget {
  /** Names the window in keys and messages: 'min', 'day'. */
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
}

export interface RequestLimiter {
  /** Resolves once one request may be sent; `label` ('alphavantage AAPL') names the caller in errors. */
  acquire(label: string): Promise<void>;
}

export interface SharedRateLimiterOptions {
  /** Key namespace, e.g. 'ratelimit:alphavantage'; limiters with the same key share one budget. */
  readonly key: string;
  /** Checked in order; put the longest window first, so a spent day budget fails before a minute slot is taken. */
  readonly budgets: readonly RateBudget[];
  /** Longest single wait before giving up with PI5_ERR_RATE_LIMITED. Default 65 s (a minute window and slack). */
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Slack after a window's end, so the next hit lands in the new window despite clock granularity. */
const SLACK_MS = 5;

export class SharedRateLimiter implements RequestLimiter {
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly cache: Cache,
    private readonly opts: SharedRateLimiterOptions,
  ) {
    this.maxWaitMs = opts.maxWaitMs ?? 65_000;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  async acquire(label: string): Promise<void> {
    for (const b of this.opts.budgets) await this.take(b, label);
  }

  private async take(b: RateBudget, label: string): Promise<void> {
    const key = `${this.opts.key}:${b.name}`;
    for (;;) {
      const r = await this.cache.hit(key, b.limit, b.windowMs);
      if (r.allowed) return;
      if (r.resetMs > this.maxWaitMs) {
        const at = Math.round(r.resetMs / 1000);
        throw new Pi5Error('PI5_ERR_RATE_LIMITED', `${label}: request budget of ${b.limit} per ${b.name} is used up; it frees in ${at} s`, { key, limit: b.limit, resetMs: r.resetMs });
      }
      await this.sleep(r.resetMs + SLACK_MS);
    }
  }
}

/** Budgets from a per-minute and a per-day count; a count of 0 or less leaves that window unlimited. */
export function perMinuteAndDay(perMinute: number, perDay: number): RateBudget[] {
  const out: RateBudget[] = [];
  if (perDay > 0) out.push({ name: 'day', limit: perDay, windowMs: 86_400_000 });
  if (perMinute > 0) out.push({ name: 'min', limit: perMinute, windowMs: 60_000 });
  return out;
}
