// `pi5 serve` as a user runs it (the built CLI in its own process): it starts on embedded defaults, prints the
// one-time admin password once, trades on paper while you watch, survives being killed (no order lost or
// sent twice), refuses a bad configuration, and stops gracefully on SIGTERM.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { CLI, pi5 } from '../../helpers/cli.js';
import { sharedData } from '../../helpers/shared.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
}

function serve(dataDir: string, env: Record<string, string> = {}, args: readonly string[] = ['--step-interval', '5']): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    env: { ...process.env, PI5_DATA_DIR: dataDir, PI5_LOG_LEVEL: 'warn', PI5_DEMO_BARS: '400', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving on (http:\/\/[\d.]+:\d+)/.exec(err);
      if (m) resolve({ child, url: m[1] as string, stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

async function json(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  return (await (await fetch(url, init)).json()) as Record<string, unknown>;
}

async function login(url: string, password: string): Promise<string> {
  const r = await json(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  return r.accessToken as string;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('pi5 serve', () => {
  it('prints a one-time admin password once, which only allows changing the password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-serve-'));
    dirs.push(dir);
    const s = await serve(dir, { PI5_ADMIN_PASSWORD: '' });
    const m = /one-time password, shown only this once:\n\s+(\S+)/.exec(s.stderr());
    expect(m).not.toBeNull();
    const token = await login(s.url, (m as RegExpExecArray)[1] as string);
    const blocked = await fetch(`${s.url}/api/v1/portfolio`, { headers: { authorization: `Bearer ${token}` } });
    expect(blocked.status).toBe(403);
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
    const again = await serve(dir, { PI5_ADMIN_PASSWORD: '' });
    expect(again.stderr()).not.toMatch(/one-time password/);
    again.child.kill('SIGTERM');
    await new Promise((r) => again.child.once('exit', r));
  }, 60_000);

  it('trades on paper, is killed mid-session, and resumes with every order stored exactly once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-serve-'));
    dirs.push(dir);
    const env = { PI5_ADMIN_PASSWORD: 'serve-test-password-1' };
    const first = await serve(dir, env);
    const token = await login(first.url, env.PI5_ADMIN_PASSWORD);
    const auth = { authorization: `Bearer ${token}` };
    await until('some filled orders', async () => Number((await json(`${first.url}/api/v1/orders?status=filled`, { headers: auth })).total) >= 3);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await serve(dir, env);
    const token2 = await login(second.url, env.PI5_ADMIN_PASSWORD);
    const session = await json(`${second.url}/api/v1/session`, { headers: { authorization: `Bearer ${token2}` } });
    expect(Number(session.recoveredSteps)).toBeGreaterThan(30);
    expect(session.state).not.toBe('failed');
    // The demo's walk rolls on past its PI5_DEMO_BARS: it keeps running instead of finishing.
    await until('steps past the first 400 bars', async () => {
      const s = await json(`${second.url}/api/v1/session`, { headers: { authorization: `Bearer ${token2}` } });
      return Number(s.step) > 450 && s.state === 'running';
    }, 40_000);
    const served = await json(`${second.url}/api/v1/orders?limit=1000`, { headers: { authorization: `Bearer ${token2}` } });
    second.child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => second.child.once('exit', (c) => r(c)));
    expect(code).toBe(0);

    const db = await openDatabase({ dataDir: dir });
    try {
      const rows = await db.query<{ n: string | number; distinct_ids: string | number }>("select count(*) as n, count(distinct client_order_id) as distinct_ids from orders where session_id = 'demo'");
      expect(Number(rows[0]?.n)).toBe(Number(served.total));
      expect(Number(rows[0]?.distinct_ids)).toBe(Number(served.total));
      const open = await db.query<{ n: string | number }>("select count(*) as n from orders where session_id = 'demo' and status in ('new', 'submitted')");
      expect(Number(open[0]?.n)).toBe(0);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('paper-trades a replay of real CSV data as fast as storage allows (--replay-data --speed max)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-serve-'));
    dirs.push(dir);
    const s = await serve(dir, { PI5_ADMIN_PASSWORD: 'serve-test-password-1' }, ['--replay-data', sharedData('NVDA-1999-2014.csv'), '--speed', 'max']);
    const auth = { authorization: `Bearer ${await login(s.url, 'serve-test-password-1')}` };
    await until('the end of the replay', async () => (await json(`${s.url}/api/v1/session`, { headers: auth })).state === 'finished', 60_000);
    const session = await json(`${s.url}/api/v1/session`, { headers: auth });
    expect(session).toMatchObject({ id: 'replay', steps: 4012, step: 4012 });
    const positions = await json(`${s.url}/api/v1/positions`, { headers: auth });
    expect((positions.items as { symbol: string }[]).map((p) => p.symbol)).toEqual(['NVDA']);
    expect(Number((await json(`${s.url}/api/v1/orders`, { headers: auth })).total)).toBeGreaterThan(10);
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
  }, 90_000);

  it('restarts gracefully on an admin request, on the same address, resuming the session', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-serve-'));
    dirs.push(dir);
    const s = await serve(dir, { PI5_ADMIN_PASSWORD: 'serve-test-password-1' });
    const auth = { authorization: `Bearer ${await login(s.url, 'serve-test-password-1')}` };
    await until('a few steps', async () => Number((await json(`${s.url}/api/v1/session`, { headers: auth })).step) > 20);
    const r = await fetch(`${s.url}/api/v1/system/restart`, { method: 'POST', headers: auth });
    expect(r.status).toBe(202);
    await until('the restart', async () => s.stderr().split('serving on').length > 2);
    // Tokens survive a restart (the signing secret is kept in the data folder).
    await until('the session again', async () => {
      const st = await fetch(`${s.url}/api/v1/session`, { headers: auth }).catch(() => null);
      return st !== null && st.status === 200 && Number(((await st.json()) as { recoveredSteps: number }).recoveredSteps) > 20;
    });
    s.child.kill('SIGTERM');
    await new Promise((res) => s.child.once('exit', res));
  }, 60_000);

  it('refuses a bad configuration at start with the variable named', () => {
    const r = pi5(['serve', '--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port/);
  });
});
