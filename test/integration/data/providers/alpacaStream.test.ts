// The Alpaca live feed against a local ws server speaking Alpaca's stream protocol: auth, subscribe,
// normalized bars/quotes/trades, malformed messages reported by field, bad credentials, and a dropped
// connection → backoff, re-auth, resubscribe and backfill of the missed minute bars without duplicates.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../../src/core/errors.js';
import { AlpacaProvider } from '../../../../src/data/providers/alpaca/provider.js';
import { AlpacaLiveFeed, type AlpacaStreamOptions } from '../../../../src/data/providers/alpaca/stream.js';
import type { LiveBar, LiveError, LiveStatus } from '../../../../src/data/providers/types.js';
import type { Quote, Trade } from '../../../../src/model/types.js';
import { barsFrom, FAKE_KEY, FAKE_SECRET, startFakeAlpaca, type FakeAlpaca, type WireBar } from './fakeAlpaca.js';
import { waitUntil } from '../../../helpers/budget.js';

let fake: FakeAlpaca;
const feeds: AlpacaLiveFeed[] = [];
beforeAll(async () => {
  fake = await startFakeAlpaca();
});
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((f) => f.close()));
  fake.onSubscribed(null);
  fake.refuseWith(null);
  fake.limitSymbols(null);
  fake.received.length = 0;
});
afterAll(async () => fake.close());

interface Seen {
  bars: LiveBar[];
  quotes: Quote[];
  trades: Trade[];
  statuses: LiveStatus[];
  errors: LiveError[];
}

function feed(o: Partial<AlpacaStreamOptions> = {}): { feed: AlpacaLiveFeed; seen: Seen } {
  const f = new AlpacaLiveFeed({ credentials: { keyId: FAKE_KEY, secretKey: FAKE_SECRET }, url: fake.streamUrl, reconnect: { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 3 }, seed: 7, controlTimeoutMs: 2_000, ...o });
  const seen: Seen = { bars: [], quotes: [], trades: [], statuses: [], errors: [] };
  f.on('bar', (b) => seen.bars.push(b));
  f.on('quote', (q) => seen.quotes.push(q));
  f.on('trade', (t) => seen.trades.push(t));
  f.on('status', (s) => seen.statuses.push(s));
  f.on('error', (e) => seen.errors.push(e));
  feeds.push(f);
  return { feed: f, seen };
}

const until = (what: string, pred: () => boolean): Promise<void> => waitUntil(what, pred, 5);

const wireBar = (S: string, t: string, c: number): WireBar & { T: 'b'; S: string } => ({ T: 'b', S, o: c - 0.1, h: c + 0.2, l: c - 0.3, c, v: 1_000, t, n: 12, vw: c });
const iso = (ms: number): string => new Date(ms).toISOString();
const at = (hhmm: string): string => `2024-03-11T${hhmm}:00Z`;

