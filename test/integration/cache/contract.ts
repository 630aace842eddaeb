// The contract every Cache passes (DESIGN.md §8): TTL, JSON, single-flight, quotes, pub/sub and rate limits.
// A harness gives two clients of one shared cache (the same object for MemoryCache) and a way to let time pass.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cache } from '../../../src/cache/types.js';
import type { Quote } from '../../../src/model/types.js';
import { WAIT_BUDGET_MS } from '../../helpers/budget.js';

export interface CacheFixture {
  /** Two clients of one cache: for Redis two connections with one prefix; for memory the same object. */
  a: Cache;
  b: Cache;
  /** Lets ms pass: advances a simulated clock, or moves Redis's expiries (never a real sleep: windows here are
   * a minute long, so a slow machine cannot see one end by itself). */
  elapse(ms: number): Promise<void>;
  /** Closes the clients and deletes every key they made. */
  teardown(): Promise<void>;
}

/** Polls cond every few ms; fails after timeoutMs instead of hanging. */
export async function until(cond: () => boolean, timeoutMs = WAIT_BUDGET_MS, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const quote = (symbol: string, ts: number, bid: number): Quote => ({ symbol, ts, bid, ask: bid + 0.01, bidSize: 100, askSize: 200 });

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

export function cacheContract(name: string, setup: () => Promise<CacheFixture>): void {
  describe(`${name} passes the cache contract`, () => {
    let f: CacheFixture;
    beforeEach(async () => {
      f = await setup();
    });
    afterEach(async () => {
      await f.teardown();
    });

    it('stores, reads and deletes strings; a missing key reads as undefined', async () => {
      expect(await f.a.get('k')).toBeUndefined();
      await f.a.set('k', 'v1');
      expect(await f.b.get('k')).toBe('v1');
      await f.a.set('k', 'v2');
      expect(await f.a.get('k')).toBe('v2');
      await f.b.del('k');
      expect(await f.a.get('k')).toBeUndefined();
      await f.a.del('never-set');
    });

    it('expires an entry after its TTL and keeps an entry without TTL', async () => {
      await f.a.set('short', 'x', 60_000);
      await f.a.set('forever', 'y');
      expect(await f.a.get('short')).toBe('x');
      await f.elapse(60_060);
      expect(await f.a.get('short')).toBeUndefined();
      expect(await f.b.get('forever')).toBe('y');
    });

    it('rejects a TTL that is not a positive number with PI5_ERR_BAD_CACHE_ARG', async () => {
      for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(f.a.set('k', 'v', ttl)).rejects.toMatchObject({ code: 'PI5_ERR_BAD_CACHE_ARG' });
      }
    });

    it('round-trips JSON, and a value its parser rejects reads as a miss', async () => {
      const value = { s: 'héllo ✓', n: -1.25, big: 2 ** 53 - 1, arr: [1, 'two', null, { deep: true }], nil: null };
      await f.a.setJson('j', value, 10_000);
      expect(await f.b.getJson('j')).toEqual(value);
      const onlyNumbers = (v: unknown): number => {
        if (typeof v !== 'number') throw new Error('not a number');
        return v;
      };
      expect(await f.a.getJson('j', onlyNumbers)).toBeUndefined();
      await f.a.set('not-json', '{oops');
      expect(await f.a.getJson('not-json')).toBeUndefined();
    });

    it('calls the loader once for concurrent misses of one key, then serves the cached value', async () => {
      let calls = 0;
      const gate = deferred<{ price: number }>();
      const loader = (): Promise<{ price: number }> => {
        calls++;
        return gate.promise;
      };
      const waiting = Promise.all([1, 2, 3, 4, 5].map(() => f.a.cached('resp', 10_000, loader)));
      await new Promise((r) => setTimeout(r, 20));
      gate.resolve({ price: 101.5 });
      expect(await waiting).toEqual(Array(5).fill({ price: 101.5 }));
      expect(calls).toBe(1);
      expect(await f.a.cached('resp', 10_000, loader)).toEqual({ price: 101.5 });
      expect(await f.b.cached('resp', 10_000, () => Promise.reject(new Error('must not load')))).toEqual({ price: 101.5 });
      expect(calls).toBe(1);
    });

    it('passes a loader failure to every waiter, caches nothing, and loads again next time', async () => {
      let calls = 0;
      const failing = async (): Promise<number> => {
        calls++;
        await new Promise((r) => setTimeout(r, 10));
        throw new Error('provider down');
      };
      const results = await Promise.allSettled([f.a.cached('bad', 1000, failing), f.a.cached('bad', 1000, failing)]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(calls).toBe(1);
      expect(await f.a.cached('bad', 1000, async () => 7)).toBe(7);
    });

    it('loads again once the cached response has expired', async () => {
      let calls = 0;
      const loader = async (): Promise<number> => ++calls;
      expect(await f.a.cached('ttl', 60_000, loader)).toBe(1);
      expect(await f.a.cached('ttl', 60_000, loader)).toBe(1);
      await f.elapse(60_060);
      expect(await f.a.cached('ttl', 60_000, loader)).toBe(2);
    });

    it('keeps the latest quote per symbol and ignores an older one', async () => {
      expect(await f.a.getQuote('AAPL')).toBeUndefined();
      await f.a.setQuote(quote('AAPL', 1000, 190));
      await f.a.setQuote(quote('MSFT', 1000, 410));
      await f.b.setQuote(quote('AAPL', 2000, 191));
      await f.b.setQuote(quote('AAPL', 1500, 150)); // late and out of order
      expect(await f.a.getQuote('AAPL')).toEqual(quote('AAPL', 2000, 191));
      await f.a.setQuote(quote('AAPL', 2000, 192)); // same instant: the later write wins
      const many = await f.b.getQuotes(['AAPL', 'NOPE', 'MSFT']);
      expect([...many.keys()].sort()).toEqual(['AAPL', 'MSFT']);
      expect(many.get('AAPL')).toEqual(quote('AAPL', 2000, 192));
      expect(many.get('MSFT')).toEqual(quote('MSFT', 1000, 410));
      expect((await f.a.getQuotes([])).size).toBe(0);
    });

    it('delivers published messages to every subscriber of the channel, and none after unsubscribe', async () => {
      const one: string[] = [];
      const two: string[] = [];
      const other: string[] = [];
      const offOne = await f.a.subscribe('fills', (m, ch) => one.push(`${ch}:${m}`));
      const offTwo = await f.a.subscribe('fills', (m) => two.push(m));
      const offOther = await f.a.subscribe('orders', (m) => other.push(m));
      await f.b.publish('fills', 'f1');
      await until(() => one.length === 1 && two.length === 1, 30_000, 'f1 delivered');
      expect(one).toEqual(['fills:f1']);
      await offOne();
      await f.b.publish('fills', 'f2');
      // Messages arrive in publish order, so once the marker on another channel is in, f2 has been handled.
      await f.b.publish('orders', 'marker');
      await until(() => other.length === 1 && two.length === 2, 30_000, 'f2 and marker delivered');
      expect(one).toEqual(['fills:f1']);
      expect(two).toEqual(['f1', 'f2']);
      await offTwo();
      await f.b.publish('fills', 'f3');
      await f.b.publish('orders', 'marker2');
      await until(() => other.length === 2, 30_000, 'marker2 delivered');
      expect(two).toEqual(['f1', 'f2']);
      await offOther();
    });

    it('keeps delivering to other handlers when one throws', async () => {
      const seen: string[] = [];
      const offBad = await f.a.subscribe('risk', () => {
        throw new Error('handler bug');
      });
      const offGood = await f.a.subscribe('risk', (m) => seen.push(m));
      await expect(f.b.publish('risk', 'halt')).resolves.toBeUndefined();
      await until(() => seen.length === 1, 30_000, 'halt delivered');
      await offBad();
      await offGood();
    });

    it('allows exactly limit hits per window, refuses the rest, and resets after the window', async () => {
      const seen = [];
      for (let i = 0; i < 5; i++) seen.push(await f.a.hit('api:alice', 3, 60_000));
      expect(seen.map((r) => [r.allowed, r.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
        [false, 0],
      ]);
      for (const r of seen) expect(r.resetMs).toBeGreaterThan(0);
      for (const r of seen) expect(r.resetMs).toBeLessThanOrEqual(60_000);
      expect(await f.b.hit('api:bob', 3, 60_000)).toMatchObject({ allowed: true, remaining: 2 });
      expect(await f.b.hit('api:alice', 3, 60_000)).toMatchObject({ allowed: false, remaining: 0 });
      await f.elapse(60_060);
      // Refused hits were not counted: the new window starts with the full limit.
      expect(await f.a.hit('api:alice', 3, 60_000)).toMatchObject({ allowed: true, remaining: 2 });
    });

    it('rejects a limit or window that is not a positive integer with PI5_ERR_BAD_CACHE_ARG', async () => {
      for (const [limit, windowMs] of [[0, 1000], [1.5, 1000], [3, 0], [3, -1], [3, 2.5]] as const) {
        await expect(f.a.hit('x', limit, windowMs)).rejects.toMatchObject({ code: 'PI5_ERR_BAD_CACHE_ARG' });
      }
    });

    it('never allows more than the limit to concurrent hits from two clients', async () => {
      const hits = [...Array(40).keys()].flatMap(() => [f.a.hit('burst', 25, 10_000), f.b.hit('burst', 25, 10_000)]);
      const results = await Promise.all(hits);
      expect(results.filter((r) => r.allowed)).toHaveLength(25);
      expect(results.filter((r) => r.allowed).map((r) => r.remaining).sort((x, y) => x - y)).toEqual([...Array(25).keys()]);
    });

    it('reports up while open', () => {
      expect(f.a.health()).toBe('up');
      expect(f.b.health()).toBe('up');
    });
  });
}
