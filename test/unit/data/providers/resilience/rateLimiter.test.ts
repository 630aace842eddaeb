// The shared request budget over Cache.hit() with a simulated clock: limiters sharing one cache share one
// budget, acquire() waits for the window to end instead of failing, and a long wait fails fast.

import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../../../src/cache/memoryCache.js';
import { SimulatedClock } from '../../../../../src/core/clock.js';
import { createLogger } from '../../../../../src/core/log.js';
import { isPi5Error } from '../../../../../src/core/errors.js';
import { perMinuteAndDay, SharedRateLimiter } from '../../../../../src/data/providers/resilience/rateLimiter.js';

function world(): { clock: SimulatedClock; cache: MemoryCache; waits: number[]; sleep: (ms: number) => Promise<void> } {
  const clock = new SimulatedClock(1_000_000);
  const waits: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    waits.push(ms);
    clock.advanceTo(clock.now() + ms);
  };
  return { clock, cache: new MemoryCache({ clock, log: createLogger('silent') }), waits, sleep };
}

describe('SharedRateLimiter', () => {
  it('two limiters on one cache honour one budget, and the third request waits for the window', async () => {
    const { clock, cache, waits, sleep } = world();
    const opts = { key: 'ratelimit:av', budgets: perMinuteAndDay(2, 0), sleep };
    const a = new SharedRateLimiter(cache, opts);
    const b = new SharedRateLimiter(cache, opts);
    await a.acquire('av A');
    await b.acquire('av B');
    expect(waits).toEqual([]);
    await a.acquire('av C');
    expect(waits).toEqual([60_005]);
    expect(clock.now()).toBe(1_060_005);
    await b.acquire('av D');
    expect(waits).toHaveLength(1);
  });

  it('fails fast with PI5_ERR_RATE_LIMITED when the day budget is spent, without taking a minute slot', async () => {
    const { cache, sleep } = world();
    const l = new SharedRateLimiter(cache, { key: 'ratelimit:av', budgets: perMinuteAndDay(5, 1), sleep });
    await l.acquire('alphavantage AAPL');
    try {
      await l.acquire('alphavantage MSFT');
      expect.unreachable();
    } catch (e) {
      expect(isPi5Error(e) && e.code).toBe('PI5_ERR_RATE_LIMITED');
      expect((e as Error).message).toBe('alphavantage MSFT: request budget of 1 per day is used up; it frees in 86400 s');
    }
    expect((await cache.hit('ratelimit:av:min', 5, 60_000)).remaining).toBe(3);
  });

  it('orders budgets day first and leaves a window out when its count is 0', () => {
    expect(perMinuteAndDay(5, 25).map((b) => [b.name, b.limit, b.windowMs])).toEqual([
      ['day', 25, 86_400_000],
      ['min', 5, 60_000],
    ]);
    expect(perMinuteAndDay(0, 0)).toEqual([]);
  });
});
