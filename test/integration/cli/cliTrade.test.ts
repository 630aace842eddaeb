// `pi5 trade` as a user runs it: a real child process trading a replay at the Alpaca fake (the real client over
// loopback), stopped by SIGTERM; and the start-up checks that keep real money safe.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, pi5 } from '../../helpers/cli.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';
import { startFakeAlpacaTrading, TRADING_KEY, TRADING_SECRET, type FakeAlpacaTrading } from '../../helpers/fakeAlpacaTrading.js';

const DATA = resolve(PROJECT_ROOT, '..', 'shared', 'data', 'NVDA-1999-2014.csv');
let fake: FakeAlpacaTrading;
let dir: string;

beforeAll(async () => {
  fake = await startFakeAlpacaTrading();
  dir = mkdtempSync(join(tmpdir(), 'pi5-trade-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

function config(name: string, broker: string): string {
  const path = join(dir, name);
  const strategies = "[{ id: sma, strategy: sma-cross, params: { fast: 5, slow: 20 }, symbols: [NVDA] }]";
  writeFileSync(path, `broker:\n${broker}\nsession:\n  id: trade-test\n  stepIntervalMs: 0\n  cash: 100000\n  size: '100'\n  strategies: ${strategies}\n`);
  return path;
}

const env = { ...process.env, NO_COLOR: '1', PI5_DATA_DIR: '', APCA_API_KEY_ID: TRADING_KEY, APCA_API_SECRET_KEY: TRADING_SECRET, APCA_API_BASE_URL: '' };

describe('pi5 trade', () => {
  it('trades a replay at the Alpaca fake under the session client ids, without HTTP, and stops on SIGTERM', async () => {
    const cfg = config('alpaca.yaml', `  venue: alpaca\n  alpaca:\n    baseUrl: ${fake.baseUrl}`);
    const child = spawn(process.execPath, [CLI, 'trade', '--config', cfg, '--replay-data', DATA], { env: { ...env, PI5_DATA_DIR: join(dir, 'data') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await expect.poll(() => stderr, { timeout: 120_000, interval: 200 }).toContain('pi5 trading: session trade-test at alpaca');
    await expect.poll(() => fake.posted.length, { timeout: 120_000, interval: 200 }).toBeGreaterThan(2);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('http://');
    expect(fake.posted.every((id) => id.startsWith('paper-trade-test-'))).toBe(true);
    expect(new Set(fake.posted).size).toBe(fake.posted.length);
  });

  it('refuses a live endpoint unless the config says broker.live: true, before opening anything', () => {
    const cfg = config('live.yaml', '  venue: alpaca\n  alpaca:\n    baseUrl: https://api.alpaca.markets');
    const r = spawnSync(process.execPath, [CLI, 'trade', '--config', cfg], { env: { ...env, PI5_DATA_DIR: join(dir, 'never') }, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('broker.live: true');
  });

  it('refuses --live on the simulated exchange and --paper with --live', () => {
    const cfg = config('sim.yaml', '  venue: sim');
    expect(pi5(['trade', '--config', cfg, '--live']).stderr).toContain('broker.venue');
    expect(pi5(['trade', '--config', cfg, '--live', '--paper']).code).toBe(2);
  });
});
