// MemoryCache (no REDIS_URL): the shared contract on a simulated clock, plus what only the in-memory cache does.

import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../src/cache/memoryCache.js';
import { openCache } from '../../../src/cache/openCache.js';
import { SimulatedClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/log.js';
import { cacheContract } from './contract.js';

const quiet = createLogger('silent');

cacheContract('MemoryCache', async () => {
  const clock = new SimulatedClock(1_700_000_000_000);
  const cache = new MemoryCache({ clock, log: quiet });
  return {
    a: cache,
    b: cache,
    elapse: async (ms) => clock.advanceTo(clock.now() + ms),
    teardown: () => cache.close(),
  };
});

describe('MemoryCache', () => {
  it('expires exactly at the TTL on a simulated clock', async () => {
    const clock = new SimulatedClock(0);
    const cache = new MemoryCache({ clock, log: quiet });
    await cache.set('k', 'v', 100);
    clock.advanceTo(99);
    expect(await cache.get('k')).toBe('v');
    clock.advanceTo(100);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('reports the time to the window end exactly and starts a new window at its end', async () => {
    const clock = new SimulatedClock(0);
    const cache = new MemoryCache({ clock, log: quiet });
    expect(await cache.hit('k', 2, 1000)).toEqual({ allowed: true, remaining: 1, resetMs: 1000 });
    clock.advanceTo(400);
    expect(await cache.hit('k', 2, 1000)).toEqual({ allowed: true, remaining: 0, resetMs: 600 });
    clock.advanceTo(999);
    expect(await cache.hit('k', 2, 1000)).toEqual({ allowed: false, remaining: 0, resetMs: 1 });
    clock.advanceTo(1000);
    expect(await cache.hit('k', 2, 1000)).toEqual({ allowed: true, remaining: 1, resetMs: 1000 });
  });

  it('reports down and keeps nothing after close', async () => {
    const cache = new MemoryCache({ log: quiet });
    await cache.set('k', 'v');
    const seen: string[] = [];
    await cache.subscribe('c', (m) => seen.push(m));
    await cache.close();
    expect(cache.health()).toBe('down');
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', 'again');
    await cache.publish('c', 'late');
    expect(await cache.get('k')).toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('is what openCache returns without a Redis URL (unset or empty)', async () => {
    for (const redisUrl of [undefined, '', '  ']) {
      const cache = await openCache({ redisUrl, log: quiet });
      expect(cache).toBeInstanceOf(MemoryCache);
      await cache.close();
    }
  });
});
