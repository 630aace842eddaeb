// The Alpha Vantage provider end to end through its real HTTP code path against a local fake speaking its
// wire format: daily and adjusted series with splits and dividends, weekly keys, intraday US/Eastern stamps
// across a DST change, month-by-month intraday requests, throttle notices, errors and malformed payloads.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../../src/core/errors.js';
import { AlphaVantageProvider, type AlphaVantageProviderOptions } from '../../../../src/data/providers/alphavantage/provider.js';
import { historicalProvider } from '../../../../src/data/providers/index.js';
import type { HistoricalBars } from '../../../../src/data/providers/types.js';
import { bar, dailyPayload, ERROR_MESSAGE, INFORMATION_PREMIUM, INFORMATION_THROTTLE, intradayPayload, NOTE_THROTTLE, startFakeAlphaVantage, weeklyPayload, type FakeAlphaVantage } from './fakeAlphaVantage.js';

let fake: FakeAlphaVantage;
beforeAll(async () => {
  fake = await startFakeAlphaVantage();
});
afterAll(async () => fake.close());

const NOW = Date.UTC(2024, 11, 31);
const day = (d: string): number => Date.parse(`${d}T00:00:00Z`);
const endOf = (d: string): number => day(d) + 86_400_000 - 1;
const sleeps: number[] = [];

function avProvider(extra: AlphaVantageProviderOptions = {}): AlphaVantageProvider {
  return new AlphaVantageProvider({
    apiKey: 'test-key',
    baseUrl: fake.baseUrl,
    now: () => NOW,
    policy: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2_000 },
    throttleWaitMs: 7,
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((r) => setTimeout(r, Math.min(ms, 20)));
    },
    ...extra,
  });
}

