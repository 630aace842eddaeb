// A live session fed by Yahoo polling through the real server: the local fake Yahoo answers the v8 chart endpoint
// in its real shape (minute rows of today, the last one forming), polled every second. Each completed minute
// becomes the session's bar once, however often it is polled again; the forming minute waits for its successor;
// the session steps on them, stores them and trades on them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../helpers/apiServer.js';
import { until } from '../../../helpers/liveServer.js';
import { startFakeYahoo, type FakeYahoo } from '../../data/providers/fakeYahoo.js';
import { chartPayload, type RawBar } from '../../data/providers/yahooFixture.js';

const CONFIG = `
session:
  live: { provider: yahoo, symbols: [AAPL], timeframe: 1m, pollMs: 1000 }
  strategies:
    - { id: hold, strategy: buy-and-hold, symbols: [AAPL], size: "10" }
`;

let fake: FakeYahoo;
let s: TestServer;
/** Minutes (from the session's start) the fake's chart holds; the last one is still forming. */
let minutes = 0;
let t0 = 0;

const minute = (m: number): RawBar => ({ at: new Date(t0 + m * 60_000).toISOString(), open: 100 + m, high: 100.5 + m, low: 99.5 + m, close: 100.25 + m, volume: 1_000 + m });

beforeAll(async () => {
  fake = await startFakeYahoo();
  fake.handle(() => ({ body: chartPayload({ symbol: 'AAPL', interval: '1m', bars: Array.from({ length: minutes }, (_, m) => minute(m)) }) }));
  s = await startTestServer({ YAHOO_BASE_URL: fake.baseUrl }, { configYaml: CONFIG });
});
afterAll(async () => {
  await s?.close();
  await fake?.close();
});

describe('live session on Yahoo polling', () => {
  it('steps on completed minutes from the polled chart, each once, and trades on them', async () => {
    const admin = await s.adminToken();
    const st = (await s.request('GET', '/api/v1/session', { token: admin })).body;
    expect(st).toMatchObject({ source: 'live', live: { provider: 'yahoo', symbols: ['AAPL'], timeframe: '1m' } });
    t0 = st.live.startTs as number;
    const trader = await s.userToken('trader1', 'trader');
    expect((await s.request('POST', '/api/v1/session/resume', { token: trader })).status).toBe(200);
    const session = async () => (await s.request('GET', '/api/v1/session', { token: admin })).body;
    const polls = async (n: number): Promise<void> => {
      const seen = fake.requests.length;
      await until(async () => fake.requests.length, (k) => k >= seen + n);
    };

    minutes = 2; // minute 0 complete (minute 1 started), minute 1 forming
    await polls(3);
    minutes = 3; // minute 1 complete: the step of minute 0 closes
    await until(session, (b) => b.step >= 1);
    await polls(3); // polled again and again: nothing new
    minutes = 4; // minute 2 complete: the step of minute 1 closes; the order fills at its open
    await until(session, (b) => b.step >= 2);
    await polls(2);
    const now = await session();
    expect([now.step, now.live.ignoredBars]).toEqual([2, 0]);
    const bars = await s.request('GET', `/api/v1/bars?symbol=AAPL&timeframe=1m&from=${new Date(t0).toISOString()}&to=${new Date(t0 + 180_000).toISOString()}`, { token: admin });
    expect((bars.body.items as { open: number; close: number; volume: number }[]).map((b) => [b.open, b.close, b.volume])).toEqual([
      [100, 100.25, 1_000],
      [101, 101.25, 1_001],
    ]);
    const orders = (await s.request('GET', '/api/v1/orders', { token: admin })).body.items as { side: string; quantity: number; status: string }[];
    expect(orders.map((o) => `${o.side} ${o.quantity} ${o.status}`)).toEqual(['buy 10 filled']);
    expect(fake.requests.every((r) => r.params.get('interval') === '1m' && r.params.get('range') === '1d')).toBe(true);
  });
});
