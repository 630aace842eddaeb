// `pi5 data stream --provider alpaca` and `pi5 data fetch --provider alpaca` through the built CLI against the
// fake Alpaca (APCA_API_STREAM_URL, APCA_API_DATA_URL), the fetch into PGlite in a temp PI5_DATA_DIR. The
// children run asynchronously because the fake servers live in this process's event loop.

import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../../../helpers/cli.js';
import { barsFrom, FAKE_KEY, FAKE_SECRET, startFakeAlpaca, type FakeAlpaca } from './fakeAlpaca.js';
import { WAIT_BUDGET_MS } from '../../../helpers/budget.js';

const tmp = mkdtempSync(join(tmpdir(), 'pi5-alpaca-cli-'));
let fake: FakeAlpaca;
beforeAll(async () => {
  fake = await startFakeAlpaca();
});
afterEach(() => fake.onSubscribed(null));
afterAll(async () => {
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PI5_DATA_DIR: join(tmp, 'data'), APCA_API_KEY_ID: FAKE_KEY, APCA_API_SECRET_KEY: FAKE_SECRET, APCA_API_DATA_URL: fake.baseUrl, APCA_API_STREAM_URL: fake.streamUrl, ...extra };
  delete e.DATABASE_URL;
  return e;
}

function run(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: env(extra), encoding: 'utf8', timeout: WAIT_BUDGET_MS }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const trade = { T: 't', S: 'MSFT', i: 7, x: 'V', p: 401.5, s: 10, t: '2024-03-11T14:31:01.123456789Z', c: ['@'], z: 'C' };
const quote = { T: 'q', S: 'AAPL', bx: 'V', bp: 170.24, bs: 2, ax: 'V', ap: 170.26, as: 3, t: '2024-03-11T14:31:00.5Z', c: ['R'], z: 'C' };
const bar = (S: string, t: string, c: number) => ({ T: 'b', S, o: c, h: c + 1, l: c - 1, c, v: 500, t, n: 9, vw: c });

describe('pi5 data stream --provider alpaca', () => {
  it('prints --limit events as JSON lines and exits 0, with status on stderr and no secret anywhere', async () => {
    fake.onSubscribed((send) => {
      send([bar('AAPL', '2024-03-11T14:30:00Z', 170), quote]);
      send([trade, bar('MSFT', '2024-03-11T14:30:00Z', 400)]);
    });
    const r = await run(['data', 'stream', '--provider', 'alpaca', '--symbols', 'aapl,msft', '--bars', '--quotes', '--trades', '--limit', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { type: 'bar', symbol: 'AAPL', timeframe: '1m', ts: '2024-03-11T14:30:00.000Z', open: 170, high: 171, low: 169, close: 170, volume: 500, backfilled: false },
      { type: 'quote', symbol: 'AAPL', ts: '2024-03-11T14:31:00.500Z', bid: 170.24, bidSize: 2, ask: 170.26, askSize: 3 },
      { type: 'trade', symbol: 'MSFT', ts: '2024-03-11T14:31:01.123Z', price: 401.5, size: 10, exchange: 'V', id: '7' },
    ]);
    expect(r.stderr).toMatch(/alpaca: connecting: ws:\/\/127\.0\.0\.1:\d+\/v2\/iex\nalpaca: connected\nalpaca: subscribed: bars AAPL,MSFT; quotes AAPL,MSFT; trades AAPL,MSFT\n/);
    expect(r.stderr).toMatch(/alpaca: closed\n$/);
    expect(r.stdout + r.stderr).not.toContain(FAKE_SECRET);
  });

  it('streams minute bars as text lines by default', async () => {
    fake.onSubscribed((send) => send([bar('SPY', '2024-03-11T14:30:00Z', 510.25), bar('SPY', '2024-03-11T14:31:00Z', 511)]));
    const r = await run(['data', 'stream', '--provider', 'alpaca', '--symbols', 'SPY', '--limit', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('2024-03-11T14:30:00.000Z bar   SPY 1m o=510.25 h=511.25 l=509.25 c=510.25 v=500\n2024-03-11T14:31:00.000Z bar   SPY 1m o=511 h=512 l=510 c=511 v=500\n');
  });

  it('streams the day\'s bars with --daily-bars, keyed by the New York date', async () => {
    fake.onSubscribed((send, subs) => subs.dailyBars.includes('SPY') && send([{ ...bar('SPY', '2024-03-11T04:00:00Z', 510.25), T: 'd' }]));
    const r = await run(['data', 'stream', '--provider', 'alpaca', '--symbols', 'spy', '--daily-bars', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('2024-03-11T00:00:00.000Z bar   SPY 1d o=510.25 h=511.25 l=509.25 c=510.25 v=500\n');
    expect(r.stderr).toMatch(/alpaca: subscribed: dailyBars SPY\n/);
  });

  it('stops cleanly on SIGINT', async () => {
    fake.onSubscribed((send) => send([bar('SPY', '2024-03-11T14:30:00Z', 510)]));
    const child = spawn(process.execPath, [CLI, 'data', 'stream', '--provider', 'alpaca', '--symbols', 'SPY'], { env: env() });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the first event is printed (or fail fast if the child dies before).
    const printed = new Promise<boolean>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += String(d);
        if (stdout.includes('\n')) resolve(true);
      });
      child.on('exit', () => resolve(false));
    });
    expect(await printed, stderr).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/^2024-03-11T14:30:00.000Z bar {3}SPY 1m/);
    expect(stderr).toMatch(/alpaca: closed\n$/);
  });

  it('fails with the provider code on bad credentials and with bad usage on a bad feed, never printing the secret', async () => {
    const bad = await run(['data', 'stream', '--provider', 'alpaca', '--symbols', 'SPY', '--limit', '1'], { APCA_API_SECRET_KEY: 'nope-secret-77' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error \[PI5_ERR_PROVIDER\]: alpaca stream: error 402 auth failed \(check APCA_API_KEY_ID \/ APCA_API_SECRET_KEY\)/);
    expect(bad.stdout + bad.stderr).not.toContain('nope-secret-77');
    const feed = await run(['data', 'stream', '--provider', 'alpaca', '--symbols', 'SPY', '--feed', 'otc']);
    expect(feed.code).toBe(2);
    expect(feed.stderr).toMatch(/PI5_ERR_BAD_USAGE.*--feed "otc" is not an Alpaca stock feed \(iex, sip\)/);
  });
});

describe('pi5 data fetch --provider alpaca', () => {
  it('stores daily bars keyed at 00:00 UTC in the embedded store', async () => {
    const days = ['2024-01-02', '2024-01-03', '2024-01-04'];
    fake.handleBars(barsFrom({ ACME: days.map((d, i) => ({ t: `${d}T05:00:00Z`, o: 10 + i, h: 11 + i, l: 9 + i, c: 10.5 + i, v: 1000 * (i + 1), n: 5, vw: 10 })) }, 2));
    const f = await run(['data', 'fetch', '--provider', 'alpaca', '--symbols', 'acme', '--timeframe', '1d', '--from', '2024-01-01', '--to', '2024-01-31']);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stderr).toMatch(/\[1\/1\] alpaca ACME 1d: 3 bars, 0 corporate actions/);
    expect(f.stdout).toMatch(/fetched 3 bars \(3 new or changed\) into pglite/);
    expect(fake.barRequests).toHaveLength(2);
    const list = await run(['data', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/ACME\s+1d\s+2024-01-02T00:00:00.000Z\s+2024-01-04T00:00:00.000Z\s+3/);
  });
});
