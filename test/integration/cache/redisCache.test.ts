// RedisCache against the real Redis (TEST_REDIS_URL): the shared contract with two connections sharing one
// prefix, plus key layout, prefix and DB isolation. Every test uses its own prefix and deletes its keys.

import { describe, expect, it } from 'vitest';
import { openCache } from '../../../src/cache/openCache.js';
import { DEFAULT_PREFIX, RedisCache } from '../../../src/cache/redisCache.js';
import { createLogger } from '../../../src/core/log.js';
import { redisAvailable, TEST_REDIS_URL } from '../../helpers/services.js';
import { cacheContract, until } from './contract.js';
import { deleteKeys, elapseKeys, keysUnder, uniquePrefix } from './redisFixture.js';
import { WAIT_BUDGET_MS } from '../../helpers/budget.js';

const up = await redisAvailable();
const quiet = createLogger('silent');

async function open(prefix: string, db?: number): Promise<RedisCache> {
  const cache = new RedisCache({ url: TEST_REDIS_URL, prefix, log: quiet, ...(db === undefined ? {} : { db }) });
  expect(await cache.connect(WAIT_BUDGET_MS)).toBe(true);
  return cache;
}

describe.skipIf(!up)('RedisCache on a real Redis', () => {
  cacheContract('RedisCache', async () => {
    const prefix = uniquePrefix();
    const a = await open(prefix);
    const b = await open(prefix);
    return {
      a,
      b,
      elapse: (ms) => elapseKeys(TEST_REDIS_URL, prefix, ms),
      teardown: async () => {
        await Promise.all([a.close(), b.close()]);
        await deleteKeys(TEST_REDIS_URL, prefix);
      },
    };
  });

  it('keeps every key under its prefix, in the documented layout', async () => {
    const prefix = uniquePrefix();
    const cache = await open(prefix);
    try {
      await cache.set('provider:yahoo:AAPL', 'x', 60_000);
      await cache.setQuote({ symbol: 'AAPL', ts: 1, bid: 1, ask: 2, bidSize: 1, askSize: 1 });
      await cache.hit('login:alice', 5, 60_000);
      expect(await keysUnder(TEST_REDIS_URL, prefix)).toEqual(
        [`${prefix}kv:provider:yahoo:AAPL`, `${prefix}quote`, `${prefix}quote:ts`, `${prefix}rl:login:alice`].sort(),
      );
    } finally {
      await cache.close();
      expect(await deleteKeys(TEST_REDIS_URL, prefix)).toBe(4);
    }
  });

  it('isolates prefixes: keys and channels of one are invisible to another', async () => {
    const [p1, p2] = [uniquePrefix(), uniquePrefix()];
    const [c1, c2] = [await open(p1), await open(p2)];
    try {
      await c1.set('k', 'one');
      expect(await c2.get('k')).toBeUndefined();
      const got1: string[] = [];
      const got2: string[] = [];
      await c1.subscribe('events', (m) => got1.push(m));
      await c2.subscribe('events', (m) => got2.push(m));
      await c1.publish('events', 'for-1');
      await c2.publish('events', 'for-2');
      await until(() => got1.length === 1 && got2.length === 1, 30_000, 'both deliveries');
      expect([got1, got2]).toEqual([['for-1'], ['for-2']]);
    } finally {
      await Promise.all([c1.close(), c2.close()]);
      await Promise.all([deleteKeys(TEST_REDIS_URL, p1), deleteKeys(TEST_REDIS_URL, p2)]);
    }
  });

  it('uses the configured DB index', async () => {
    const prefix = uniquePrefix();
    const cache = await open(prefix, 5);
    try {
      await cache.set('k', 'in-db-5');
      expect(await keysUnder(TEST_REDIS_URL, prefix, 5)).toEqual([`${prefix}kv:k`]);
      expect(await keysUnder(TEST_REDIS_URL, prefix, 0)).toEqual([]);
    } finally {
      await cache.close();
      await deleteKeys(TEST_REDIS_URL, prefix, 5);
    }
  });

  it('is what openCache returns for a Redis URL, with the default prefix pi5:', async () => {
    const cache = await openCache({ redisUrl: TEST_REDIS_URL, log: quiet });
    try {
      expect(cache).toBeInstanceOf(RedisCache);
      expect((cache as RedisCache).keyPrefix()).toBe(DEFAULT_PREFIX);
      expect(DEFAULT_PREFIX).toBe('pi5:');
      expect(cache.health()).toBe('up');
    } finally {
      await cache.close();
    }
    expect(cache.health()).toBe('down');
  });

  it('rejects a malformed URL or an empty prefix with coded errors', async () => {
    await expect(openCache({ redisUrl: 'http://:hunter2@host', log: quiet })).rejects.toMatchObject({
      code: 'PI5_ERR_BAD_CONFIG',
      message: expect.not.stringContaining('hunter2'),
    });
    await expect(openCache({ redisUrl: 'not a url', log: quiet })).rejects.toMatchObject({ code: 'PI5_ERR_BAD_CONFIG' });
    expect(() => new RedisCache({ url: TEST_REDIS_URL, prefix: '' })).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_CACHE_ARG' }));
  });
});
