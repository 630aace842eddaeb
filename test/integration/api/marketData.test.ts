// /api/v1 market data through the real HTTP server: bars from the store (limit, range, latest first cut),
// the paper session's bars up to its current step and never beyond, quotes, symbol search, providers, errors.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';

let srv: TestServer;
let viewer: string;
const stored = generateSyntheticBars({ symbol: 'STOR', seed: 9, bars: 50, start: Date.UTC(2021, 0, 4) });

beforeAll(async () => {
  srv = await startTestServer();
  viewer = await srv.userToken('vince', 'viewer');
  await new BarStore(srv.db).ingest([stored]);
});

afterAll(async () => {
  await srv?.close();
});

const get = (path: string): ReturnType<TestServer['request']> => srv.request('GET', path, { token: viewer });

describe('GET /api/v1/bars', () => {
  it('serves stored bars oldest first in the documented shape', async () => {
    const r = await get('/api/v1/bars?symbol=STOR&timeframe=1d');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ symbol: 'STOR', timeframe: '1d', source: 'store', count: 50 });
    expect(r.body.items).toHaveLength(50);
    expect(r.body.items[0]).toEqual({ ts: stored.ts[0], open: stored.open[0], high: stored.high[0], low: stored.low[0], close: stored.close[0], volume: stored.volume[0] });
    expect(r.body.items[49].ts).toBe(stored.ts[49]);
  });

  it('limits to the latest bars without from, to the first bars from `from`, and keeps to inclusive ranges', async () => {
    const latest = await get('/api/v1/bars?symbol=stor&limit=5');
    expect(latest.body.items.map((b: { ts: number }) => b.ts)).toEqual([...stored.ts.slice(45)]);
    const fromFirst = await get(`/api/v1/bars?symbol=STOR&from=${stored.ts[10]}&limit=3`);
    expect(fromFirst.body.items.map((b: { ts: number }) => b.ts)).toEqual([...stored.ts.slice(10, 13)]);
    const day = (i: number): string => new Date(stored.ts[i] as number).toISOString().slice(0, 10);
    const range = await get(`/api/v1/bars?symbol=STOR&from=${day(5)}&to=${day(9)}`);
    expect(range.body.count).toBe(5);
    expect(range.body.items[4].ts).toBe(stored.ts[9]);
    const upTo = await get(`/api/v1/bars?symbol=STOR&to=${day(20)}&limit=2`);
    expect(upTo.body.items.map((b: { ts: number }) => b.ts)).toEqual([...stored.ts.slice(19, 21)]);
    const empty = await get(`/api/v1/bars?symbol=STOR&from=2030-01-01`);
    expect(empty.body).toMatchObject({ count: 0, items: [] });
  });

  it('serves a paper-session symbol from the session feed, only up to the step it has reached', async () => {
    const before = await get('/api/v1/bars?symbol=DEMOA&timeframe=1d');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ symbol: 'DEMOA', source: 'session', count: 0, items: [] });
    await srv.session.advance(7);
    const marketTime = srv.session.status().marketTime;
    const after = await get('/api/v1/bars?symbol=demoa');
    expect(after.body.count).toBe(7);
    expect(after.body.items.at(-1).ts).toBe(marketTime);
    const far = await get('/api/v1/bars?symbol=DEMOA&to=2099-01-01&limit=10000');
    expect(far.body.count).toBe(7);
    const two = await get('/api/v1/bars?symbol=DEMOA&limit=2');
    expect(two.body.items.map((b: { ts: number }) => b.ts)).toEqual(after.body.items.slice(5).map((b: { ts: number }) => b.ts));
    const from = await get(`/api/v1/bars?symbol=DEMOA&from=${after.body.items[1].ts}&limit=3`);
    expect(from.body.items.map((b: { ts: number }) => b.ts)).toEqual(after.body.items.slice(1, 4).map((b: { ts: number }) => b.ts));
  });

  it('answers columns for format=columns, the same bars as rows, and pages back with to = first ts - 1 without gaps or repeats', async () => {
    const rows = await get('/api/v1/bars?symbol=STOR&limit=50');
    const cols = await get('/api/v1/bars?symbol=STOR&limit=50&format=columns');
    expect(cols.status).toBe(200);
    expect(cols.body.items).toBeUndefined();
    expect(cols.body).toMatchObject({ symbol: 'STOR', timeframe: '1d', source: 'store', adjustment: 'none', count: 50 });
    const fields = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;
    for (const f of fields) expect(cols.body.columns[f], f).toEqual(rows.body.items.map((b: Record<string, number>) => b[f]));
    // What the Markets page does: the latest page, then older pages ending just before the oldest bar it has.
    const pages: number[][] = [];
    let to: number | null = null;
    for (let i = 0; i < 20; i++) {
      const r = await get(`/api/v1/bars?symbol=STOR&limit=7&format=columns${to === null ? '' : `&to=${to}`}`);
      expect(r.status).toBe(200);
      const ts = r.body.columns.ts as number[];
      if (ts.length === 0) break;
      pages.unshift(ts);
      to = (ts[0] as number) - 1;
    }
    expect(pages.flat()).toEqual(Array.from(stored.ts));
    // Session bars page the same way.
    const session = await get('/api/v1/bars?symbol=DEMOA&limit=3&format=columns');
    const before = await get(`/api/v1/bars?symbol=DEMOA&limit=3&format=columns&to=${session.body.columns.ts[0] - 1}`);
    const six = await get('/api/v1/bars?symbol=DEMOA&limit=6');
    expect([...before.body.columns.ts, ...session.body.columns.ts]).toEqual(six.body.items.map((b: { ts: number }) => b.ts));
  });

  it('takes up to 100,000 bars as columns and 10,000 as rows, naming limit when over', async () => {
    expect((await get('/api/v1/bars?symbol=STOR&limit=100000&format=columns')).body.count).toBe(50);
    for (const q of ['limit=10001', 'limit=100001&format=columns', 'format=csv']) {
      const r = await get(`/api/v1/bars?symbol=STOR&${q}`);
      expect(r.status, q).toBe(400);
      expect(JSON.stringify(r.body.error), q).toMatch(q.startsWith('limit') ? /limit/ : /format/);
    }
  });

  it('answers 400 with the error body for a bad query, and 404 for an unknown symbol or timeframe', async () => {
    for (const q of ['symbol=STOR&limit=10001', 'symbol=STOR&limit=0', 'timeframe=1d', 'symbol=STOR&timeframe=9q', 'symbol=STOR&from=2021-02-30', 'symbol=STOR&from=2021-03-01&to=2021-02-01']) {
      const r = await get(`/api/v1/bars?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error).toEqual({ code: expect.stringMatching(/^PI5_ERR_BAD_(REQUEST|USAGE)$/), message: expect.any(String), details: expect.any(Object) });
    }
    const unknown = await get('/api/v1/bars?symbol=NOPE');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('PI5_ERR_NOT_FOUND');
    const otherTf = await get('/api/v1/bars?symbol=STOR&timeframe=1h');
    expect(otherTf.status).toBe(404);
    expect(otherTf.body.error.message).toMatch(/available: 1d/);
    expect((await srv.request('GET', '/api/v1/bars?symbol=STOR')).status).toBe(401);
  });
});

describe('/api/v1/market', () => {
  it('quotes from the cache first, else the session last close with bid = ask = close', async () => {
    const s = await get('/api/v1/market/quote/DEMOB');
    expect(s.status).toBe(200);
    const close = srv.session.kernel.market.lastClose('DEMOB');
    expect(s.body).toMatchObject({ symbol: 'DEMOB', bid: close, ask: close, last: close, source: 'session', ts: srv.session.status().marketTime });
    await srv.cache.setQuote({ symbol: 'DEMOB', ts: Date.now(), bid: 10, ask: 10.5, bidSize: 3, askSize: 4 });
    expect((await get('/api/v1/market/quote/demob')).body).toMatchObject({ symbol: 'DEMOB', bid: 10, ask: 10.5, bidSize: 3, source: 'cache' });
    expect((await get('/api/v1/market/quote/NOPE')).status).toBe(404);
  });

  it('searches symbols of the store and the session', async () => {
    const all = await get('/api/v1/market/symbols');
    expect(all.body.items.map((s: { symbol: string }) => s.symbol)).toEqual(['DEMOA', 'DEMOB', 'DEMOC', 'STOR']);
    const demo = await get('/api/v1/market/symbols?q=demo&limit=2');
    expect(demo.body.items.map((s: { symbol: string }) => s.symbol)).toEqual(['DEMOA', 'DEMOB']);
    const st = await get('/api/v1/market/symbols?q=tor');
    expect(st.body.items).toEqual([{ symbol: 'STOR', inStore: true, inSession: false, timeframes: ['1d'], firstTs: stored.ts[0], lastTs: stored.ts[49], bars: 50 }]);
  });

  it('lists the providers, whether their keys are set, and their breaker state', async () => {
    const saved = process.env.ALPHAVANTAGE_API_KEY;
    process.env.ALPHAVANTAGE_API_KEY = 'secret-value-123';
    const r = await get('/api/v1/market/providers').finally(() => {
      if (saved === undefined) delete process.env.ALPHAVANTAGE_API_KEY;
      else process.env.ALPHAVANTAGE_API_KEY = saved;
    });
    expect(r.status).toBe(200);
    const byName = new Map(r.body.items.map((p: { name: string }) => [p.name, p]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['yahoo', 'alphavantage', 'alpaca']));
    expect(byName.get('yahoo')).toMatchObject({ configured: true, requiresKey: false, keyEnv: [] });
    expect(byName.get('alphavantage')).toMatchObject({ configured: true, requiresKey: true, keyEnv: ['ALPHAVANTAGE_API_KEY'], breaker: null });
    expect(byName.get('alpaca')).toMatchObject({ requiresKey: true, keyEnv: ['APCA_API_KEY_ID', 'APCA_API_SECRET_KEY'] });
    expect(JSON.stringify(r.body)).not.toMatch(/secret-value/);
  });
});
