// Alpaca's REST requests draw on the shared per-minute budget: pages wait for the next window when it is full,
// the budget comes from APCA_RATE_PER_MIN (default 200) under one cache key every process shares.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../../src/cache/memoryCache.js';
import { SimulatedClock } from '../../../../src/core/clock.js';
import { createLogger } from '../../../../src/core/log.js';
import { AlpacaProvider, alpacaLimiter } from '../../../../src/data/providers/alpaca/provider.js';
import { historicalProvider } from '../../../../src/data/providers/index.js';
import { SharedRateLimiter } from '../../../../src/data/providers/resilience/rateLimiter.js';
import { barsFrom, FAKE_KEY, FAKE_SECRET, startFakeAlpaca, type FakeAlpaca, type WireBar } from './fakeAlpaca.js';

let fake: FakeAlpaca;
beforeAll(async () => {
  fake = await startFakeAlpaca();
});
afterAll(async () => fake.close());

const bars: WireBar[] = [1, 2, 3, 4, 5].map((m) => ({ t: `2024-03-08T14:3${m}:00Z`, o: 10, h: 11, l: 9, c: 10.5, v: 100 }));
const request = { symbol: 'ACME', timeframe: '1m', from: Date.UTC(2024, 2, 8, 14, 30), to: Date.UTC(2024, 2, 8, 14, 40) };
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ APCA_API_KEY_ID: FAKE_KEY, APCA_API_SECRET_KEY: FAKE_SECRET, APCA_API_DATA_URL: fake.baseUrl, ...extra });

/** Serves one bar per page and records, on `clock`, when each request arrived. */
function pagedWithTimes(times: number[], clock: { now(): number } = { now: () => Date.now() }): void {
  const serve = barsFrom({ ACME: bars }, 1);
  fake.handleBars((r, n) => {
    times.push(clock.now());
    return serve(r, n);
  });
}

describe('alpaca shared rate limit', () => {
  it('paces requests: with 2 per 300 ms window, no three requests fall inside one window', async () => {
    // The limiter's windows and its waits run on one simulated clock: a wait advances the clock by exactly the
    // time the limiter asked for, so request times are the limiter's own schedule, free of network latency.
    const clock = new SimulatedClock(1_000_000);
    const sleeps: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      sleeps.push(ms);
      clock.advanceTo(clock.now() + ms);
    };
    const times: number[] = [];
    pagedWithTimes(times, clock);
    const cache = new MemoryCache({ log: createLogger('silent'), clock });
    const limiter = new SharedRateLimiter(cache, { key: 'ratelimit:alpaca-test', budgets: [{ name: 'min', limit: 2, windowMs: 300 }], sleep });
    const p = new AlpacaProvider({ baseUrl: fake.baseUrl, credentials: { keyId: FAKE_KEY, secretKey: FAKE_SECRET }, limiter, now: () => Date.UTC(2024, 11, 31) });
    const r = await p.fetchBars(request);
    expect(r.series.length).toBe(5);
    // 6 requests (5 pages and the corporate-actions request) at 2 per window take 3 windows: two waits, each to the
    // end of the full window plus the limiter's 5 ms slack. The first window opens at 1_000_000.
    expect(sleeps).toEqual([305, 305]);
    expect(clock.now()).toBe(1_000_610);
    expect(times).toHaveLength(5);
    // Whatever the order of the corporate-actions request, each window serves at most two requests.
    const perWindow = new Map<number, number>();
    for (const t of times) {
      const w = t < 1_000_300 ? 0 : t < 1_000_605 ? 1 : 2;
      perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
    }
    for (const n of perWindow.values()) expect(n).toBeLessThanOrEqual(2);
    for (let i = 2; i < times.length; i++) expect((times[i] as number) - (times[i - 2] as number)).toBeGreaterThanOrEqual(300);
  });

  it('takes APCA_RATE_PER_MIN (default 200) from one slot per request under ratelimit:alpaca in the shared cache', async () => {
    const times: number[] = [];
    pagedWithTimes(times);
    const cache = new MemoryCache({ log: createLogger('silent') });
    const p = historicalProvider('alpaca', env({ APCA_RATE_PER_MIN: '10' }), { cache });
    await p.fetchBars(request);
    // 5 pages and the corporate-actions request took 6 of the 10 slots; this probe takes the 7th.
    expect((await cache.hit('ratelimit:alpaca:min', 10, 60_000)).remaining).toBe(3);

    const fresh = new MemoryCache({ log: createLogger('silent') });
    await alpacaLimiter(env(), fresh).acquire('alpaca X');
    expect((await fresh.hit('ratelimit:alpaca:min', 200, 60_000)).remaining).toBe(198);
    expect(() => alpacaLimiter(env({ APCA_RATE_PER_MIN: 'lots' }))).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_CONFIG' }));
  });
});
