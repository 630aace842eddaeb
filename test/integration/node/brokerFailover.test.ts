// A node whose session trades at an Alpaca fake with a second Alpaca fake as its standby (`broker.failover`, the
// standby's keys read from the variables it names): both brokers in /ready and GET /api/v1/brokers; when the
// primary's stream goes away /ready stays ready (new orders have a broker) and says where new orders go, and an
// order submitted through the API reaches the standby.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';
import { startFakeAlpacaTrading, TRADING_KEY, TRADING_SECRET, type FakeAlpacaTrading } from '../../helpers/fakeAlpacaTrading.js';
import { WAIT_BUDGET_MS } from '../../helpers/budget.js';

let primary: FakeAlpacaTrading;
let standby: FakeAlpacaTrading;
let s: TestServer;

const yaml = (): string =>
  [
    'broker:',
    '  venue: alpaca',
    `  alpaca: { baseUrl: ${primary.baseUrl} }`,
    '  failover:',
    `    - { name: alpaca-backup, venue: alpaca, alpaca: { baseUrl: ${standby.baseUrl}, keyIdEnv: BACKUP_KEY_ID, secretKeyEnv: BACKUP_SECRET } }`,
    'session:',
    '  id: failover',
    '  strategies: []',
    '',
  ].join('\n');

beforeAll(async () => {
  primary = await startFakeAlpacaTrading();
  standby = await startFakeAlpacaTrading();
  s = await startTestServer({ APCA_API_KEY_ID: TRADING_KEY, APCA_API_SECRET_KEY: TRADING_SECRET, BACKUP_KEY_ID: TRADING_KEY, BACKUP_SECRET: TRADING_SECRET }, { configYaml: yaml() });
});

afterAll(async () => {
  await s?.close();
  await primary?.close();
  await standby?.close();
});

interface BrokerRow {
  venue: string;
  state: string;
}

describe('a session with a standby broker, through the node and its API', () => {
  it('shows both brokers, stays ready while the primary is down, and sends new orders to the standby', async () => {
    const token = await s.adminToken();
    const ready = await s.request('GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.broker.detail).toMatch(/alpaca healthy; alpaca-backup healthy; new orders to alpaca$/);
    const brokers = await s.request('GET', '/api/v1/brokers', { token });
    expect(brokers.body.brokers.map((b: BrokerRow) => [b.venue, b.state])).toEqual([
      ['sim', 'healthy'],
      ['alpaca', 'healthy'],
      ['alpaca-backup', 'healthy'],
    ]);

    primary.refuseStreams(true);
    primary.dropStreams();
    await vi.waitFor(async () => {
      const b = await s.request('GET', '/api/v1/brokers', { token });
      expect(b.body.brokers.find((x: BrokerRow) => x.venue === 'alpaca')).toMatchObject({ state: 'down', connected: false });
    }, { timeout: WAIT_BUDGET_MS, interval: 50 });
    const order = await s.request('POST', '/api/v1/orders', { token, body: { symbol: 'DEMOA', side: 'buy', quantity: 7 } });
    expect(order.status).toBe(201);
    await vi.waitFor(() => expect(standby.posted).toEqual([order.body.clientOrderId]), { timeout: WAIT_BUDGET_MS, interval: 50 });
    expect(primary.posted).toEqual([]);
    const downReady = await s.request('GET', '/ready');
    expect(downReady.status).toBe(200);
    expect(downReady.body.checks.broker.detail).toMatch(/alpaca down \(not connected\); alpaca-backup healthy; new orders to alpaca-backup$/);
    const session = await s.request('GET', '/api/v1/session', { token });
    expect(session.body.broker).toMatchObject({ name: 'alpaca', route: 'alpaca-backup' });
    expect(session.body.broker.venues.map((v: { name: string; recordedState: string }) => [v.name, v.recordedState])).toEqual([
      ['alpaca', 'down'],
      ['alpaca-backup', 'healthy'],
    ]);

    // With the standby down too nothing takes new orders: not ready.
    standby.refuseStreams(true);
    standby.dropStreams();
    await vi.waitFor(async () => expect((await s.request('GET', '/ready')).status).toBe(503), { timeout: WAIT_BUDGET_MS, interval: 50 });
  });
});
