// The server started from a config file: its strategies and risk limits are what the API reports.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';

const CONFIG = `
session:
  id: from-config
  cash: 250000
  strategies:
    - id: fast-sma
      strategy: sma-cross
      params: { fast: 5, slow: 15 }
      symbols: [DEMOA]
    - id: hold-b
      strategy: buy-and-hold
      symbols: [DEMOB]
      size: "10"
  risk:
    global: { maxPositionQty: 1234 }
    strategies:
      hold-b: { maxOrdersPerDay: 7 }
`;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({}, { configYaml: CONFIG });
});
afterAll(async () => {
  await s.close();
});

describe('server from a config file', () => {
  it('runs the strategies the file names', async () => {
    const r = await s.request('GET', '/api/v1/strategies', { token: await s.adminToken() });
    expect(r.status).toBe(200);
    const items = r.body.items as { id: string; strategy: string; params: Record<string, unknown>; symbols: string[]; size: string | null }[];
    expect(items.map((i) => i.id).sort()).toEqual(['fast-sma', 'hold-b']);
    expect(items.find((i) => i.id === 'fast-sma')).toMatchObject({ strategy: 'sma-cross', params: { fast: 5, slow: 15 }, symbols: ['DEMOA'] });
    expect(items.find((i) => i.id === 'hold-b')).toMatchObject({ strategy: 'buy-and-hold', symbols: ['DEMOB'], size: '10' });
  });

  it('enforces the risk limits the file sets', async () => {
    const r = await s.request('GET', '/api/v1/risk/limits', { token: await s.adminToken() });
    expect(r.status).toBe(200);
    expect(r.body.global.maxPositionQty).toBe(1234);
    expect(r.body.config.strategies['hold-b']).toMatchObject({ maxOrdersPerDay: 7 });
  });

  it('opens the session the file names with its cash', async () => {
    expect(s.session.config.id).toBe('from-config');
    expect(s.session.config.cash).toBe(250_000);
  });
});
