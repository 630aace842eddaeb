// Adjusted reads over the real HTTP server (startApp on PGlite): raw bars and their corporate actions in the
// store, GET /api/v1/bars?adjust=… and an API backtest with `adjust` derive the adjusted series on read.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorporateAction } from '../../../src/data/providers/types.js';
import { allocateSeries } from '../../../src/model/barSeries.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { readAdjustedStoreSeries } from '../../../src/persistence/adjustedSeries.js';
import { CorporateActionRepository } from '../../../src/persistence/repositories/corporateActions.js';
import { startTestServer, type HttpResult, type TestServer } from '../../helpers/apiServer.js';

let srv: TestServer;
let viewer: string;
let trader: string;

// As traded: a dividend of 1.04 goes ex on Jan 5 (close before: 104 → factor 0.99), a 2:1 split on Jan 8.
const DAYS = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09', '2024-01-10'];
const CLOSES = [100, 102, 104, 103, 52, 53, 54];
const day = (d: string): number => Date.parse(`${d}T00:00:00Z`);
const actions: CorporateAction[] = [
  { kind: 'dividend', symbol: 'ACME', ts: day('2024-01-05'), amount: 1.04, currency: 'USD' },
  { kind: 'split', symbol: 'ACME', ts: day('2024-01-08'), numerator: 2, denominator: 1 },
];

beforeAll(async () => {
  srv = await startTestServer();
  viewer = await srv.userToken('vince', 'viewer');
  trader = await srv.userToken('tess', 'trader');
  const s = allocateSeries('ACME', '1d', DAYS.length, 2);
  DAYS.forEach((d, i) => {
    const c = CLOSES[i] as number;
    s.ts[i] = day(d);
    s.open[i] = c - 1;
    s.high[i] = c + 1;
    s.low[i] = c - 2;
    s.close[i] = c;
    s.volume[i] = 1000;
  });
  await new BarStore(srv.db).ingest([s]);
  await new CorporateActionRepository(srv.db).upsert(actions, 'test');
});

afterAll(async () => {
  await srv?.close();
});

const get = (path: string): Promise<HttpResult> => srv.request('GET', path, { token: viewer });
const closes = (r: HttpResult): number[] => (r.body.items as { close: number }[]).map((b) => b.close);

describe('GET /api/v1/bars?adjust=', () => {
  it('serves stored bars as traded by default and adjusted with adjust=splits or all', async () => {
    const raw = await get('/api/v1/bars?symbol=ACME');
    expect(raw.status).toBe(200);
    expect(raw.body).toMatchObject({ source: 'store', adjustment: 'none', count: 7 });
    expect(closes(raw)).toEqual(CLOSES);

    const splits = await get('/api/v1/bars?symbol=ACME&adjust=splits');
    expect(splits.status).toBe(200);
    expect(splits.body.adjustment).toBe('splits');
    expect(closes(splits)).toEqual([50, 51, 52, 51.5, 52, 53, 54]);
    expect(splits.body.items[0]).toMatchObject({ open: 49.5, high: 50.5, low: 49, volume: 2000 });

    const all = await get('/api/v1/bars?symbol=ACME&adjust=all');
    expect(closes(all)).toEqual([49.5, 50.49, 51.48, 51.5, 52, 53, 54]);
  });

  it('adjusts relative to the last bar returned: actions after it change nothing', async () => {
    const upTo = await get('/api/v1/bars?symbol=ACME&to=2024-01-05&adjust=all');
    expect(closes(upTo)).toEqual([99, 100.98, 102.96, 103]);
    const firstThree = await get('/api/v1/bars?symbol=ACME&from=2024-01-02&limit=3&adjust=splits');
    expect(closes(firstThree)).toEqual([100, 102, 104]);
  });

  it('answers 400 naming the allowed values for a bad adjust', async () => {
    const r = await get('/api/v1/bars?symbol=ACME&adjust=dividends');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('PI5_ERR_BAD_REQUEST');
    expect(r.body.error.message).toMatch(/adjust must be equal to one of the allowed values \(none, splits, all\)/);
  });
});

