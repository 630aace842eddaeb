// The Yahoo provider end to end through its real HTTP code path against a local fake serving payloads
// in Yahoo's wire format: date keys, intraday stamps, null rows, raw prices under splits, corporate
// actions, error payloads, retries and give-ups, malformed bodies.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../../src/core/errors.js';
import { historicalProvider } from '../../../../src/data/providers/index.js';
import type { HistoricalBars } from '../../../../src/data/providers/types.js';
import { YahooProvider } from '../../../../src/data/providers/yahoo/provider.js';
import { startFakeYahoo, type FakeYahoo } from './fakeYahoo.js';
import { chartError, chartPayload, type ChartFixture } from './yahooFixture.js';

let fake: FakeYahoo;
beforeAll(async () => {
  fake = await startFakeYahoo();
});
afterAll(async () => fake.close());

const NOW = Date.UTC(2024, 11, 31);
const day = (d: string): number => Date.parse(`${d}T00:00:00Z`);
const endOf = (d: string): number => day(d) + 86_400_000 - 1;
const sleeps: number[] = [];

function provider(maxAttempts = 3, timeoutMs = 30_000): YahooProvider {
  return new YahooProvider({
    baseUrl: fake.baseUrl,
    now: () => NOW,
    policy: { maxAttempts, baseDelayMs: 5, maxDelayMs: 50, timeoutMs },
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((r) => setTimeout(r, ms));
    },
  });
}

