// Alpaca's REST requests draw on the shared per-minute budget: pages wait for the next window when it is full,
// the budget comes from APCA_RATE_PER_MIN (default 200) under one cache key every process shares.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../../../src/cache/memoryCache.js';
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

/** Serves one bar per page and records when each request arrived. */
function pagedWithTimes(times: number[]): void {
  const serve = barsFrom({ ACME: bars }, 1);
  fake.handleBars((r, n) => {
    times.push(Date.now());
    return serve(r, n);
  });
}

describe('alpaca shared rate limit', () => {
  it('paces requests: with 2 per 300 ms window, no three requests fall inside one window', async () => {
    const times: number[] = [];
    pagedWithTimes(times);
    const limiter = new SharedRateLimiter(new MemoryCache({ log: createLogger('silent') }), { key: 'ratelimit:alpaca-test', budgets: [{ name: 'min', limit: 2, windowMs: 300 }] });
    const p = new AlpacaProvider({ baseUrl: fake.baseUrl, credentials: { keyId: FAKE_KEY, secretKey: FAKE_SECRET }, limiter, now: () => Date.UTC(2024, 11, 31) });
    const r = await p.fetchBars(request);
    expect(r.series.length).toBe(5);
    expect(times).toHaveLength(5);
    // The corporate-actions request takes a slot too; whatever the order, every third request waits for the next
    // window. Times are taken at the server, after each request's own latency, so the bound leaves room for it;
    // unpaced pages arrive a few ms apart.
    for (let i = 2; i < times.length; i++) expect((times[i] as number) - (times[i - 2] as number)).toBeGreaterThanOrEqual(200);
    expect((times[4] as number) - (times[0] as number)).toBeGreaterThanOrEqual(500);
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
