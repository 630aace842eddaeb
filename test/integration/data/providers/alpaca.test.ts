// The Alpaca historical provider end to end through its real HTTP code path against a local fake serving
// Alpaca's wire format: New York midnight daily stamps keyed to 00:00 UTC, intraday stamps, paging,
// retries and give-ups, error bodies, malformed payloads naming the field, corporate actions, and no secret in any message.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../../src/core/errors.js';
import { AlpacaProvider } from '../../../../src/data/providers/alpaca/provider.js';
import { historicalProvider } from '../../../../src/data/providers/index.js';
import type { HistoricalBars } from '../../../../src/data/providers/types.js';
import { barsFrom, FAKE_KEY, FAKE_SECRET, startFakeAlpaca, type FakeAlpaca, type WireBar } from './fakeAlpaca.js';

let fake: FakeAlpaca;
beforeAll(async () => {
  fake = await startFakeAlpaca();
});
afterAll(async () => fake.close());

const day = (d: string): number => Date.parse(`${d}T00:00:00Z`);
const endOf = (d: string): number => day(d) + 86_400_000 - 1;
const sleeps: number[] = [];

function provider(maxAttempts = 3): AlpacaProvider {
  return new AlpacaProvider({
    baseUrl: fake.baseUrl,
    credentials: { keyId: FAKE_KEY, secretKey: FAKE_SECRET },
    now: () => Date.UTC(2024, 11, 31),
    policy: { maxAttempts, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 2_000 },
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((r) => setTimeout(r, ms));
    },
  });
}

