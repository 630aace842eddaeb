// A live session stepping on 5m bars through the real server: the local fake Alpaca streams minute bars in
// Alpaca's wire format, the session builds each step's 5m bar from them, trades on it and stores it.

import { describe, expect, it } from 'vitest';
import { barFrame, liveServerForTests, until } from '../../../helpers/liveServer.js';

const CONFIG = `
session:
  live: { provider: alpaca, symbols: [AAPL], timeframe: 5m }
  strategies:
    - { id: hold, strategy: buy-and-hold, symbols: [AAPL], size: "10" }
`;

const server = liveServerForTests(CONFIG);

describe('live session on 5m bars built from the minute stream', () => {
  it('subscribes minute bars, steps on their 5m aggregate, stores it and trades on it', async () => {
    const { fake, s } = server();
    const admin = await s.adminToken();
    const st = (await s.request('GET', '/api/v1/session', { token: admin })).body;
    expect(st).toMatchObject({ source: 'live', live: { provider: 'alpaca', symbols: ['AAPL'], timeframe: '5m' } });
    expect(fake.received.some((m) => m.action === 'subscribe' && JSON.stringify(m.bars) === '["AAPL"]')).toBe(true);
    const trader = await s.userToken('trader1', 'trader');
    expect((await s.request('POST', '/api/v1/session/resume', { token: trader })).status).toBe(200);
    const t0 = st.live.startTs as number;
    expect(t0 % 300_000).toBe(0);
    // Eleven minutes: the minute at 10 closes the steps of minutes 0–4 and 5–9.
    for (let m = 0; m <= 10; m++) fake.send([barFrame('AAPL', t0 + m * 60_000, 100 + m)]);
    const now = await until(async () => (await s.request('GET', '/api/v1/session', { token: admin })).body, (b) => b.step >= 2);
    expect(now.step).toBe(2);
    const bars = await s.request('GET', `/api/v1/bars?symbol=AAPL&timeframe=5m&from=${new Date(t0).toISOString()}&to=${new Date(t0 + 600_000).toISOString()}`, { token: admin });
    expect(bars.status).toBe(200);
    const rows = bars.body.items as { open: number; high: number; low: number; close: number; volume: number }[];
    expect(rows.map((b) => [b.open, b.high, b.low, b.close, b.volume])).toEqual([
      [100, 104.5, 99.5, 104, 5_000],
      [105, 109.5, 104.5, 109, 5_000],
    ]);
    const orders = (await s.request('GET', '/api/v1/orders', { token: admin })).body.items as { side: string; quantity: number; status: string; avgFillPrice?: number }[];
    expect(orders.map((o) => `${o.side} ${o.quantity} ${o.status}`)).toEqual(['buy 10 filled']);
  });
});
