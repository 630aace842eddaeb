// The Yahoo polling quote feed against the fake Yahoo: chart meta → normalized quotes (UTC ms, bid = ask =
// last, sizes 0) emitted only when they change, a failing poll reported and recovered, a stale price reported
// once, the circuit breaker respected, trades refused (bars: yahooBarPolling.test.ts and the live Yahoo session).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../../src/data/providers/resilience/circuitBreaker.js';
import type { LiveStatus } from '../../../../src/data/providers/types.js';
import { YahooQuoteFeed } from '../../../../src/data/providers/yahoo/quoteFeed.js';
import type { Quote } from '../../../../src/model/types.js';
import { startFakeYahoo, type FakeYahoo } from './fakeYahoo.js';
import { latestPayload } from './yahooFixture.js';
import { WAIT_BUDGET_MS } from '../../../helpers/budget.js';

let fake: FakeYahoo;
beforeAll(async () => {
  fake = await startFakeYahoo();
});
afterAll(async () => fake.close());

const T0 = Date.UTC(2024, 5, 3, 14, 30) / 1000;
const NOW = T0 * 1000 + 60_000;

interface Seen {
  quotes: Quote[];
  statuses: LiveStatus[];
  errors: string[];
}

function feed(pollMs = 20, breaker = new CircuitBreaker('yahoo-test', { failureThreshold: 100 })): { f: YahooQuoteFeed; seen: Seen } {
  const f = new YahooQuoteFeed({ baseUrl: fake.baseUrl, pollMs, policy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 2_000 }, breaker, now: () => NOW });
  const seen: Seen = { quotes: [], statuses: [], errors: [] };
  f.on('quote', (q) => seen.quotes.push(q));
  f.on('status', (s) => seen.statuses.push(s));
  f.on('error', ({ error, fatal }) => seen.errors.push(`${error.code}${fatal ? ' fatal' : ''}: ${error.message}`));
  return { f, seen };
}

async function until(cond: () => boolean, ms = WAIT_BUDGET_MS): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('yahoo quote feed (polling)', () => {
  it('polls the chart endpoint and emits normalized quotes in UTC ms, only when the price or time changes', async () => {
    fake.handle((r, n) => {
      // AAPL moves on the third request for it; MSFT never does.
      const aaplMoved = r.symbol === 'AAPL' && n >= 5;
      return { body: r.symbol === 'AAPL' ? latestPayload('AAPL', aaplMoved ? 190.5 : 190.25, aaplMoved ? T0 + 15 : T0) : latestPayload('MSFT', 421.1, T0 + 3) };
    });
    const { f, seen } = feed();
    await f.subscribe({ quotes: ['aapl', 'MSFT'] });
    await f.connect();
    await until(() => seen.quotes.length >= 3);
    await until(() => fake.requests.length >= 8);
    await f.close();
    expect(seen.quotes).toEqual([
      { symbol: 'AAPL', ts: T0 * 1000, bid: 190.25, ask: 190.25, bidSize: 0, askSize: 0 },
      { symbol: 'MSFT', ts: (T0 + 3) * 1000, bid: 421.1, ask: 421.1, bidSize: 0, askSize: 0 },
      { symbol: 'AAPL', ts: (T0 + 15) * 1000, bid: 190.5, ask: 190.5, bidSize: 0, askSize: 0 },
    ]);
    const first = fake.requests[0];
    expect(first?.symbol).toBe('AAPL');
    expect(first?.params.get('range')).toBe('1d');
    expect(first?.params.get('interval')).toBe('1d');
    expect(seen.statuses.map((s) => s.state)).toEqual(['connecting', 'connected', 'subscribed', 'closed']);
    expect(seen.statuses[0]?.detail).toBe('polling every 0.02 s');
    expect(seen.errors).toEqual([]);
  });

  it('reports a failing poll as an error and a reconnecting status, then says when polls recover', async () => {
    fake.handle((_r, n) => (n === 2 || n === 3 ? { status: 500, body: 'upstream down' } : { body: latestPayload('AAPL', 190 + n, T0 + n) }));
    const { f, seen } = feed();
    await f.subscribe({ quotes: ['AAPL'] });
    await f.connect();
    await until(() => seen.statuses.some((s) => s.state === 'live'));
    await f.close();
    expect(seen.errors).toHaveLength(2);
    expect(seen.errors[0]).toMatch(/^PI5_ERR_PROVIDER: yahoo AAPL: HTTP 500 after 1 attempts/);
    const states = seen.statuses.map((s) => (s.state === 'reconnecting' ? `reconnecting ${s.attempt}` : s.state));
    expect(states.slice(0, 6)).toEqual(['connecting', 'connected', 'subscribed', 'reconnecting 1', 'reconnecting 2', 'live']);
    expect(seen.statuses[3]?.delayMs).toBe(20);
    expect(seen.statuses[5]?.detail).toBe('polls recovered after 2 failed');
    expect(seen.quotes.map((q) => q.bid).slice(0, 2)).toEqual([191, 194]);
  });

  it('reports a stale last price once (market closed), and refuses trades', async () => {
    fake.handle(() => ({ body: latestPayload('AAPL', 190.25, T0 - 3600) }));
    const { f, seen } = feed();
    await expect(f.subscribe({ trades: ['AAPL'] })).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE' });
    await f.subscribe({ quotes: ['AAPL'] });
    await f.connect();
    await until(() => fake.requests.length >= 4);
    await f.close();
    const stale = seen.statuses.filter((s) => /stale/.test(s.detail ?? ''));
    expect(stale).toHaveLength(1);
    expect(stale[0]?.detail).toBe('AAPL stale: last price 190.25 at 2024-06-03T13:30:00.000Z (market closed, halted or delayed)');
    expect(seen.quotes).toHaveLength(1);
  });

  it('fails connect() when the only symbol is unknown, and stops asking while the breaker is open', async () => {
    fake.handle(() => ({ status: 404, body: { chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } } }));
    const a = feed();
    await a.f.subscribe({ quotes: ['NOPE'] });
    await expect(a.f.connect()).rejects.toMatchObject({ code: 'PI5_ERR_UNKNOWN_SYMBOL' });
    await a.f.close();

    fake.handle(() => ({ status: 503, body: 'busy' }));
    const breaker = new CircuitBreaker('yahoo-breaker-test', { failureThreshold: 2, coolDownMs: 60_000 });
    const b = feed(10, breaker);
    await b.f.subscribe({ quotes: ['AAPL', 'MSFT', 'NVDA', 'AMZN'] });
    await expect(b.f.connect()).rejects.toMatchObject({ code: 'PI5_ERR_CIRCUIT_OPEN' });
    await b.f.close();
    // Two real failures opened the breaker; NVDA was refused without a request and AMZN not tried at all.
    expect(fake.requests).toHaveLength(2);
    expect(b.seen.errors).toHaveLength(3);
    expect(b.seen.errors[2]).toMatch(/^PI5_ERR_CIRCUIT_OPEN: yahoo NVDA: yahoo-breaker-test circuit is open after 2 consecutive failures/);
  });

  it('answers the v7 quote endpoint as Yahoo does without a crumb (why the feed reads the chart instead)', async () => {
    const r = await fetch(`${fake.baseUrl}/v7/finance/quote?symbols=AAPL`);
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } });
  });
});