describe('alpaca live stream', () => {
  it('authenticates, subscribes and normalizes bars, quotes and trades (nanosecond stamps to ms)', async () => {
    const { feed: f, seen } = feed();
    await f.connect();
    await f.subscribe({ bars: ['aapl'], quotes: ['AAPL'], trades: ['AAPL', 'MSFT'] });
    expect(fake.received).toEqual([
      { action: 'auth', key: FAKE_KEY, secret: FAKE_SECRET },
      { action: 'subscribe', bars: ['AAPL'], updatedBars: ['AAPL'], dailyBars: [], quotes: ['AAPL'], trades: ['AAPL', 'MSFT'] },
    ]);
    fake.send([
      { T: 'b', S: 'AAPL', o: 170.1, h: 170.5, l: 169.9, c: 170.25, v: 4_321, t: '2024-03-11T14:30:00Z', n: 50, vw: 170.2 },
      { T: 'q', S: 'AAPL', bx: 'V', bp: 170.24, bs: 2, ax: 'V', ap: 170.26, as: 3, t: '2024-03-11T14:31:00.123456789Z', c: ['R'], z: 'C' },
      { T: 't', S: 'MSFT', i: 96921, x: 'V', p: 401.5, s: 100, t: '2024-03-11T14:31:01.5Z', c: ['@'], z: 'C' },
      // A trade correction arrives with the trades channel; it is not used and must not be an error.
      { T: 'c', S: 'MSFT', x: 'V', oi: 1, op: 1, os: 1, oc: [], ci: 2, cp: 1, cs: 1, cc: [], t: '2024-03-11T14:31:02Z', z: 'C' },
    ]);
    await until('a trade', () => seen.trades.length === 1);
    expect(seen.bars).toEqual([{ bar: { symbol: 'AAPL', timeframe: '1m', ts: Date.parse(at('14:30')), open: 170.1, high: 170.5, low: 169.9, close: 170.25, volume: 4_321 }, backfilled: false }]);
    expect(seen.quotes).toEqual([{ symbol: 'AAPL', ts: Date.parse('2024-03-11T14:31:00.123Z'), bid: 170.24, ask: 170.26, bidSize: 2, askSize: 3 }]);
    expect(seen.trades).toEqual([{ symbol: 'MSFT', ts: Date.parse('2024-03-11T14:31:01.500Z'), price: 401.5, size: 100, exchange: 'V', id: '96921' }]);
    expect(seen.errors).toEqual([]);
    expect(seen.statuses.map((s) => s.state)).toEqual(['connecting', 'connected']);
    await f.unsubscribe({ trades: ['MSFT'] });
    expect(fake.received.at(-1)).toEqual({ action: 'unsubscribe', bars: [], updatedBars: [], dailyBars: [], quotes: [], trades: ['MSFT'] });
  });

  it('reports a malformed message naming the field, and keeps streaming', async () => {
    const { feed: f, seen } = feed();
    await f.subscribe({ quotes: ['AAPL'], trades: ['AAPL'] });
    await f.connect();
    fake.send([{ T: 'q', S: 'AAPL', bp: 'abc', bs: 1, ap: 1, as: 1, t: '2024-03-11T14:31:00Z' }]);
    fake.send([{ T: 't', S: 'AAPL', p: 1, s: 1, t: 'soon' }]);
    fake.send('not json at all');
    fake.send([{ S: 'AAPL' }]);
    fake.send([{ T: 't', S: 'AAPL', i: 1, x: 'V', p: 170, s: 5, t: '2024-03-11T14:31:02Z' }]);
    await until('the valid trade', () => seen.trades.length === 1);
    expect(seen.errors.map((e) => [e.error.code, e.error.message, e.fatal])).toEqual([
      ['PI5_ERR_PROVIDER_PAYLOAD', 'alpaca stream AAPL: [0].bp is not a number (got "abc")', false],
      ['PI5_ERR_PROVIDER_PAYLOAD', 'alpaca stream AAPL: [0].t is not an RFC 3339 time (got "soon")', false],
      ['PI5_ERR_PROVIDER_PAYLOAD', 'alpaca stream: message is not JSON: "not json at all"', false],
      ['PI5_ERR_PROVIDER_PAYLOAD', 'alpaca stream: [0].T is missing (got {"S":"AAPL"})', false],
    ]);
    expect(seen.trades[0]).toMatchObject({ symbol: 'AAPL', price: 170, size: 5 });
  });

  it('refuses bad credentials at once, without retrying and without printing the secret', async () => {
    const before = fake.connections();
    const { feed: f } = feed({ credentials: { keyId: FAKE_KEY, secretKey: 'wrong-secret-xyz' } });
    let err: unknown;
    await f.connect().catch((e: unknown) => (err = e));
    expect(isPi5Error(err) && [err.code, err.message]).toEqual(['PI5_ERR_PROVIDER', 'alpaca stream: error 402 auth failed (check APCA_API_KEY_ID / APCA_API_SECRET_KEY)']);
    expect(JSON.stringify(err)).not.toContain('wrong-secret-xyz');
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.connections() - before).toBe(1);
  });

  it('reconnects after a drop, resubscribes everything and backfills the missed bars in order without duplicates', async () => {
    let clock = Date.parse('2024-03-11T14:30:05Z');
    const minutes = (from: number, to: number, S: string): WireBar[] => Array.from({ length: to - from + 1 }, (_, k) => wireBar(S, at(`14:${String(from + k).padStart(2, '0')}`), 100 + from + k));
    fake.handleBars(barsFrom({ AAPL: minutes(25, 36, 'AAPL'), MSFT: minutes(25, 36, 'MSFT') }));
    const backfill = new AlpacaProvider({ baseUrl: fake.baseUrl, credentials: { keyId: FAKE_KEY, secretKey: FAKE_SECRET } });
    const { feed: f, seen } = feed({ backfill, now: () => clock });
    await f.subscribe({ bars: ['AAPL', 'MSFT'], quotes: ['AAPL'] });
    await f.connect();
    fake.send([wireBar('AAPL', at('14:30'), 130), wireBar('MSFT', at('14:30'), 130)]);
    fake.send([wireBar('AAPL', at('14:31'), 131)]);
    await until('three live bars', () => seen.bars.length === 3);
    // The new connection's first live bars (one a repeat of a backfilled minute) arrive before the backfill ends.
    fake.onSubscribed((send, _subs, n) => n === fake.connections() && send([wireBar('AAPL', at('14:35'), 135), wireBar('AAPL', at('14:36'), 136)]));
    clock = Date.parse('2024-03-11T14:36:30Z');
    fake.dropAll();
    await until('the live 14:36 bar', () => seen.bars.some((b) => b.bar.ts === Date.parse(at('14:36'))));
    const line = (b: LiveBar): string => `${b.bar.symbol} ${iso(b.bar.ts).slice(11, 16)} ${b.bar.close}${b.backfilled ? ' backfilled' : ''}`;
    expect(seen.bars.map(line)).toEqual([
      'AAPL 14:30 130', 'MSFT 14:30 130', 'AAPL 14:31 131',
      'AAPL 14:32 132 backfilled', 'AAPL 14:33 133 backfilled', 'AAPL 14:34 134 backfilled', 'AAPL 14:35 135 backfilled',
      'MSFT 14:31 131 backfilled', 'MSFT 14:32 132 backfilled', 'MSFT 14:33 133 backfilled', 'MSFT 14:34 134 backfilled', 'MSFT 14:35 135 backfilled',
      'AAPL 14:36 136',
    ]);
    expect(fake.received.filter((m) => m.action === 'auth')).toHaveLength(2);
    expect(fake.received.filter((m) => m.action === 'subscribe')).toEqual([
      { action: 'subscribe', bars: ['AAPL', 'MSFT'], updatedBars: ['AAPL', 'MSFT'], dailyBars: [], quotes: ['AAPL'], trades: [] },
      { action: 'subscribe', bars: ['AAPL', 'MSFT'], updatedBars: ['AAPL', 'MSFT'], dailyBars: [], quotes: ['AAPL'], trades: [] },
    ]);
    // Only closed minutes are asked for: the one in progress comes live when it ends.
    expect(fake.barRequests.map((r) => [r.symbol, r.params.get('timeframe'), r.params.get('start'), r.params.get('end')])).toEqual([
      ['AAPL', '1Min', '2024-03-11T14:32:00.000Z', '2024-03-11T14:35:59.999Z'],
      ['MSFT', '1Min', '2024-03-11T14:31:00.000Z', '2024-03-11T14:35:59.999Z'],
    ]);
    const states = seen.statuses.map((s) => s.state);
    expect(states.slice(states.indexOf('reconnecting'))).toEqual(['reconnecting', 'connected', 'subscribed', 'backfilling', 'live']);
    expect(seen.statuses.find((s) => s.state === 'reconnecting')).toMatchObject({ attempt: 1 });
    expect(seen.statuses.at(-1)).toEqual({ state: 'live', detail: '9 missed bars backfilled' });
    expect(seen.errors).toEqual([]);
  });

  it('backs off with jitter while the server refuses, then gives up with a fatal error', async () => {
    const { feed: f, seen } = feed();
    await f.subscribe({ bars: ['AAPL'] });
    await f.connect();
    fake.refuseWith(406);
    fake.dropAll();
    await until('the fatal error', () => seen.errors.some((e) => e.fatal));
    const retries = seen.statuses.filter((s) => s.state === 'reconnecting');
    expect(retries.map((s) => s.attempt)).toEqual([1, 2, 3]);
    retries.forEach((s, i) => {
      expect(s.delayMs).toBeGreaterThanOrEqual(Math.min(100, 20 * 2 ** i * 0.5) - 1);
      expect(s.delayMs).toBeLessThanOrEqual(Math.min(100, 20 * 2 ** i * 1.5) + 1);
    });
    expect(seen.errors.at(-1)?.error.message).toBe('alpaca stream: gave up after 3 reconnection attempts; last: alpaca stream: error 406 connection limit exceeded (another connection uses these credentials; most plans allow one per feed)');
    expect(seen.statuses.at(-1)).toEqual({ state: 'closed' });
  });

  it('applies updatedBars corrections: a new minute is a bar, an emitted one goes out flagged corrected and counted', async () => {
    const { feed: f, seen } = feed();
    await f.connect();
    await f.subscribe({ bars: ['AAPL'] });
    fake.send([wireBar('AAPL', at('14:30'), 130)]);
    // A correction of the emitted 14:30 bar, then an updated bar of a minute never sent as 'b' (no 'b' may come).
    fake.send([{ ...wireBar('AAPL', at('14:30'), 130.5), T: 'u' }, { ...wireBar('AAPL', at('14:31'), 131), T: 'u' }]);
    // A repeat of the corrected minute as a plain bar is still dropped: only 'u' replaces.
    fake.send([wireBar('AAPL', at('14:31'), 999), wireBar('AAPL', at('14:32'), 132)]);
    await until('the 14:32 bar', () => seen.bars.some((b) => b.bar.ts === Date.parse(at('14:32'))));
    const line = (b: LiveBar): string => `${iso(b.bar.ts).slice(11, 16)} ${b.bar.close}${b.corrected === true ? ' corrected' : ''}`;
    expect(seen.bars.map(line)).toEqual(['14:30 130', '14:30 130.5 corrected', '14:31 131', '14:32 132']);
    expect(seen.bars[1]?.bar).toEqual({ symbol: 'AAPL', timeframe: '1m', ts: Date.parse(at('14:30')), open: 130.4, high: 130.7, low: 130.2, close: 130.5, volume: 1_000 });
    expect(f.corrections).toBe(1);
    expect(seen.errors).toEqual([]);
  });

  it('subscribes to dailyBars and keys each by its New York date', async () => {
    const { feed: f, seen } = feed();
    await f.connect();
    await f.subscribe({ dailyBars: ['msft'] });
    expect(fake.received.at(-1)).toEqual({ action: 'subscribe', bars: [], updatedBars: [], dailyBars: ['MSFT'], quotes: [], trades: [] });
    // Alpaca stamps the day's bar at New York midnight (04:00Z in summer time).
    fake.send([{ T: 'd', S: 'MSFT', o: 400, h: 405.5, l: 399, c: 404.25, v: 1_234_567, t: '2024-03-11T04:00:00Z', n: 9_000, vw: 402.1 }]);
    await until('the daily bar', () => seen.bars.length === 1);
    expect(seen.bars).toEqual([{ bar: { symbol: 'MSFT', timeframe: '1d', ts: Date.parse('2024-03-11T00:00:00Z'), open: 400, high: 405.5, low: 399, close: 404.25, volume: 1_234_567 }, backfilled: false }]);
    await f.unsubscribe({ dailyBars: ['MSFT'] });
    expect(fake.received.at(-1)).toEqual({ action: 'unsubscribe', bars: [], updatedBars: [], dailyBars: ['MSFT'], quotes: [], trades: [] });
  });

  it('treats error 405 (symbol limit exceeded) as fatal: closed with the reason, no reconnect', async () => {
    fake.limitSymbols(2);
    const before = fake.connections();
    const { feed: f, seen } = feed();
    await f.connect();
    await f.subscribe({ trades: ['AAPL', 'MSFT'] });
    let err: unknown;
    await f.subscribe({ trades: ['IBM'] }).catch((e: unknown) => (err = e));
    const message = 'alpaca stream: error 405 symbol limit exceeded (your plan limits the symbols per channel: 30 trades/quotes on iex); subscribe to fewer symbols; the feed is closed (no reconnect)';
    expect(isPi5Error(err) && [err.code, err.message, err.details.fatal]).toEqual(['PI5_ERR_PROVIDER', message, true]);
    expect(seen.errors.map((e) => [e.error.message, e.fatal])).toEqual([[message, true]]);
    expect(seen.statuses.at(-1)).toEqual({ state: 'closed', detail: message });
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.connections() - before).toBe(1);
    await expect(f.connect()).rejects.toThrow('connect() after close()');
  });

  it('treats a 405 met while resubscribing after a drop as fatal too', async () => {
    const { feed: f, seen } = feed();
    await f.subscribe({ trades: ['AAPL', 'MSFT', 'IBM'] });
    await f.connect();
    fake.limitSymbols(2);
    const before = fake.connections();
    fake.dropAll();
    await until('the fatal error', () => seen.errors.some((e) => e.fatal));
    await until('closed', () => seen.statuses.at(-1)?.state === 'closed');
    expect(seen.statuses.at(-1)?.detail).toContain('error 405 symbol limit exceeded');
    expect(seen.statuses.filter((s) => s.state === 'reconnecting').map((s) => s.attempt)).toEqual([1]);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.connections() - before).toBe(1);
  });
});
