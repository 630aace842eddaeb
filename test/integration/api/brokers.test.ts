// A node configured with an `ib` section connects to the fake IB Gateway at start and reports the broker's
// health in /ready, GET /api/v1/brokers and /metrics; when the gateway goes away IB is down (503), and back
// healthy after the reconnect; the IB account's positions and values are read through the API. A bad `ib` section or a gateway that is not there stops the start, saying why.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config/configFile.js';
import { TradingNode } from '../../../src/node/tradingNode.js';
import { asyncErrorOf, errorOf } from '../../helpers/errors.js';
import { FakeIbGateway } from '../../helpers/ibFake/gateway.js';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { lintMetrics } from '../../helpers/promLint.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WAIT_BUDGET_MS } from '../../helpers/budget.js';

const ibYaml = (port: number, extra = ''): string => `ib:\n  host: 127.0.0.1\n  port: ${port}\n  clientId: 5\n  account: DU0000001\n  probeIntervalMs: 200\n${extra}`;

describe('broker health through the node and its API', () => {
  let fake: FakeIbGateway;
  let s: TestServer;

  beforeAll(async () => {
    fake = new FakeIbGateway({ symbols: ['AAA'] });
    const port = await fake.start();
    s = await startTestServer({}, { configYaml: ibYaml(port) });
  });

  afterAll(async () => {
    await s?.close();
    await fake?.stop();
  });

  it('connects at start with the configured client id and shows IB healthy in /ready, the API and /metrics', async () => {
    expect(fake.connectedClients()).toEqual([5]);
    const ready = await s.request('GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.broker).toMatchObject({ ok: true });
    expect(ready.body.checks.broker.detail).toMatch(/ib healthy/);
    const token = await s.adminToken();
    await vi.waitFor(async () => {
      const b = await s.request('GET', '/api/v1/brokers', { token });
      expect(b.status).toBe(200);
      const ib = b.body.brokers.find((x: { venue: string }) => x.venue === 'ib');
      expect(ib).toMatchObject({ state: 'healthy', connected: true, reasons: [] });
      expect(ib.latencyMs).not.toBeNull();
    }, { timeout: WAIT_BUDGET_MS, interval: 100 });
    const metrics = await s.request('GET', '/metrics');
    expect(metrics.body).toMatch(/^pi5_broker_up\{venue="ib"\} 1$/m);
    expect(metrics.body).toMatch(/^pi5_broker_up\{venue="sim"\} 1$/m);
    expect(metrics.body).toMatch(/^pi5_broker_latency_seconds_count\{venue="ib"\} [1-9]/m);
    const positions = await s.request('GET', '/api/v1/brokers/ib/positions', { token });
    expect(positions.body).toEqual({ account: 'DU0000001', positions: [] });
    const account = await s.request('GET', '/api/v1/brokers/ib/account', { token });
    expect(account.body.values).toContainEqual({ key: 'NetLiquidation', value: '100000.00', currency: 'USD', account: 'DU0000001' });
    expect(lintMetrics(parsePrometheusTextFormat(metrics.body as string))).toEqual([]);
  });

  it('reports IB down (and /ready 503) while the gateway is away, healthy again after the reconnect', async () => {
    const port = fake.port;
    await fake.stop();
    await vi.waitFor(async () => {
      const ready = await s.request('GET', '/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.broker.detail).toMatch(/ib down \(not connected\)/);
    }, { timeout: WAIT_BUDGET_MS, interval: 100 });
    expect((await s.request('GET', '/metrics')).body).toMatch(/^pi5_broker_up\{venue="ib"\} 0$/m);
    const refused = await s.request('GET', '/api/v1/brokers/ib/positions', { token: await s.adminToken() });
    expect(refused.body.error.code).toBe('PI5_ERR_CONFLICT');
    expect(refused.body.error.message).toMatch(/not connected/);
    await fake.start(port);
    await vi.waitFor(async () => expect((await s.request('GET', '/ready')).status).toBe(200), { timeout: WAIT_BUDGET_MS, interval: 200 });
  });
});

describe('the ib section at start-up', () => {
  it('refuses a bad ib section, naming the setting', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-ib-'));
    const file = join(dir, 'pi5.config.yaml');
    await writeFile(file, ibYaml(70_000));
    const e = errorOf(() => loadConfig({ env: {}, cwd: dir, configPath: file }));
    expect(e.code).toBe('PI5_ERR_BAD_CONFIG');
    expect(e.message).toMatch(/ib\.port/);
  });

  it('stops the start when no gateway answers on the configured port', async () => {
    const probe = new FakeIbGateway({ symbols: [] });
    const port = await probe.start();
    await probe.stop(); // a port nothing listens on now
    const dir = await mkdtemp(join(tmpdir(), 'pi5-ib-'));
    const file = join(dir, 'pi5.config.yaml');
    await writeFile(file, ibYaml(port));
    const env = { PI5_DATA_DIR: dir, PI5_ADMIN_PASSWORD: 'correct-horse-battery-9', PI5_LOG_LEVEL: 'silent', PI5_DEMO_BARS: '300' };
    const config = loadConfig({ env, cwd: dir, configPath: file }).server;
    const e = await asyncErrorOf(() => TradingNode.open(config, { env, notice: () => undefined }));
    expect(e.code).toBe('PI5_ERR_BROKER_CONNECT');
    expect(e.message).toMatch(new RegExp(`ib 127\\.0\\.0\\.1:${port} client id 5: .*ECONNREFUSED`));
  });
});
