// Request budgets on sensitive routes (login, orders), counted in the cache: in Redis when configured, so
// every server instance shares one budget; in memory otherwise.

import type { Cache } from '../cache/types.js';
import { Pi5Error } from '../core/errors.js';

const MINUTE_MS = 60_000;

/** Counts one request against key; throws PI5_ERR_RATE_LIMITED (HTTP 429, Retry-After) when over perMinute. */
export async function enforceRate(cache: Cache, key: string, perMinute: number, what: string): Promise<void> {
  const r = await cache.hit(`ratelimit:${key}`, perMinute, MINUTE_MS);
  if (r.allowed) return;
  const retryAfterSec = Math.max(1, Math.ceil(r.resetMs / 1000));
  throw new Pi5Error('PI5_ERR_RATE_LIMITED', `too many ${what}: at most ${perMinute} per minute; try again in ${retryAfterSec} s`, { retryAfterSec });
}