function rows(r: HistoricalBars): Array<[string, number, number, number, number, number]> {
  const s = r.series;
  return Array.from({ length: s.length }, (_, i) => [new Date(s.ts[i] ?? NaN).toISOString(), s.open[i] ?? NaN, s.high[i] ?? NaN, s.low[i] ?? NaN, s.close[i] ?? NaN, s.volume[i] ?? NaN]);
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

const dailyBars = [bar('2024-03-07', '100.5000', '101.2500', '99.8000', '100.9900', '1200300'), bar('2024-03-08', '101.0000', '102.5000', '100.7500', '101.9900', '987654'), bar('2024-03-11', '102.0000', '103.3300', '101.1000', '103.0700', '876543')];

describe('alphavantage historical bars', () => {
  it('maps TIME_SERIES_DAILY (newest first, string numbers) to raw bars at 00:00 UTC within the range', async () => {
    fake.handle((r) => ({ body: dailyPayload(r.params.get('symbol') ?? '', dailyBars, false) }));
    const r = await avProvider({ adjusted: false }).fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-08'), to: endOf('2024-03-11') });
    expect(rows(r)).toEqual([
      ['2024-03-08T00:00:00.000Z', 101, 102.5, 100.75, 101.99, 987_654],
      ['2024-03-11T00:00:00.000Z', 102, 103.33, 101.1, 103.07, 876_543],
    ]);
    expect(r.series).toMatchObject({ symbol: 'ACME', timeframe: '1d', priceDecimals: 2 });
    expect(r.corporateActions).toEqual([]);
    expect(Object.fromEntries(fake.requests[0]?.params ?? [])).toEqual({ function: 'TIME_SERIES_DAILY', symbol: 'ACME', outputsize: 'full', datatype: 'json', apikey: 'test-key' });
  });

  it('asks for the compact output when the range starts within the last 100 sessions', async () => {
    fake.handle((r) => ({ body: dailyPayload(r.params.get('symbol') ?? '', [], false) }));
    await avProvider({ adjusted: false }).fetchBars({ symbol: 'ACME', timeframe: '1d', from: NOW - 30 * 86_400_000, to: NOW });
    expect(fake.requests[0]?.params.get('outputsize')).toBe('compact');
  });

  it('returns splits and dividends of TIME_SERIES_DAILY_ADJUSTED with the raw prices around them', async () => {
    const bars = [
      bar('2024-06-07', '402.0000', '410.5000', '401.0000', '408.8800', '1500', { dividend: '0.9600', adjClose: '101.98' }),
      bar('2024-06-10', '102.5000', '103.0000', '101.7500', '102.2500', '6000', { split: '4.0' }),
      bar('2024-06-11', '102.0000', '102.5000', '101.0000', '101.5000', '5000'),
      bar('2024-06-12', '101.5000', '101.5000', '49.9000', '50.1234', '9000', { split: '0.5' }),
    ];
    fake.handle(() => ({ body: dailyPayload('SPLT', bars, true) }));
    const r = await avProvider({ adjusted: true }).fetchBars({ symbol: 'SPLT', timeframe: '1d', from: day('2024-06-01'), to: endOf('2024-06-30') });
    expect(fake.requests[0]?.params.get('function')).toBe('TIME_SERIES_DAILY_ADJUSTED');
    expect(rows(r)[0]).toEqual(['2024-06-07T00:00:00.000Z', 402, 410.5, 401, 408.88, 1500]);
    expect(r.series.priceDecimals).toBe(4);
    expect(r.corporateActions).toEqual([
      { kind: 'dividend', symbol: 'SPLT', ts: day('2024-06-07'), amount: 0.96, currency: 'USD' },
      { kind: 'split', symbol: 'SPLT', ts: day('2024-06-10'), numerator: 4, denominator: 1 },
      { kind: 'split', symbol: 'SPLT', ts: day('2024-06-12'), numerator: 1, denominator: 2 },
    ]);
  });

  it('keys weekly bars by their Monday and the week\'s dividend by the row\'s date', async () => {
    const bars = [bar('2024-03-01', '10.00', '11.00', '9.50', '10.50', '5000'), bar('2024-03-08', '10.50', '12.00', '10.25', '11.75', '7000', { dividend: '0.1200' })];
    fake.handle(() => ({ body: weeklyPayload('WEEK', bars, true) }));
    const r = await avProvider().fetchBars({ symbol: 'WEEK', timeframe: '1w', from: day('2024-02-26'), to: endOf('2024-03-10') });
    expect(fake.requests[0]?.params.get('function')).toBe('TIME_SERIES_WEEKLY_ADJUSTED');
    expect(rows(r).map((x) => x[0])).toEqual(['2024-02-26T00:00:00.000Z', '2024-03-04T00:00:00.000Z']);
    expect(r.corporateActions).toEqual([{ kind: 'dividend', symbol: 'WEEK', ts: day('2024-03-08'), amount: 0.12, currency: 'USD' }]);
  });

  it('converts intraday US/Eastern open times to UTC across the DST change, one request per month', async () => {
    const feb = [bar('2024-02-29 15:55:00', '50.00', '50.10', '49.90', '50.05', '100')];
    const mar = [bar('2024-03-08 09:30:00', '50.10', '50.30', '50.00', '50.20', '200'), bar('2024-03-11 09:30:00', '51.00', '51.20', '50.90', '51.10', '300'), bar('2024-03-11 09:35:00', '51.10', '51.15', '51.00', '51.05', '150')];
    fake.handle((q) => ({ body: intradayPayload('ACME', '5min', q.params.get('month') === '2024-02' ? feb : mar) }));
    const r = await avProvider().fetchBars({ symbol: 'ACME', timeframe: '5m', from: Date.parse('2024-02-29T20:55:00Z'), to: Date.parse('2024-03-11T13:30:00Z') });
    expect(rows(r)).toEqual([
      ['2024-02-29T20:55:00.000Z', 50, 50.1, 49.9, 50.05, 100],
      ['2024-03-08T14:30:00.000Z', 50.1, 50.3, 50, 50.2, 200],
      ['2024-03-11T13:30:00.000Z', 51, 51.2, 50.9, 51.1, 300],
    ]);
    expect(fake.requests.map((q) => Object.fromEntries(q.params))).toEqual(
      ['2024-02', '2024-03'].map((month) => ({ function: 'TIME_SERIES_INTRADAY', symbol: 'ACME', interval: '5min', month, outputsize: 'full', adjusted: 'false', extended_hours: 'false', datatype: 'json', apikey: 'test-key' })),
    );
  });

  it('waits out a "Note" throttle reply and retries', async () => {
    sleeps.length = 0;
    fake.handle((_, n) => ({ body: n === 1 ? NOTE_THROTTLE : dailyPayload('ACME', dailyBars, false) }));
    const r = await avProvider({ adjusted: false }).fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-01'), to: endOf('2024-03-31') });
    expect(r.series.length).toBe(3);
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toEqual([7]);
  });

  it('turns repeated "Information" throttle replies into PI5_ERR_RATE_LIMITED, never data', async () => {
    fake.handle(() => ({ body: INFORMATION_THROTTLE }));
    const f = await failure(avProvider({ throttleRetries: 1 }).fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-01'), to: endOf('2024-03-31') }));
    expect(f.code).toBe('PI5_ERR_RATE_LIMITED');
    expect(f.message).toMatch(/^alphavantage ACME: Alpha Vantage throttled TIME_SERIES_DAILY: Thank you/);
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry a premium-only notice, and says in one line what to change', async () => {
    fake.handle(() => ({ body: INFORMATION_PREMIUM }));
    const f = await failure(avProvider({ adjusted: true }).fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-01'), to: endOf('2024-03-31') }));
    expect(f).toMatchObject({ code: 'PI5_ERR_PROVIDER' });
    expect(f.message).toBe('alphavantage ACME: TIME_SERIES_DAILY_ADJUSTED is premium-only for this API key; set ALPHAVANTAGE_ADJUSTED=false (or leave it unset for daily bars) to use the free TIME_SERIES_DAILY, or use a premium key');
    expect(fake.requests).toHaveLength(1);
  });

  it('fetches daily bars from the free TIME_SERIES_DAILY by default and says it carries no corporate actions', async () => {
    fake.handle((r) => ({ body: dailyPayload(r.params.get('symbol') ?? '', dailyBars, false) }));
    const p = avProvider();
    const r = await p.fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-01'), to: endOf('2024-03-31') });
    expect(fake.requests[0]?.params.get('function')).toBe('TIME_SERIES_DAILY');
    expect(r.corporateActions).toEqual([]);
    expect(p.actionsNote('1d')).toMatch(/^TIME_SERIES_DAILY carries no splits or dividends \(raw prices\)/);
    // Weekly and monthly adjusted series are free and carry dividends: the default keeps them.
    expect(p.actionsNote('1w')).toBeUndefined();
    expect(avProvider({ adjusted: true }).actionsNote('1d')).toBeUndefined();
  });

  it('answers "Error Message" with PI5_ERR_UNKNOWN_SYMBOL', async () => {
    fake.handle(() => ({ body: ERROR_MESSAGE }));
    const f = await failure(avProvider({ adjusted: true }).fetchBars({ symbol: 'NOPE', timeframe: '1d', from: day('2024-03-01'), to: endOf('2024-03-31') }));
    expect(f.code).toBe('PI5_ERR_UNKNOWN_SYMBOL');
    expect(f.message).toMatch(/^alphavantage NOPE: Alpha Vantage error for TIME_SERIES_DAILY_ADJUSTED \(unknown symbol or bad request\): Invalid API call/);
  });

  it('names the field and value of a malformed row, a missing series and a non-JSON body', async () => {
    const p = avProvider({ adjusted: false });
    const req = { symbol: 'BAD', timeframe: '1d', from: day('2024-03-01'), to: endOf('2024-03-31') };
    fake.handle(() => ({ body: dailyPayload('BAD', [bar('2024-03-08', '1.00', '2.00', '0.50', 'abc', '10')], false) }));
    expect(await failure(p.fetchBars(req))).toEqual({ code: 'PI5_ERR_PROVIDER_PAYLOAD', message: 'alphavantage BAD: TIME_SERIES_DAILY: Time Series (Daily)["2024-03-08"]["4. close"] is not a decimal number (got "abc")' });
    fake.handle(() => ({ body: { 'Meta Data': { '2. Symbol': 'BAD' } } }));
    expect((await failure(p.fetchBars(req))).message).toBe('alphavantage BAD: TIME_SERIES_DAILY: Time Series (Daily) is missing');
    fake.handle(() => ({ body: dailyPayload('BAD', [bar('2024-3-8', '1.00', '2.00', '0.50', '1.50', '10')], false) }));
    expect((await failure(p.fetchBars(req))).message).toBe('alphavantage BAD: Time Series (Daily)["2024-3-8"] is not a YYYY-MM-DD date');
    fake.handle(() => ({ body: '<html>oops</html>' }));
    expect(await failure(p.fetchBars(req))).toMatchObject({ code: 'PI5_ERR_PROVIDER_PAYLOAD', message: expect.stringMatching(/alphavantage BAD: HTTP 200 body is not JSON/) });
  });

  it('retries HTTP 500 and 429, and gives up naming the URL without the API key', async () => {
    fake.handle((r, n) => (n < 3 ? { status: n === 1 ? 500 : 429, body: 'busy' } : { body: dailyPayload('ACME', dailyBars, false) }));
    const ok = await avProvider({ adjusted: false }).fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-01'), to: endOf('2024-03-31') });
    expect(ok.series.length).toBe(3);
    expect(fake.requests).toHaveLength(3);
    fake.handle(() => ({ status: 503, body: 'down' }));
    const f = await failure(avProvider().fetchBars({ symbol: 'ACME', timeframe: '1d', from: day('2024-03-01'), to: endOf('2024-03-31') }));
    expect(f.code).toBe('PI5_ERR_PROVIDER');
    expect(f.message).toMatch(/^alphavantage ACME: HTTP 503 after 3 attempts \(http:\/\/127\.0\.0\.1:\d+\/query\?.*apikey=\*\*\*\)$/);
    expect(f.message).not.toContain('test-key');
  });

  it('refuses without an API key or for a timeframe Alpha Vantage lacks, before any request', async () => {
    fake.handle(() => ({ body: dailyPayload('ACME', dailyBars, false) }));
    const env = { ALPHAVANTAGE_BASE_URL: fake.baseUrl };
    expect((await failure(historicalProvider('alphavantage', env).fetchBars({ symbol: 'ACME', timeframe: '1d', from: 0, to: 1 }))).code).toBe('PI5_ERR_BAD_CONFIG');
    expect((await failure(avProvider().fetchBars({ symbol: 'ACME', timeframe: '4h', from: 0, to: 1 }))).code).toBe('PI5_ERR_BAD_USAGE');
    expect(fake.requests).toHaveLength(0);
  });
});
