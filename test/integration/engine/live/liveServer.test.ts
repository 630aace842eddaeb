// A live paper session through the real server: the local fake Alpaca streams minute bars in Alpaca's wire
// format, the session trades them, and the orders, the stored bars and the feed state show through the API.
// One server for the file: it starts while the fake refuses (the feed unreachable at start), then trades.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../../helpers/apiServer.js';
import { barFrame, startLiveServer, until } from '../../../helpers/liveServer.js';
import type { FakeAlpaca } from '../../data/providers/fakeAlpaca.js';

const CONFIG = `
session:
  live: { provider: alpaca, symbols: [aapl, MSFT], timeframe: 1m }
  strategies:
    - { id: hold, strategy: buy-and-hold, symbols: [AAPL], size: "10" }
`;

let fake: FakeAlpaca;
let s: TestServer;
beforeAll(async () => {
  ({ fake, s } = await startLiveServer(CONFIG, (f) => f.refuseWith(500)));
});
afterAll(async () => {
  await s?.close();
  await fake?.close();
});

describe('live paper session on the server', () => {
  it('starts with the live feed unreachable, reports it down, and connects once the feed answers', async () => {
    const down = await s.request('GET', '/ready');
    expect(down.status).toBe(503);
    expect(down.body.checks.feed).toMatchObject({ ok: false });
    expect(fake.received.some((m) => m.action === 'subscribe')).toBe(false);
    fake.refuseWith(null);
    // The first retry comes after a second.
    const ready = await until(() => s.request('GET', '/ready'), (x) => x.status === 200);
    expect(ready.status).toBe(200);
    expect(fake.received.some((m) => m.action === 'subscribe')).toBe(true);
  });

  it('subscribes the symbols, trades streamed minute bars, stores them, and reports the feed', async () => {
    const admin = await s.adminToken();
    const st = (await s.request('GET', '/api/v1/session', { token: admin })).body;
    expect(st).toMatchObject({ id: 'live', source: 'live', state: 'paused', live: { provider: 'alpaca', symbols: ['AAPL', 'MSFT'], timeframe: '1m', state: 'connected' } });
    expect(fake.received.some((m) => m.action === 'subscribe' && JSON.stringify(m.bars) === '["AAPL","MSFT"]')).toBe(true);
    expect((await s.request('GET', '/ready')).status).toBe(200);

    const trader = await s.userToken('trader1', 'trader');
    expect((await s.request('POST', '/api/v1/session/resume', { token: trader })).status).toBe(200);
    const t0 = st.live.startTs as number;
    // Three minutes: each later minute closes the one before (buy at the first close, filled at the next open).
    for (let m = 0; m < 3; m++) fake.send([barFrame('AAPL', t0 + m * 60_000, 100 + m), barFrame('MSFT', t0 + m * 60_000, 300 + m)]);
    const orders = await until(
      async () => (await s.request('GET', '/api/v1/orders', { token: admin })).body.items as { symbol: string; side: string; quantity: number; status: string }[],
      (items) => items.some((o) => o.status === 'filled'),
    );
    expect(orders.map((o) => `${o.side} ${o.quantity} ${o.symbol} ${o.status}`)).toEqual(['buy 10 AAPL filled']);
    const now = (await s.request('GET', '/api/v1/session', { token: admin })).body;
    expect(now).toMatchObject({ state: 'running', step: 2 });
    // Quotes go to the latest-quote cache (GET /market/quote) and the WebSocket (and to strategies: liveQuotes.test.ts).
    fake.send([{ T: 'q', S: 'AAPL', bx: 'V', bp: 101.2, bs: 3, ax: 'V', ap: 101.3, as: 5, t: new Date(t0 + 150_000).toISOString(), c: ['R'], z: 'C' }]);
    const quote = await until(
      async () => (await s.request('GET', '/api/v1/market/quote/AAPL', { token: admin })).body as { bid?: number; ask?: number },
      (q) => q.bid === 101.2,
    );
    expect(quote).toMatchObject({ bid: 101.2, ask: 101.3 });
    // The feed sets the pace of a live session.
    expect((await s.request('PUT', '/api/v1/session/pace', { token: trader, body: { stepIntervalMs: 10 } })).status).toBe(409);
    const stored = await s.db.query<{ symbol: string; n: number }>(`select symbol, count(*)::int as n from bars where timeframe = '1m' group by symbol order by symbol`);
    expect(stored).toEqual([{ symbol: 'AAPL', n: 2 }, { symbol: 'MSFT', n: 2 }]);
  });

  it('answers /ready 503 while the live feed is down', async () => {
    fake.refuseWith(500);
    fake.dropAll();
    const r = await until(() => s.request('GET', '/ready'), (x) => x.status === 503);
    expect(r.status).toBe(503);
    expect(r.body.checks.feed).toMatchObject({ ok: false });
    expect(r.body.checks.feed.detail).toMatch(/alpaca feed reconnecting/);
    fake.refuseWith(null);
  });
});