function rows(r: HistoricalBars): Array<[string, number, number, number, number, number]> {
  const s = r.series;
  return Array.from({ length: s.length }, (_, i) => [new Date(s.ts[i]!).toISOString(), s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!, s.volume[i]!]);
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isPi5Error(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a failure');
}

const bar = (t: string, o: number, h: number, l: number, c: number, v: number): WireBar => ({ t, o, h, l, c, v, n: 100, vw: (h + l) / 2 });

describe('alpaca historical bars', () => {
  it('follows next_page_token over 3 pages and keys New York midnight daily bars at 00:00 UTC across DST', async () => {
    // Alpaca stamps daily bars at New York midnight: 05:00Z in winter, 04:00Z after the 2024-03-10 change.
    const bars = [
      bar('2024-03-07T05:00:00Z', 100, 101, 99, 100.5, 1_000),
      bar('2024-03-08T05:00:00Z', 100.5, 102, 100, 101.25, 2_000),
      bar('2024-03-11T04:00:00Z', 101, 103.33, 100.75, 103.07, 3_000),
      bar('2024-03-12T04:00:00Z', 103, 104, 102.5, 103.5, 4_000),
      bar('2024-03-13T04:00:00Z', 103.5, 105, 103, 104.99, 5_000),
    ];
    fake.handleBars(barsFrom({ ACME: bars }, 2));
    const r = await provider().fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-07'), to: endOf('2024-03-13') });
    expect(rows(r)).toEqual([
      ['2024-03-07T00:00:00.000Z', 100, 101, 99, 100.5, 1_000],
      ['2024-03-08T00:00:00.000Z', 100.5, 102, 100, 101.25, 2_000],
      ['2024-03-11T00:00:00.000Z', 101, 103.33, 100.75, 103.07, 3_000],
      ['2024-03-12T00:00:00.000Z', 103, 104, 102.5, 103.5, 4_000],
      ['2024-03-13T00:00:00.000Z', 103.5, 105, 103, 104.99, 5_000],
    ]);
    expect(r.series).toMatchObject({ symbol: 'ACME', timeframe: '1d', priceDecimals: 2 });
    expect(r.corporateActions).toEqual([]);
    expect(fake.barRequests.map((q) => q.params.get('page_token'))).toEqual([null, 'page-2', 'page-4']);
    const first = fake.barRequests[0]!;
    expect(Object.fromEntries(first.params)).toEqual({ timeframe: '1Day', start: '2024-03-06T00:00:00.000Z', end: '2024-03-14T23:59:59.999Z', limit: '10000', adjustment: 'raw', feed: 'iex', sort: 'asc' });
    expect(first.headers['apca-api-key-id']).toBe(FAKE_KEY);
    expect(first.headers['apca-api-secret-key']).toBe(FAKE_SECRET);
  });

  it('reads splits and cash dividends from /v1/corporate-actions, ex-dates in the range, and names a malformed field', async () => {
    fake.handleBars(barsFrom({ ACME: [bar('2024-03-08T05:00:00Z', 1, 2, 0.5, 1.5, 9)] }));
    const split = (symbol: string, ex: string, newRate: number, oldRate: number): Record<string, unknown> => ({ corporate_action_type: 'forward_split', symbol, new_rate: newRate, old_rate: oldRate, process_date: ex, ex_date: ex, payable_date: ex });
    fake.handleActions((r, n) =>
      n === 1
        ? {
            body: {
              corporate_actions: {
                forward_splits: [split('ACME', '2024-03-11', 4, 1)],
                cash_dividends: [{ corporate_action_type: 'cash_dividend', symbol: 'ACME', rate: 0.24, special: false, foreign: false, process_date: '2024-03-06', ex_date: '2024-03-05', record_date: null }],
              },
              next_page_token: 'p2',
            },
          }
        : { body: { corporate_actions: { reverse_splits: [{ ...split('ACME', '2024-03-12', 1, 10), corporate_action_type: 'reverse_split' }, split('OTHER', '2024-03-12', 2, 1)], cash_dividends: [] }, next_page_token: null } },
    );
    const r = await provider().fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-04'), to: endOf('2024-03-12') });
    expect(r.corporateActions).toEqual([
      { kind: 'dividend', symbol: 'ACME', ts: day('2024-03-05'), amount: 0.24, currency: 'USD' },
      { kind: 'split', symbol: 'ACME', ts: day('2024-03-11'), numerator: 4, denominator: 1 },
      { kind: 'split', symbol: 'ACME', ts: day('2024-03-12'), numerator: 1, denominator: 10 },
    ]);
    expect(fake.actionRequests.map((q) => Object.fromEntries(q.params))).toEqual([
      { symbols: 'ACME', types: 'forward_split,reverse_split,cash_dividend', start: '2024-03-04', end: '2024-03-12', limit: '1000' },
      { symbols: 'ACME', types: 'forward_split,reverse_split,cash_dividend', start: '2024-03-04', end: '2024-03-12', limit: '1000', page_token: 'p2' },
    ]);
    expect(fake.actionRequests[0]?.headers['apca-api-key-id']).toBe(FAKE_KEY);
    fake.handleActions(() => ({ body: { corporate_actions: { forward_splits: [{ symbol: 'ACME', new_rate: 4, old_rate: 1, ex_date: '2024/03/11' }] }, next_page_token: null } }));
    const e = await failure(provider().fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-04'), to: endOf('2024-03-12') }));
    expect(e.code).toBe('PI5_ERR_PROVIDER_PAYLOAD');
    expect(e.message).toMatch(/^alpaca ACME corporate actions: corporate_actions\.forward_splits\[0\]\.ex_date/);
  });

  it('keeps intraday stamps as the bar open in UTC, filters to the inclusive range and keeps sub-cent ticks', async () => {
    fake.handleBars(barsFrom({ PENNY: [bar('2024-03-11T13:30:00Z', 0.1234, 0.125, 0.12, 0.1241, 5e6), bar('2024-03-11T13:35:00Z', 0.1241, 0.13, 0.1238, 0.1299, 7e6), bar('2024-03-11T13:40:00Z', 0.13, 0.13, 0.13, 0.13, 1)] }));
    const r = await provider().fetchBars({ symbol: 'PENNY', timeframe: '5m', from: Date.parse('2024-03-11T13:30:00Z'), to: Date.parse('2024-03-11T13:35:00Z') });
    expect(rows(r)).toEqual([
      ['2024-03-11T13:30:00.000Z', 0.1234, 0.125, 0.12, 0.1241, 5e6],
      ['2024-03-11T13:35:00.000Z', 0.1241, 0.13, 0.1238, 0.1299, 7e6],
    ]);
    expect(r.series.priceDecimals).toBe(4);
    expect(fake.barRequests[0]!.params.get('timeframe')).toBe('5Min');
  });

  it('maps weekly and monthly bars to Monday and the 1st, and reads bars: null as no bars', async () => {
    fake.handleBars(barsFrom({ W: [bar('2024-03-04T05:00:00Z', 1, 2, 0.5, 1.5, 10)] }));
    const w = await provider().fetchBars({ symbol: 'W', timeframe: '1w', from: day('2024-03-01'), to: endOf('2024-03-31') });
    expect(rows(w).map((x) => x[0])).toEqual(['2024-03-04T00:00:00.000Z']);
    expect(fake.barRequests[0]!.params.get('timeframe')).toBe('1Week');
    fake.handleBars(barsFrom({}));
    const none = await provider().fetchBars({ symbol: 'EMPTY', timeframe: '1M', from: day('2024-01-01'), to: endOf('2024-03-31') });
    expect(none.series.length).toBe(0);
    expect(fake.barRequests[0]!.params.get('timeframe')).toBe('1Month');
  });

  it('retries a 429 after a jittered delay, then gives up on repeated 500s without printing the secret', async () => {
    sleeps.length = 0;
    fake.handleBars((r, n) => (n === 1 ? { status: 429, body: { message: 'too many requests' } } : barsFrom({ ACME: [bar('2024-03-08T05:00:00Z', 1, 2, 0.5, 1.5, 9)] })(r, n)));
    const ok = await provider().fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-08'), to: endOf('2024-03-08') });
    expect(ok.series.length).toBe(1);
    expect(fake.barRequests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2.5);
    expect(sleeps[0]).toBeLessThan(7.5);

    fake.handleBars(() => ({ status: 500, body: { message: 'internal error' } }));
    const e = await failure(provider(3).fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-08'), to: endOf('2024-03-08') }));
    expect(e.code).toBe('PI5_ERR_PROVIDER');
    expect(e.message).toMatch(/^alpaca ACME: HTTP 500 after 3 attempts \(http:\/\/127\.0\.0\.1:\d+\/v2\/stocks\/ACME\/bars\?timeframe=1Day&/);
    expect(e.message).not.toContain(FAKE_SECRET);
    expect(fake.barRequests).toHaveLength(3);
  });

  it("reports Alpaca's error body: 403 as a credentials problem, an invalid symbol as unknown", async () => {
    fake.handleBars(() => ({ status: 403, body: { message: 'forbidden' } }));
    const denied = await failure(provider().fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-08'), to: endOf('2024-03-08') }));
    expect(denied).toEqual({ code: 'PI5_ERR_PROVIDER', message: 'alpaca ACME: HTTP 403 forbidden (check APCA_API_KEY_ID / APCA_API_SECRET_KEY and the feed your plan includes)' });
    expect(fake.barRequests).toHaveLength(1);
    fake.handleBars(() => ({ status: 400, body: { code: 40010001, message: 'invalid symbol: NOPE!' } }));
    const unknown = await failure(provider().fetchBars({ symbol: 'NOPE!', timeframe: '1d', from: day('2024-03-08'), to: endOf('2024-03-08') }));
    expect(unknown).toEqual({ code: 'PI5_ERR_UNKNOWN_SYMBOL', message: 'alpaca NOPE!: HTTP 400 invalid symbol: NOPE!' });
  });

  it('names the field of a malformed payload', async () => {
    const bad = (patch: (b: Record<string, unknown>[]) => void) => {
      const bars: Record<string, unknown>[] = [{ ...bar('2024-03-07T05:00:00Z', 1, 2, 0.5, 1.5, 9) }, { ...bar('2024-03-08T05:00:00Z', 1, 2, 0.5, 1.5, 9) }];
      patch(bars);
      fake.handleBars(() => ({ body: { bars, symbol: 'NVDA', next_page_token: null } }));
      return failure(provider().fetchBars({ symbol: 'NVDA', timeframe: '1d', from: day('2024-03-07'), to: endOf('2024-03-08') }));
    };
    expect(await bad((b) => (b[1]!.c = 'abc'))).toEqual({ code: 'PI5_ERR_PROVIDER_PAYLOAD', message: 'alpaca NVDA: bars[1].c is not a number (got "abc")' });
    expect((await bad((b) => (b[0]!.t = 'yesterday'))).message).toBe('alpaca NVDA: bars[0].t is not an RFC 3339 time (got "yesterday")');
    expect((await bad((b) => delete b[0]!.v)).message).toBe('alpaca NVDA: bars[0].v is missing');
    expect((await bad((b) => b.reverse())).message).toBe('alpaca NVDA: bars[1].t 2024-03-07T05:00:00Z is before the previous bar');
    fake.handleBars(() => ({ body: '{"bars": [' }));
    expect((await failure(provider().fetchBars({ symbol: 'NVDA', timeframe: '1d', from: 0, to: 1 }))).message).toMatch(/^alpaca NVDA: HTTP 200 body is not JSON/);
  });

  it('stops on a next_page_token that repeats', async () => {
    fake.handleBars(() => ({ body: { bars: [bar('2024-03-08T05:00:00Z', 1, 2, 0.5, 1.5, 9)], symbol: 'LOOP', next_page_token: 'same' } }));
    const e = await failure(provider().fetchBars({ symbol: 'LOOP', timeframe: '1d', from: day('2024-03-08'), to: endOf('2024-03-08') }));
    expect(e.code).toBe('PI5_ERR_PROVIDER_PAYLOAD');
    expect(e.message).toMatch(/^alpaca LOOP: next_page_token "same" repeats/);
    expect(fake.barRequests).toHaveLength(2);
  });

  it('is configured from the environment and refuses to run without credentials or on timeframes Alpaca lacks', async () => {
    const env = { APCA_API_DATA_URL: fake.baseUrl } as NodeJS.ProcessEnv;
    let msg = '';
    try {
      historicalProvider('alpaca', env);
    } catch (e) {
      msg = isPi5Error(e) ? `${e.code} ${e.message}` : String(e);
    }
    expect(msg).toMatch(/^PI5_ERR_BAD_CONFIG alpaca: APCA_API_KEY_ID and APCA_API_SECRET_KEY must be set/);
    fake.handleBars(barsFrom({ ACME: [bar('2024-03-08T05:00:00Z', 1, 2, 0.5, 1.5, 9)] }));
    const p = historicalProvider('alpaca', { ...env, APCA_API_KEY_ID: FAKE_KEY, APCA_API_SECRET_KEY: FAKE_SECRET });
    expect(p.name).toBe('alpaca');
    expect((await p.fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-08'), to: endOf('2024-03-08') })).series.length).toBe(1);
    expect((await failure(provider().fetchBars({ symbol: 'ACME', timeframe: '90m', from: 0, to: 1 }))).message).toMatch(/timeframe "90m" is not offered by Alpaca/);
  });
});
