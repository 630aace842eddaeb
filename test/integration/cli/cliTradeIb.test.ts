// `pi5 trade` with `broker.venue: ib` as a user runs it: a real child process trading a replay at the fake IB
// Gateway (the real socket client over loopback), one connection for the session and the node, stopped by SIGTERM;
// and the start-up check that keeps a live IB account from trading without `broker.live: true`.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/cli.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';
import { FakeIbGateway } from '../../helpers/ibFake/gateway.js';

const DATA = resolve(PROJECT_ROOT, '..', 'shared', 'data', 'NVDA-1999-2014.csv');
let fake: FakeIbGateway;
let port: number;
let dir: string;

beforeAll(async () => {
  fake = new FakeIbGateway({ symbols: ['NVDA'] });
  port = await fake.start();
  dir = mkdtempSync(join(tmpdir(), 'pi5-trade-ib-'));
});
afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

function config(name: string, account: string): string {
  const path = join(dir, name);
  const strategies = '[{ id: sma, strategy: sma-cross, params: { fast: 5, slow: 20 }, symbols: [NVDA] }]';
  writeFileSync(path, `broker:\n  venue: ib\nib:\n  port: ${port}\n  clientId: 9\n  account: ${account}\nsession:\n  id: trade-ib\n  stepIntervalMs: 0\n  cash: 100000\n  size: '100'\n  strategies: ${strategies}\n`);
  return path;
}

const env = { ...process.env, NO_COLOR: '1', PI5_DATA_DIR: '' };

describe('pi5 trade at Interactive Brokers', () => {
  it('sends the session orders to the IB gateway under their client ids and stops on SIGTERM', async () => {
    const cfg = config('ib.yaml', fake.account);
    const child = spawn(process.execPath, [CLI, 'trade', '--config', cfg, '--replay-data', DATA], { env: { ...env, PI5_DATA_DIR: join(dir, 'data') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await expect.poll(() => stderr, { timeout: 120_000, interval: 200 }).toContain('pi5 trading: session trade-ib at ib');
    await expect.poll(() => fake.orders.size, { timeout: 120_000, interval: 200 }).toBeGreaterThan(0);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const refs = [...fake.orders.values()].map((o) => o.orderRef);
    expect(refs.every((r) => r.includes('trade-ib'))).toBe(true);
    expect(new Set(refs).size).toBe(refs.length);
  });

  it('refuses a live IB account unless the config says broker.live: true, before opening anything', () => {
    const r = spawnSync(process.execPath, [CLI, 'trade', '--config', config('live.yaml', 'U7654321')], { env: { ...env, PI5_DATA_DIR: join(dir, 'never') }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('broker.live: true');
  });
});
