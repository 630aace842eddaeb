// `pi5 data fetch --provider yahoo` through the built CLI into PGlite in a temp PI5_DATA_DIR, against the
// fake Yahoo (YAHOO_BASE_URL), then `pi5 data list`. One process run of each: PGlite start-up is slow.
// The children run asynchronously because the fake server lives in this process's event loop.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../../../helpers/cli.js';
import { startFakeYahoo, type FakeYahoo } from './fakeYahoo.js';
import { chartPayload, type RawBar } from './yahooFixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'pi5-fetch-cli-'));
let fake: FakeYahoo;
beforeAll(async () => {
  fake = await startFakeYahoo();
});
afterAll(async () => {
  await fake.close();
  rmSync(tmp, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PI5_DATA_DIR: join(tmp, 'data'), YAHOO_BASE_URL: fake.baseUrl };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Generated weekday sessions of 2024 H1 for a symbol, with a missing session on 2024-03-29. */
function sessions(start: number): Array<RawBar | { at: string; missing: true }> {
  const out: Array<RawBar | { at: string; missing: true }> = [];
  let px = start;
  for (let t = Date.UTC(2024, 0, 2); t <= Date.UTC(2024, 5, 28); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
    const at = d.toISOString().slice(0, 10);
    if (at === '2024-03-29') {
      out.push({ at, missing: true });
      continue;
    }
    const next = Math.round((px + ((d.getUTCDate() % 5) - 2) * 0.37) * 100) / 100;
    out.push({ at, open: px, high: Math.max(px, next) + 0.5, low: Math.min(px, next) - 0.5, close: next, volume: 100_000 + d.getUTCDate() * 1000 });
    px = next;
  }
  return out;
}

describe('pi5 data fetch --provider yahoo', () => {
  it('fetches two symbols into the embedded store and data list shows them', async () => {
    fake.handle((r) => {
      if (r.params.get('interval') === '1mo') return { body: chartPayload({ symbol: r.symbol, bars: [] }) };
      return { body: chartPayload({ symbol: r.symbol, bars: sessions(r.symbol === 'ACME' ? 150 : 42), dividends: r.symbol === 'ACME' ? [{ date: '2024-05-10', amount: 0.25 }] : [] }) };
    });
    const f = await run(['data', 'fetch', '--provider', 'yahoo', '--symbols', 'acme,BETA', '--timeframe', '1d', '--from', '2024-01-01', '--to', '2024-06-30']);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stderr).toMatch(/\[1\/2\] yahoo ACME 1d: 128 bars, 1 corporate actions, 1 empty rows skipped/);
    expect(f.stderr).toMatch(/\[2\/2\] yahoo BETA 1d: 128 bars, 0 corporate actions/);
    expect(f.stdout).toMatch(/fetched 256 bars \(256 new or changed\) into pglite/);
    expect(f.stdout).toMatch(/dividend ACME 2024-05-10 0.25 USD/);
    const list = await run(['data', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/ACME\s+1d\s+2024-01-02T00:00:00.000Z\s+2024-06-28T00:00:00.000Z\s+128/);
    expect(list.stdout).toMatch(/BETA\s+1d\s+2024-01-02T00:00:00.000Z\s+2024-06-28T00:00:00.000Z\s+128/);
  });

  it('answers an unsupported provider with the supported ones', async () => {
    const r = await run(['data', 'fetch', '--provider', 'nope', '--symbols', 'AAPL', '--from', '2024-01-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PI5_ERR_BAD_USAGE.*--provider "nope" is not a provider; supported: yahoo, alphavantage/);
  });
});
