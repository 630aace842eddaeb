// `pi5 orders`, `pi5 positions`, `pi5 account` and `pi5 kill` through the built CLI against a real node's API
// (what they print is what the API serves), the roles the API enforces, and the same reads from the store of
// the node once it has stopped. The first call of a kind is a real process; the rest run the built program inside
// this process (pi5InProcess): the same output, without a process start (and a cold PGlite for --store) each.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pi5Async, pi5InProcess } from '../../helpers/cli.js';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';

let dataDir: string;
let server: TestServer;
let admin: string;
let env: NodeJS.ProcessEnv;

function steps(n: number): Promise<void> {
  return new Promise((done) => {
    let seen = 0;
    const off = server.node.sessionView.events.subscribe('portfolio', () => {
      if (++seen < n) return;
      off();
      done();
    });
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pi5-operator-'));
  server = await startTestServer({ PI5_STEP_INTERVAL_MS: '0' }, { dataDir });
  const stepped = steps(200);
  server.session.start();
  await stepped;
  await server.session.pause();
  admin = await server.adminToken();
  env = { PI5_URL: server.url, PI5_TOKEN: admin, PI5_DATA_DIR: dataDir, PI5_LOG_LEVEL: 'silent' };
});

afterAll(async () => {
  await server.close().catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
});

const cliProcess = (args: string[], extra: NodeJS.ProcessEnv = {}) => pi5Async(args, { cwd: dataDir, env: { ...env, ...extra } });
const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => pi5InProcess(args, { cwd: dataDir, env: { ...process.env, ...env, ...extra } });

describe('operator commands against a running node', () => {
  it('pi5 orders, positions and account print what the API serves', async () => {
    const apiOrders = (await server.request('GET', '/api/v1/orders?limit=20', { token: admin })).body.items as { clientOrderId: string; status: string }[];
    expect(apiOrders.length).toBeGreaterThan(0);
    const orders = await cliProcess(['orders', '--limit', '20', '--json']);
    expect(orders.stderr).toBe('');
    expect((JSON.parse(orders.stdout) as { clientOrderId: string; status: string }[]).map((o) => [o.clientOrderId, o.status])).toEqual(apiOrders.map((o) => [o.clientOrderId, o.status]));
    const table = await cli(['orders', '--limit', '3']);
    expect(table.stdout.split('\n')[0]).toMatch(/^created +client id +symbol +side +qty +type +tif +limit +stop +status +filled +avg price +strategy$/);
    expect(table.stdout.trim().split('\n')).toHaveLength(4);

    const apiPositions = ((await server.request('GET', '/api/v1/positions', { token: admin })).body.items as { symbol: string; quantity: number }[]).filter((p) => p.quantity !== 0);
    const positions = await cli(['positions', '--json']);
    expect((JSON.parse(positions.stdout) as { symbol: string; quantity: number }[]).map((p) => [p.symbol, p.quantity])).toEqual(apiPositions.map((p) => [p.symbol, p.quantity]));

    const portfolio = (await server.request('GET', '/api/v1/portfolio', { token: admin })).body as { equity: number; cash: number };
    const account = JSON.parse((await cli(['account', '--json'])).stdout) as { equity: number; cash: number };
    expect(account).toMatchObject({ equity: portfolio.equity, cash: portfolio.cash });
    expect((await cli(['account'])).stdout).toMatch(new RegExp(`^equity +${portfolio.equity.toFixed(2)}$`, 'm'));
  });

  it('pi5 kill trips the switch with a reason; --reset clears it; a viewer may not', async () => {
    const tripped = await cliProcess(['kill', '--reason', 'drill']);
    expect(tripped.code).toBe(0);
    expect(tripped.stdout).toBe('kill switch: TRIPPED by admin: drill\n');
    expect(server.node.sessionView.killSwitch()).toMatchObject({ tripped: true, reason: 'drill', changedBy: 'admin' });
    const again = await cli(['kill']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('PI5_ERR_CONFLICT');

    const viewer = await server.userToken('watcher', 'viewer');
    const refused = await cli(['kill', '--reset'], { PI5_TOKEN: viewer });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('PI5_ERR_FORBIDDEN');
    const reset = await cli(['kill', '--reset', '--reason', 'drill over']);
    expect(reset.stdout).toBe('kill switch: clear (reset by admin: drill over)\n');
    expect(server.node.sessionView.killSwitch().tripped).toBe(false);
  });

  it('says what is missing without a token, and where it looked without a node', async () => {
    const noToken = await cli(['orders'], { PI5_TOKEN: '' });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('give --token or PI5_TOKEN');
    const nowhere = await cli(['positions', '--url', 'http://127.0.0.1:1']);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain('cannot reach the node at http://127.0.0.1:1');
  });

  it('reads the same orders and positions from the store once the node has stopped', async () => {
    const apiOrders = (await server.request('GET', '/api/v1/orders?limit=500', { token: admin })).body.items as { clientOrderId: string; status: string }[];
    const apiPositions = ((await server.request('GET', '/api/v1/positions', { token: admin })).body.items as { symbol: string; quantity: number; avgPrice: number }[]).filter((p) => p.quantity !== 0);
    await server.close();
    const orders = await cliProcess(['orders', '--store', '--limit', '500', '--json']);
    expect(orders.stderr).toBe('');
    expect((JSON.parse(orders.stdout) as { clientOrderId: string; status: string }[]).map((o) => [o.clientOrderId, o.status])).toEqual(apiOrders.map((o) => [o.clientOrderId, o.status]));
    const positions = JSON.parse((await cli(['positions', '--store', '--json'])).stdout) as { symbol: string; quantity: number; avgPrice: number }[];
    expect(positions.map((p) => [p.symbol, p.quantity])).toEqual(apiPositions.map((p) => [p.symbol, p.quantity]));
    positions.forEach((p, i) => expect(p.avgPrice).toBeCloseTo(apiPositions[i]?.avgPrice ?? NaN, 6));
    const account = await cli(['account', '--store', '--json']);
    expect(JSON.parse(account.stdout)).toMatchObject({ equity: expect.any(Number), cash: expect.any(Number) });
    const missing = await cli(['orders', '--store', '--session', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no trading session "nope" in the store');
    // The process opens the embedded database: slow on a loaded machine, not a speed check.
  }, 300_000);
});
