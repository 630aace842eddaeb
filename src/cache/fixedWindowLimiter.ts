// In-process fixed-window rate limiter: the MemoryCache's counters and RedisCache's fallback during an outage.
// Time comes from the Clock, so tests with a SimulatedClock are exact.

import type { Clock } from '../core/clock.js';
import type { RateLimitResult } from './types.js';

interface Window {
  count: number;
  endsAt: number;
}

/** Expired windows are swept after this many hits, so idle keys do not grow the map for ever. */
const SWEEP_EVERY = 1024;

export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>();
  private hitsSinceSweep = 0;

  constructor(private readonly clock: Clock) {}

  hit(key: string, limit: number, windowMs: number): RateLimitResult {
    const now = this.clock.now();
    if (++this.hitsSinceSweep >= SWEEP_EVERY) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || now >= w.endsAt) {
      w = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, w);
    }
    const resetMs = w.endsAt - now;
    if (w.count >= limit) return { allowed: false, remaining: 0, resetMs };
    w.count++;
    return { allowed: true, remaining: limit - w.count, resetMs };
  }

  clear(): void {
    this.windows.clear();
  }

  private sweep(now: number): void {
    this.hitsSinceSweep = 0;
    for (const [key, w] of this.windows) if (now >= w.endsAt) this.windows.delete(key);
  }
}
