// `pi5 data fetch --provider alphavantage` through the built CLI into PGlite in a temp PI5_DATA_DIR, against
// the fake Alpha Vantage (ALPHAVANTAGE_BASE_URL): bars stored, corporate actions listed, the key never shown.
// The child runs asynchronously because the fake server lives in this process's event loop.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, pi5InProcess } from '../../../helpers/cli.js';
import { bar, dailyPayload, INFORMATION_PREMIUM, NOTE_THROTTLE, startFakeAlphaVantage, type AvBar, type FakeAlphaVantage } from './fakeAlphaVantage.js';

const tmp = mkdtempSync(join(tmpdir(), 'pi5-fetch-av-'));
let fake: FakeAlphaVantage;
beforeAll(async () => {
  fake = await startFakeAlphaVantage();
});
afterAll(async () => {
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
});

let processes = 0;

/** The first call is a real `pi5` process; the rest run the built program in this process (pi5InProcess). */
function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PI5_DATA_DIR: join(tmp, 'data'), ALPHAVANTAGE_BASE_URL: fake.baseUrl, ALPHAVANTAGE_API_KEY: 'secret-test-key', ...extraEnv };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  if (processes++ > 0) return pi5InProcess(args, { env });
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Weekday sessions of 2024-05 and 2024-06 with a 2:1 split on 2024-06-10 and a dividend on 2024-05-10. */
function sessions(): AvBar[] {
  const out: AvBar[] = [];
  for (let t = Date.UTC(2024, 4, 1); t <= Date.UTC(2024, 5, 28); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
    const at = d.toISOString().slice(0, 10);
    const px = at < '2024-06-10' ? 200 + d.getUTCDate() / 4 : 100 + d.getUTCDate() / 8;
    const extra = at === '2024-06-10' ? { split: '2.0' } : at === '2024-05-10' ? { dividend: '0.5000' } : {};
    out.push(bar(at, px.toFixed(4), (px + 1).toFixed(4), (px - 1).toFixed(4), (px + 0.5).toFixed(4), String(10_000 + d.getUTCDate()), extra));
  }
  return out;
}

describe('pi5 data fetch --provider alphavantage', () => {
  it('stores raw daily bars, lists the split and dividend, and waits out a throttle reply', async () => {
    fake.handle((r, n) => (n === 1 ? { body: NOTE_THROTTLE } : { body: dailyPayload(r.params.get('symbol') ?? '', sessions(), true) }));
    // One throttle reply is retried after ALPHAVANTAGE_THROTTLE_WAIT_MS; keep it short for the test.
    const f = await run(['data', 'fetch', '--provider', 'alphavantage', '--symbols', 'acme', '--timeframe', '1d', '--from', '2024-05-01', '--to', '2024-06-30'], { ALPHAVANTAGE_THROTTLE_WAIT_MS: '20', ALPHAVANTAGE_ADJUSTED: 'true' });
    expect(f.code, f.stderr).toBe(0);
    expect(f.stderr).toMatch(/\[1\/1\] alphavantage ACME 1d: 43 bars, 2 corporate actions/);
    expect(f.stdout).toMatch(/fetched 43 bars \(43 new or changed\) into pglite/);
    expect(f.stdout).toMatch(/dividend ACME 2024-05-10 0.5 USD/);
    expect(f.stdout).toMatch(/split ACME 2024-06-10 2:1/);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.params.get('function')).toBe('TIME_SERIES_DAILY_ADJUSTED');
    const list = await run(['data', 'list']);
    expect(list.stdout).toMatch(/ACME\s+1d\s+2024-05-01T00:00:00.000Z\s+2024-06-28T00:00:00.000Z\s+43/);
  });

  it('fetches daily bars from the free TIME_SERIES_DAILY by default and says where corporate actions come from', async () => {
    fake.handle((r) => ({ body: dailyPayload(r.params.get('symbol') ?? '', sessions(), false) }));
    const f = await run(['data', 'fetch', '--provider', 'alphavantage', '--symbols', 'PLAIN', '--timeframe', '1d', '--from', '2024-05-01', '--to', '2024-06-30']);
    expect(f.code, f.stderr).toBe(0);
    expect(fake.requests.at(-1)?.params.get('function')).toBe('TIME_SERIES_DAILY');
    expect(f.stderr).toMatch(/\[1\/1\] alphavantage PLAIN 1d: 43 bars, no corporate actions \(TIME_SERIES_DAILY carries no splits or dividends \(raw prices\); get them with --provider yahoo or alpaca, or set ALPHAVANTAGE_ADJUSTED=true with a premium key\)/);
    expect(f.stdout).toMatch(/fetched 43 bars \(43 new or changed\) into pglite, raw prices; 0 corporate actions/);
  });

  it('names the setting to change when the adjusted endpoint is premium-only for the key', async () => {
    fake.handle(() => ({ body: INFORMATION_PREMIUM }));
    const f = await run(['data', 'fetch', '--provider', 'alphavantage', '--symbols', 'ACME', '--timeframe', '1d', '--from', '2024-05-01', '--to', '2024-06-30'], { ALPHAVANTAGE_ADJUSTED: 'true' });
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/TIME_SERIES_DAILY_ADJUSTED is premium-only for this API key; set ALPHAVANTAGE_ADJUSTED=false/);
    expect(f.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('fails with PI5_ERR_PROVIDER, never showing the API key, when the service keeps failing', async () => {
    fake.handle(() => ({ status: 500, body: 'down' }));
    const f = await run(['data', 'fetch', '--provider', 'alphavantage', '--symbols', 'ACME', '--from', '2024-05-01', '--to', '2024-06-30']);
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/PI5_ERR_PROVIDER/);
    expect(f.stderr).not.toContain('secret-test-key');
  });
});
