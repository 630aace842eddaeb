// Redis outages for real: a private redis-server child is killed and restarted on the same port while a
// RedisCache uses it. The cache must degrade without throwing, log once per outage without the password,
// and recover by itself with its subscriptions restored.

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../src/cache/openCache.js';
import { RedisCache } from '../../../src/cache/redisCache.js';
import { createLogger } from '../../../src/core/log.js';
import { until } from './contract.js';
import { freePort, RedisServer, redisServerInstalled } from './redisServer.js';
import { WAIT_BUDGET_MS } from '../../helpers/budget.js';

const PASSWORD = 'S3cr3t-pw/with@odd:chars';
const fast = { minBackoffMs: 20, maxBackoffMs: 200, commandTimeoutMs: 500, connectTimeoutMs: 500 };

function capture(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger('debug', (l) => lines.push(l)) };
}
const count = (lines: string[], re: RegExp): number => lines.filter((l) => re.test(l)).length;
const OUTAGE = /Redis unreachable/;
const RECOVERED = /cache recovered/;

const installed = redisServerInstalled();

/** Everything a degraded cache must do while its Redis is down: answer, never throw. */
async function expectDegraded(cache: RedisCache, onA: string[]): Promise<void> {
  // Reads miss, writes are dropped, nothing throws.
  expect(await cache.get('before')).toBeUndefined();
  await expect(cache.set('during', 'dropped', 60_000)).resolves.toBeUndefined();
  await expect(cache.del('before')).resolves.toBeUndefined();
  await expect(cache.setJson('j', { a: 1 })).resolves.toBeUndefined();
  expect(await cache.getJson('j')).toBeUndefined();
  await cache.setQuote({ symbol: 'AAPL', ts: 1, bid: 1, ask: 2, bidSize: 1, askSize: 1 });
  expect(await cache.getQuote('AAPL')).toBeUndefined();
  expect((await cache.getQuotes(['AAPL'])).size).toBe(0);
  // No cache: every call loads.
  let loads = 0;
  for (let i = 0; i < 3; i++) expect(await cache.cached('resp', 60_000, async () => ++loads)).toBe(i + 1);
  // Rate limits fall back to an in-process limiter.
  const hits = [];
  for (let i = 0; i < 3; i++) hits.push((await cache.hit('login', 2, 60_000)).allowed);
  expect(hits).toEqual([true, true, false]);
  // Publish reaches local subscribers only.
  await cache.publish('a', 'local-only');
  expect(onA).toEqual(['via-redis-1', 'local-only']);
}

describe.skipIf(!installed)('RedisCache through a Redis outage', () => {
  let server: RedisServer;
  const closers: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    server = new RedisServer(await freePort(), PASSWORD);
    await server.start();
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await server?.kill();
  });

  it('degrades without throwing while Redis is down and recovers, resubscribed, when it is back', async () => {
    const { lines, log } = capture();
    const cache = new RedisCache({ url: server.url, prefix: 'outage:', log, ...fast });
    closers.push(() => cache.close());
    expect(await cache.connect(WAIT_BUDGET_MS)).toBe(true);
    const raw = new Redis(server.url, { maxRetriesPerRequest: 0, retryStrategy: () => 50, lazyConnect: true });
    raw.on('error', () => undefined);
    closers.push(() => raw.disconnect());
    await raw.connect();

    await cache.set('before', 'v');
    const onA: string[] = [];
    const onB: string[] = [];
    await cache.subscribe('a', (m) => onA.push(m));
    await raw.publish('outage:ch:a', 'via-redis-1');
    await until(() => onA.length === 1, 30_000, 'first message');

    await server.kill();
    await until(() => cache.health() === 'degraded', 30_000, 'degraded health');

    await expectDegraded(cache, onA);
    // A subscription made during the outage must be made on Redis at recovery.
    await cache.subscribe('b', (m) => onB.push(m));
    expect(cache.health()).toBe('degraded');

    await server.start();
    expect(await cache.whenUp(WAIT_BUDGET_MS)).toBe(true);
    expect(cache.health()).toBe('up');
    await until(() => raw.status === 'ready', 30_000, 'raw client reconnect');

    // Both channels, including the one subscribed during the outage, get messages through Redis again.
    await raw.publish('outage:ch:a', 'via-redis-2');
    await raw.publish('outage:ch:b', 'via-redis-3');
    await until(() => onA.length === 3 && onB.length === 1, 30_000, 'messages after recovery');
    expect(onA).toEqual(['via-redis-1', 'local-only', 'via-redis-2']);
    expect(onB).toEqual(['via-redis-3']);
    // The write made during the outage was dropped, not replayed; writes work again.
    expect(await raw.get('outage:kv:during')).toBeNull();
    await cache.set('after', 'v2');
    expect(await raw.get('outage:kv:after')).toBe('v2');
    expect(await cache.hit('login', 2, 60_000)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await raw.exists('outage:rl:login')).toBe(1);

    // Logged once per outage, once per recovery, and never the password.
    expect(count(lines, OUTAGE)).toBe(1);
    expect(count(lines, RECOVERED)).toBe(1);
    // No command failure is reported for the outage itself (also when the socket fails before the client
    // notices); a command that times out on a live connection (a loaded machine with the test's short
    // timeouts) is a different failure and may be reported.
    expect(lines.filter((l) => /Redis command failed/.test(l) && !/timed out/i.test(l))).toEqual([]);
    expect(lines.some((l) => l.includes('127.0.0.1') && l.includes('***'))).toBe(true);
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD)]) expect(lines.join('\n')).not.toContain(secret);

    // A second outage is reported again: once per outage, not once per process.
    await server.kill();
    await until(() => cache.health() === 'degraded', 30_000, 'degraded again');
    await cache.get('x');
    expect(count(lines, OUTAGE)).toBe(2);
    await server.start();
    expect(await cache.whenUp(WAIT_BUDGET_MS)).toBe(true);
    expect(count(lines, RECOVERED)).toBe(2);
  });

  it('starts degraded when Redis is unreachable at start-up, and comes up when it appears', async () => {
    const late = new RedisServer(await freePort(), PASSWORD);
    closers.push(() => late.kill());
    const { lines, log } = capture();
    // openCache waits at most connectWaitMs (a timer in RedisLink.whenUp), then returns a degraded cache rather
    // than failing start-up; that it returned at all while Redis is down, degraded, is the property under test.
    const cache = await openCache({ redisUrl: late.url, prefix: 'late:', log, connectWaitMs: 300, ...fast });
    closers.push(() => cache.close());
    expect(cache.health()).toBe('degraded');
    expect(await cache.get('k')).toBeUndefined();
    expect((await cache.hit('k', 1, 1000)).allowed).toBe(true);
    await late.start();
    expect(await (cache as RedisCache).whenUp(WAIT_BUDGET_MS)).toBe(true);
    await cache.set('k', 'v');
    expect(await cache.get('k')).toBe('v');
    expect(count(lines, OUTAGE)).toBe(1);
    expect(lines.join('\n')).not.toContain(PASSWORD);
  });
});
