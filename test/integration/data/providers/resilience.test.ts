// The resilience wrapper around real providers against the fake Alpha Vantage: the circuit breaker opening
// after repeated HTTP failures and closing after a half-open success, cached responses sparing a second
// request, the shared request budget paced per attempt, and that budget shared through a real Redis.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../../src/cache/memoryCache.js';
import { RedisCache } from '../../../../src/cache/redisCache.js';
import { SimulatedClock } from '../../../../src/core/clock.js';
import { isPi5Error } from '../../../../src/core/errors.js';
import { createLogger } from '../../../../src/core/log.js';
import { AlphaVantageProvider } from '../../../../src/data/providers/alphavantage/provider.js';
import { BreakerRegistry } from '../../../../src/data/providers/resilience/circuitBreaker.js';
import { perMinuteAndDay, SharedRateLimiter } from '../../../../src/data/providers/resilience/rateLimiter.js';
import { resilientProvider } from '../../../../src/data/providers/resilience/resilientProvider.js';
import { redisAvailable, TEST_REDIS_URL } from '../../../helpers/services.js';
import { deleteKeys, elapseKeys, uniquePrefix } from '../../cache/redisFixture.js';
import { bar, dailyPayload, startFakeAlphaVantage, type FakeAlphaVantage } from './fakeAlphaVantage.js';
import { WAIT_BUDGET_MS } from '../../../helpers/budget.js';

let fake: FakeAlphaVantage;
beforeAll(async () => {
  fake = await startFakeAlphaVantage();
});
afterAll(async () => fake.close());

const quiet = createLogger('silent');
const req = { symbol: 'ACME', timeframe: '1d', from: Date.UTC(2024, 2, 1), to: Date.UTC(2024, 2, 31) };
const bars = [bar('2024-03-07', '10.00', '11.00', '9.50', '10.50', '1000'), bar('2024-03-08', '10.50', '11.50', '10.00', '11.00', '2000')];
const serveBars = () => ({ body: dailyPayload('ACME', bars, false) });

function av(extra: { limiter?: SharedRateLimiter; sleep?: (ms: number) => Promise<void> } = {}): AlphaVantageProvider {
  return new AlphaVantageProvider({ apiKey: 'k', baseUrl: fake.baseUrl, adjusted: false, now: () => Date.UTC(2024, 11, 31), policy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2_000 }, ...extra });
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return isPi5Error(e) ? e.code : 'plain';
  }
  return 'none';
}

describe('resilient providers', () => {
  it('opens the breaker after repeated failures, skips HTTP while open, and closes after a half-open success', async () => {
    const clock = new SimulatedClock(0);
    const breakers = new BreakerRegistry();
    const p = resilientProvider(av(), { breakers, breaker: { failureThreshold: 2, coolDownMs: 30_000, clock } });
    fake.handle(() => ({ status: 500, body: 'down' }));
    expect(await codeOf(p.fetchBars(req))).toBe('PI5_ERR_PROVIDER');
    expect(await codeOf(p.fetchBars(req))).toBe('PI5_ERR_PROVIDER');
    expect(fake.requests).toHaveLength(4);
    expect(await codeOf(p.fetchBars(req))).toBe('PI5_ERR_CIRCUIT_OPEN');
    expect(fake.requests).toHaveLength(4);
    expect(breakers.states()).toEqual([{ name: 'alphavantage', state: 'open', consecutiveFailures: 2, openedAt: 0, retryAt: 30_000 }]);
    clock.advanceTo(30_000);
    expect(breakers.states()[0]?.state).toBe('half-open');
    fake.handle(serveBars);
    expect((await p.fetchBars(req)).series.length).toBe(2);
    expect(breakers.states()[0]).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('serves a repeated request from the cache without a second HTTP call, also while the breaker is open', async () => {
    const cache = new MemoryCache({ log: quiet });
    const breakers = new BreakerRegistry();
    const p = resilientProvider(av(), { cache, cacheTtlMs: 60_000, breakers, breaker: { failureThreshold: 1 } });
    fake.handle(serveBars);
    const first = await p.fetchBars(req);
    const second = await p.fetchBars(req);
    expect(fake.requests).toHaveLength(1);
    expect(second).toEqual(first);
    fake.handle(() => ({ status: 500, body: 'down' }));
    expect(await codeOf(p.fetchBars({ ...req, symbol: 'OTHER' }))).toBe('PI5_ERR_PROVIDER');
    expect(breakers.states()[0]?.state).toBe('open');
    expect((await p.fetchBars(req)).series.length).toBe(2);
  });

  it('paces every HTTP attempt, retries included, through the shared budget', async () => {
    const clock = new SimulatedClock(5_000_000);
    const cache = new MemoryCache({ clock, log: quiet });
    const waits: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      waits.push(ms);
      clock.advanceTo(clock.now() + ms);
    };
    const limiter = new SharedRateLimiter(cache, { key: 'ratelimit:alphavantage', budgets: perMinuteAndDay(2, 25), sleep });
    fake.handle((_, n) => (n === 1 ? { status: 500, body: 'blip' } : serveBars()));
    const p = av({ limiter, sleep: async () => undefined });
    await p.fetchBars(req);
    expect(waits).toEqual([]);
    fake.handle(serveBars);
    await p.fetchBars({ ...req, symbol: 'BETA' });
    expect(waits).toEqual([60_005]);
    expect((await cache.hit('ratelimit:alphavantage:day', 25, 86_400_000)).remaining).toBe(21);
  });
});

const redisUp = await redisAvailable();

describe.skipIf(!redisUp)('shared request budget on a real Redis', () => {
  it('two processes (two connections) draw on one budget and the later caller waits for the window', async () => {
    const prefix = uniquePrefix();
    const a = new RedisCache({ url: TEST_REDIS_URL, prefix, log: quiet });
    const b = new RedisCache({ url: TEST_REDIS_URL, prefix, log: quiet });
    try {
      expect(await a.connect(WAIT_BUDGET_MS)).toBe(true);
      expect(await b.connect(WAIT_BUDGET_MS)).toBe(true);
      // A minute-long window that a wait ends by moving Redis's expiries, not by sleeping: however slowly this
      // machine runs, the three calls fall inside one window and the wait is the limiter's own figure.
      const waits: number[] = [];
      const sleep = async (ms: number): Promise<void> => {
        waits.push(ms);
        await elapseKeys(TEST_REDIS_URL, prefix, ms);
      };
      const budgets = [{ name: 'win', limit: 2, windowMs: 60_000 }];
      const la = new SharedRateLimiter(a, { key: 'ratelimit:av', budgets, sleep });
      const lb = new SharedRateLimiter(b, { key: 'ratelimit:av', budgets, sleep });
      await la.acquire('a');
      await lb.acquire('b');
      expect(waits).toEqual([]);
      await lb.acquire('c');
      expect(waits).toHaveLength(1);
      // The rest of the window plus the limiter's 5 ms slack.
      expect(waits[0]).toBeGreaterThan(5);
      expect(waits[0]).toBeLessThanOrEqual(60_005);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await deleteKeys(TEST_REDIS_URL, prefix);
    }
  });
});
