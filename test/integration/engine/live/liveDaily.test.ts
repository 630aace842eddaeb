// A live session stepping on daily bars through the real server: the session subscribes Alpaca's `dailyBars`
// channel (not minute bars) at the local fake, which sends them in Alpaca's wire format (T: 'd', stamped at New
// York midnight). A day's bar updated during the day replaces the earlier print; the next day's bar closes the day
// as one step, which the session stores under its New York date and trades on (filled at the next day's open).

import { describe, expect, it } from 'vitest';
import { liveServerForTests, until } from '../../../helpers/liveServer.js';

const CONFIG = `
session:
  live: { provider: alpaca, symbols: [AAPL], timeframe: 1d }
  strategies:
    - { id: hold, strategy: buy-and-hold, symbols: [AAPL], size: "10" }
`;

const DAY = 86_400_000;
/** Alpaca stamps a daily bar with the New York midnight of its date (05:00 UTC in winter, 04:00 in summer). */
const dailyFrame = (S: string, date: number, o: number, h: number, l: number, c: number, v: number): Record<string, unknown> => ({
  T: 'd',
  S,
  o,
  h,
  l,
  c,
  v,
  t: new Date(date + 5 * 3_600_000).toISOString(),
  n: 100,
  vw: c,
});

const server = liveServerForTests(CONFIG);

describe('live session on daily bars', () => {
  it('subscribes dailyBars, steps once per day on its last print, stores the day, trades on its close, filled at the next day open', async () => {
    const { fake, s } = server();
    const admin = await s.adminToken();
    const st = (await s.request('GET', '/api/v1/session', { token: admin })).body;
    expect(st).toMatchObject({ source: 'live', live: { provider: 'alpaca', symbols: ['AAPL'], timeframe: '1d' } });
    const subscribed = await until(async () => fake.received, (r) => r.some((m) => m.action === 'subscribe'));
    const sub = subscribed.find((m) => m.action === 'subscribe');
    expect([JSON.stringify(sub?.dailyBars), JSON.stringify(sub?.bars ?? [])]).toEqual(['["AAPL"]', '[]']);
    const trader = await s.userToken('trader1', 'trader');
    expect((await s.request('POST', '/api/v1/session/resume', { token: trader })).status).toBe(200);
    const d0 = st.live.startTs as number;
    expect(d0 % DAY).toBe(0);

    // Day 0 printed twice (an update during the day), then day 1's first print: day 0 is complete.
    fake.send([dailyFrame('AAPL', d0, 100, 101, 99, 100.5, 10_000)]);
    fake.send([dailyFrame('AAPL', d0, 100, 103, 98, 102, 25_000)]);
    fake.send([dailyFrame('AAPL', d0 + DAY, 102, 102.5, 101, 101.5, 4_000)]);
    const now = await until(async () => (await s.request('GET', '/api/v1/session', { token: admin })).body, (b) => b.step >= 1);
    expect(now.step).toBe(1);
    expect(now.marketTime).toBe(d0);
    const bars = await s.request('GET', `/api/v1/bars?symbol=AAPL&timeframe=1d&from=${new Date(d0).toISOString()}&to=${new Date(d0 + DAY).toISOString()}`, { token: admin });
    expect(bars.status).toBe(200);
    const rows = bars.body.items as { ts: string | number; open: number; high: number; low: number; close: number; volume: number }[];
    expect(rows.map((b) => [b.open, b.high, b.low, b.close, b.volume])).toEqual([[100, 103, 98, 102, 25_000]]);
    const orders = async (): Promise<string[]> =>
      ((await s.request('GET', '/api/v1/orders', { token: admin })).body.items as { side: string; quantity: number; status: string; avgFillPrice?: number }[]).map((o) => `${o.side} ${o.quantity} ${o.status} ${o.avgFillPrice ?? '-'}`);
    // Decided on day 0's close; the paper venue fills it at the next day's open.
    // (submitted or already accepted: the write-ahead release is not waited for here)
    expect((await orders()).map((o) => o.replace(/ (submitted|accepted) 0$/, ' working'))).toEqual(['buy 10 working']);
    fake.send([dailyFrame('AAPL', d0 + 2 * DAY, 101, 104, 100, 103, 6_000)]);
    await until(async () => (await s.request('GET', '/api/v1/session', { token: admin })).body, (b) => b.step >= 2);
    // Day 1 opened at 102; the paper venue's default slippage (2 bps) makes it 102.0204.
    expect(await orders()).toEqual(['buy 10 filled 102.0204']);
  });
});