describe('readAdjustedStoreSeries', () => {
  it('adjusts a finer stored series before building coarser bars, so a week holding a split mixes no prices', async () => {
    // Mon–Fri as traded, 2:1 split going ex on Wednesday.
    const wk = allocateSeries('WK', '1d', 5, 2);
    [100, 102, 51, 52, 53].forEach((c, i) => {
      wk.ts[i] = day('2024-01-15') + i * 86_400_000;
      wk.open[i] = c - 1;
      wk.high[i] = c + 1;
      wk.low[i] = c - 2;
      wk.close[i] = c;
      wk.volume[i] = 1000;
    });
    await new BarStore(srv.db).ingest([wk]);
    await new CorporateActionRepository(srv.db).upsert([{ kind: 'split', symbol: 'WK', ts: day('2024-01-17'), numerator: 2, denominator: 1 }], 'test');
    const read = await readAdjustedStoreSeries(srv.db, new BarStore(srv.db), { symbols: ['WK'], timeframe: '1w', adjustment: 'splits' });
    expect(read.resampled).toEqual([{ symbol: 'WK', from: '1d', bars: 1 }]);
    const [w] = read.series;
    // Adjusted days: highs 50.5, 51.5, 52, 53, 54; lows 49, 50, 49, 50, 51; volumes 2000, 2000, 1000 × 3.
    expect(w && [w.ts[0], w.open[0], w.high[0], w.low[0], w.close[0], w.volume[0]]).toEqual([day('2024-01-15'), 49.5, 54, 49, 53, 7000]);
  });
});

describe('POST /api/v1/backtests with adjust', () => {
  async function finished(id: number): Promise<HttpResult> {
    const end = Date.now() + 30_000;
    for (;;) {
      const r = await srv.request('GET', `/api/v1/backtests/${id}`, { token: viewer });
      if (r.status !== 200 || r.body.status === 'done' || r.body.status === 'failed' || Date.now() > end) return r;
      await new Promise((res) => setTimeout(res, 25));
    }
  }

  it('runs on adjusted stored bars and its result config says which', async () => {
    const post = await srv.request('POST', '/api/v1/backtests', { token: trader, body: { strategy: 'buy-and-hold', symbols: ['ACME'], size: '10', adjust: 'all' } });
    expect(post.status, JSON.stringify(post.body)).toBe(202);
    expect(post.body.config).toMatchObject({ adjust: 'all', source: 'store' });
    const done = await finished(post.body.id as number);
    expect(done.body).toMatchObject({ status: 'done', error: null });
    const result = await srv.request('GET', `/api/v1/backtests/${post.body.id as number}/result`, { token: viewer });
    expect(result.body.config).toMatchObject({ adjustment: 'all', data: ['store'] });
    // Bought at the open of Jan 3: 101 as traded, 101 / 2 × 0.99 adjusted.
    expect(result.body.openPositions[0]).toMatchObject({ avgPrice: 49.995, lastPrice: 54 });
  });

  it('refuses a bad adjust, and adjust on demo data, with 400', async () => {
    const bad = await srv.request('POST', '/api/v1/backtests', { token: trader, body: { strategy: 'buy-and-hold', symbols: ['ACME'], adjust: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/adjust must be equal to one of the allowed values \(none, splits, all\)/);
    const demo = await srv.request('POST', '/api/v1/backtests', { token: trader, body: { strategy: 'buy-and-hold', symbols: ['ACME'], source: 'demo', adjust: 'splits' } });
    expect(demo.status).toBe(400);
    expect(demo.body.error).toMatchObject({ code: 'PI5_ERR_BAD_USAGE', message: expect.stringMatching(/adjust splits applies to source "store" only/) });
  });
});