/** Serves `f` for bar requests and an empty monthly look-ahead (optionally with later splits). */
function serve(f: ChartFixture, later: ChartFixture['splits'] = []): void {
  fake.handle((r) => (r.params.get('interval') === '1mo' ? { body: chartPayload({ symbol: r.symbol, bars: [], splits: later }) } : { body: chartPayload(f) }));
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

const bar = (at: string, o: number, h: number, l: number, c: number, v: number) => ({ at, open: o, high: h, low: l, close: c, volume: v });

describe('yahoo historical bars', () => {
  it('keys daily bars by trading date at 00:00 UTC across a DST change, with exact raw prices', async () => {
    serve({ symbol: 'ACME', bars: [bar('2024-03-08', 101.25, 102.5, 100.75, 101.99, 1_200_300), bar('2024-03-11', 102, 103.33, 101.1, 103.07, 987_654)] });
    const r = await provider().fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-01'), to: endOf('2024-03-29') });
    expect(rows(r)).toEqual([
      ['2024-03-08T00:00:00.000Z', 101.25, 102.5, 100.75, 101.99, 1_200_300],
      ['2024-03-11T00:00:00.000Z', 102, 103.33, 101.1, 103.07, 987_654],
    ]);
    expect(r.series).toMatchObject({ symbol: 'ACME', timeframe: '1d', priceDecimals: 2 });
    const q = fake.requests.find((x) => x.params.get('interval') === '1d')!;
    expect(q.symbol).toBe('ACME');
    expect(Object.fromEntries(q.params)).toMatchObject({ events: 'div,splits', includeAdjustedClose: 'true', period1: String(day('2024-03-01') / 1000 - 86_400) });
  });

  it('puts a session that opens on the previous UTC date (Sydney) on its own trading date', async () => {
    serve({ symbol: 'BHP.AX', timeZone: 'Australia/Sydney', openLocal: { hour: 10, minute: 0 }, currency: 'AUD', bars: [bar('2024-01-03', 45.5, 46, 45.1, 45.8, 5_000_000)] });
    const r = await provider().fetchBars({ symbol: 'BHP.AX', timeframe: '1d', from: day('2024-01-03'), to: endOf('2024-01-03') });
    expect(rows(r)).toEqual([['2024-01-03T00:00:00.000Z', 45.5, 46, 45.1, 45.8, 5_000_000]]);
  });

  it('keeps intraday stamps as the bar open in UTC and filters to the inclusive range', async () => {
    serve({ symbol: 'ACME', interval: '60m', bars: [bar('2024-03-11T13:30:00Z', 10, 10.5, 9.9, 10.2, 1000), bar('2024-03-11T14:30:00Z', 10.2, 10.4, 10.1, 10.3, 800), bar('2024-03-11T15:30:00Z', 10.3, 10.3, 10, 10.05, 700)] });
    const r = await provider().fetchBars({ symbol: 'ACME', timeframe: '1h', from: Date.parse('2024-03-11T13:30:00Z'), to: Date.parse('2024-03-11T14:30:00Z') });
    expect(rows(r)).toEqual([
      ['2024-03-11T13:30:00.000Z', 10, 10.5, 9.9, 10.2, 1000],
      ['2024-03-11T14:30:00.000Z', 10.2, 10.4, 10.1, 10.3, 800],
    ]);
    expect(fake.requests[0]!.params.get('interval')).toBe('60m');
  });

  it('skips and counts null rows', async () => {
    serve({ symbol: 'ACME', bars: [bar('2024-07-02', 5, 6, 4, 5.5, 10), { at: '2024-07-03', missing: true }, bar('2024-07-05', 5.5, 5.75, 5.25, 5.5, 20)] });
    const r = await provider().fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-07-01'), to: endOf('2024-07-05') });
    expect(r.skippedRows).toBe(1);
    expect(rows(r).map((x) => x[0])).toEqual(['2024-07-02T00:00:00.000Z', '2024-07-05T00:00:00.000Z']);
  });

  it('stores raw prices across a split and returns the split and dividends (amounts un-adjusted)', async () => {
    serve({
      symbol: 'SPLT',
      bars: [bar('2024-06-06', 400, 404, 396, 402.44, 1000), bar('2024-06-07', 402, 410.5, 401, 408.88, 1500), bar('2024-06-10', 102.5, 103, 101.75, 102.25, 6000), bar('2024-06-11', 102, 102.5, 101, 101.5, 5000)],
      splits: [{ date: '2024-06-10', numerator: 4, denominator: 1 }],
      dividends: [{ date: '2024-06-07', amount: 0.96 }, { date: '2024-06-11', amount: 0.25 }],
    });
    const r = await provider().fetchBars({ symbol: 'SPLT', timeframe: '1d', from: day('2024-06-01'), to: endOf('2024-06-30') });
    expect(rows(r)).toEqual([
      ['2024-06-06T00:00:00.000Z', 400, 404, 396, 402.44, 1000],
      ['2024-06-07T00:00:00.000Z', 402, 410.5, 401, 408.88, 1500],
      ['2024-06-10T00:00:00.000Z', 102.5, 103, 101.75, 102.25, 6000],
      ['2024-06-11T00:00:00.000Z', 102, 102.5, 101, 101.5, 5000],
    ]);
    expect(r.corporateActions).toEqual([
      { kind: 'dividend', symbol: 'SPLT', ts: day('2024-06-07'), amount: 0.96, currency: 'USD' },
      { kind: 'split', symbol: 'SPLT', ts: day('2024-06-10'), numerator: 4, denominator: 1 },
      { kind: 'dividend', symbol: 'SPLT', ts: day('2024-06-11'), amount: 0.25, currency: 'USD' },
    ]);
  });

  it('undoes a split after the range found by the look-ahead request', async () => {
    const f: ChartFixture = { symbol: 'LATE', bars: [bar('2024-01-02', 250, 255, 249, 252.5, 300)], splits: [{ date: '2024-06-10', numerator: 10, denominator: 1 }] };
    // The bar request's own events cover only its range, so strip the later split from that answer.
    fake.handle((q) => {
      const payload = chartPayload(f) as { chart: { result: Array<{ events?: unknown }> } };
      if (q.params.get('interval') === '1mo') return { body: chartPayload({ symbol: 'LATE', bars: [], splits: f.splits }) };
      delete payload.chart.result[0]!.events;
      return { body: payload };
    });
    const r = await provider().fetchBars({ symbol: 'LATE', timeframe: '1d', from: day('2024-01-02'), to: endOf('2024-01-02') });
    expect(rows(r)).toEqual([['2024-01-02T00:00:00.000Z', 250, 255, 249, 252.5, 300]]);
    expect(r.corporateActions).toEqual([]);
    expect(fake.requests.map((q) => q.params.get('interval'))).toEqual(['1d', '1mo']);
  });

  it("reports Yahoo's own error payload for an unknown symbol", async () => {
    fake.handle(() => ({ status: 404, body: chartError('Not Found', 'No data found, symbol may be delisted') }));
    const e = await failure(provider().fetchBars({ symbol: 'NOPE', timeframe: '1d', from: day('2024-01-01'), to: endOf('2024-01-31') }));
    expect(e).toEqual({ code: 'PI5_ERR_UNKNOWN_SYMBOL', message: 'yahoo NOPE: Yahoo error Not Found: No data found, symbol may be delisted' });
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 429 after a jittered delay and then succeeds', async () => {
    sleeps.length = 0;
    fake.handle((r, n) => (n === 1 ? { status: 429, body: 'Too Many Requests' } : { body: chartPayload({ symbol: r.symbol, bars: [bar('2024-03-08', 1, 2, 0.5, 1.5, 9)] }) }));
    const r = await provider().fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-08'), to: endOf('2024-03-08') });
    expect(r.series.length).toBe(1);
    expect(fake.requests.map((q) => q.params.get('interval'))).toEqual(['1d', '1d', '1mo']);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2.5);
    expect(sleeps[0]).toBeLessThan(7.5);
  });

  it('gives up after N attempts of HTTP 500 with a clear error, in bounded time', async () => {
    sleeps.length = 0;
    fake.handle(() => ({ status: 500, body: 'oops' }));
    const e = await failure(provider(3).fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-08'), to: endOf('2024-03-08') }));
    expect(e.code).toBe('PI5_ERR_PROVIDER');
    expect(e.message).toMatch(/^yahoo ACME: HTTP 500 after 3 attempts \(http:\/\/127\.0\.0\.1:\d+\/v8\/finance\/chart\/ACME\?/);
    expect(fake.requests).toHaveLength(3);
    // Bounded time is the provider's own schedule: one wait between attempts, each capped by maxDelayMs.
    expect(sleeps).toHaveLength(2);
    for (const ms of sleeps) expect(ms).toBeLessThanOrEqual(50);
  });

  it('times out a server that never answers', async () => {
    fake.handle(() => ({ hang: true }));
    const e = await failure(provider(2, 150).fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-08'), to: endOf('2024-03-08') }));
    expect(e.code).toBe('PI5_ERR_PROVIDER');
    expect(e.message).toMatch(/^yahoo ACME: no answer within 150 ms after 2 attempts/);
  });

  it('names the field of a schema violation', async () => {
    const p = chartPayload({ symbol: 'NVDA', bars: [bar('2024-03-07', 1, 2, 0.5, 1.5, 9), bar('2024-03-08', 1, 2, 0.5, 1.5, 9)] }) as { chart: { result: Array<{ indicators: { quote: Array<{ close: unknown[] }> } }> } };
    p.chart.result[0]!.indicators.quote[0]!.close[1] = 'abc';
    fake.handle(() => ({ body: p }));
    const e = await failure(provider().fetchBars({ symbol: 'NVDA', timeframe: '1d', from: day('2024-03-07'), to: endOf('2024-03-08') }));
    expect(e).toEqual({ code: 'PI5_ERR_PROVIDER_PAYLOAD', message: 'yahoo NVDA: indicators.quote[0].close[1] is not a number (got "abc")' });
  });

  it('names the column whose length differs from timestamp', async () => {
    const p = chartPayload({ symbol: 'NVDA', bars: [bar('2024-03-07', 1, 2, 0.5, 1.5, 9), bar('2024-03-08', 1, 2, 0.5, 1.5, 9)] }) as { chart: { result: Array<{ indicators: { quote: Array<{ volume: unknown[] }> } }> } };
    p.chart.result[0]!.indicators.quote[0]!.volume.pop();
    fake.handle(() => ({ body: p }));
    const e = await failure(provider().fetchBars({ symbol: 'NVDA', timeframe: '1d', from: day('2024-03-07'), to: endOf('2024-03-08') }));
    expect(e).toEqual({ code: 'PI5_ERR_PROVIDER_PAYLOAD', message: 'yahoo NVDA: indicators.quote[0].volume has 1 entries, timestamp has 2' });
  });

  it('rejects a body that is not JSON', async () => {
    fake.handle(() => ({ body: '{"chart": {"result": [' }));
    const e = await failure(provider().fetchBars({ symbol: 'NVDA', timeframe: '1d', from: day('2024-03-07'), to: endOf('2024-03-08') }));
    expect(e.code).toBe('PI5_ERR_PROVIDER_PAYLOAD');
    expect(e.message).toMatch(/^yahoo NVDA: HTTP 200 body is not JSON: /);
  });

  it('refuses timeframes Yahoo does not offer and providers not built yet', async () => {
    expect((await failure(provider().fetchBars({ symbol: 'ACME', timeframe: '4h', from: 0, to: 1 }))).message).toMatch(/timeframe "4h" is not offered by Yahoo/);
    let msg = '';
    try {
      historicalProvider('nope');
    } catch (e) {
      msg = isPi5Error(e) ? `${e.code} ${e.message}` : String(e);
    }
    expect(msg).toMatch(/^PI5_ERR_BAD_USAGE --provider "nope" is not a provider; supported: yahoo, /);
  });
});
