// `pi5 serve` as a user runs it (the built CLI in its own process): it starts on embedded defaults, prints the
// one-time admin password once, trades on paper while you watch, survives being killed (ending exactly
// where an uninterrupted run ends), refuses a bad configuration, and stops gracefully on SIGTERM.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBarsCsv } from '../../../src/data/csv/index.js';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { CLI, pi5 } from '../../helpers/cli.js';
import { sharedData } from '../../helpers/shared.js';
import { SeededRng } from '../../../src/core/rng.js';
import type { SessionAction } from '../../../src/engine/live/sessionActions.js';
import { MemorySessionStore } from '../../../src/engine/live/sessionStore.js';
import type { TradingSessionConfig } from '../../../src/engine/live/tradingSession.js';
import { replaySource } from '../../../src/cli/commands/serve.js';
import { TradingSessionRepository } from '../../../src/persistence/repositories/tradingSessions.js';
import { openSessionWith } from '../../helpers/tradingSession.js';
import { waitUntil } from '../../helpers/budget.js';

const dirs: string[] = [];
const REPLAY_BARS = 1_000;
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

const until = (what: string, check: () => Promise<boolean>, budgetMs?: number): Promise<void> => waitUntil(what, check, 50, budgetMs);

interface Outcome {
  readonly orders: Record<string, unknown>[];
  readonly fills: Record<string, unknown>[];
  readonly portfolio: { cash: unknown; equity: unknown };
  readonly served: number;
}

/** Three symbols of seeded daily bars as CSV files in a folder: a replay that ends (the demo's walk never does). */
async function finiteReplay(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pi5-serve-csv-'));
  dirs.push(dir);
  await mkdir(dir, { recursive: true });
  const symbols = [{ symbol: 'RPLA', seed: 1, startPrice: 50 }, { symbol: 'RPLB', seed: 2, startPrice: 120 }, { symbol: 'RPLC', seed: 3, startPrice: 30 }];
  for (const s of symbols) await writeFile(join(dir, `${s.symbol}.csv`), writeBarsCsv(generateSyntheticBars({ ...s, bars: 400, start: Date.UTC(2015, 0, 1) })));
  return dir;
}

/** Lets `s` finish its feed, stops it (exit code 0), and reads back every order, fill and the final account. */
async function runToEnd(s: Served, password: string, dataDir: string, sessionId: string): Promise<Outcome> {
  const auth = { authorization: `Bearer ${await login(s.url, password)}` };
  // Safety budget only: at load 38 a 400-step replay beside a second server starting (initdb) took over 60 s.
  await until('the end of the feed', async () => (await json(`${s.url}/api/v1/session`, { headers: auth })).state === 'finished', 240_000);
  const served = Number((await json(`${s.url}/api/v1/orders?limit=1000`, { headers: auth })).total);
  const p = await json(`${s.url}/api/v1/portfolio`, { headers: auth });
  s.child.kill('SIGTERM');
  expect(await new Promise<number | null>((r) => s.child.once('exit', (c) => r(c)))).toBe(0);
  const db = await openDatabase({ dataDir });
  try {
    // Every stored column except the wall-clock stamps of when rows were written.
    const orders = await db.query<Record<string, unknown>>(
      `select client_order_id, broker_order_id, symbol, side, quantity, type, time_in_force, limit_price, stop_price, trail_amount, trail_percent,
              parent_client_order_id, oco_group, status, filled_quantity from orders where session_id = $1 order by client_order_id`,
      [sessionId],
    );
    const fills = await db.query<Record<string, unknown>>(
      `select f.client_order_id, f.broker_fill_id, f.ts, f.price, f.quantity, f.commission, f.liquidity
         from fills f join orders o using (client_order_id) where o.session_id = $1 order by f.ts, f.client_order_id, f.id`,
      [sessionId],
    );
    return { orders, fills, portfolio: { cash: p.cash, equity: p.equity }, served };
  } finally {
    await db.close();
  }
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
    // Two server starts: a safety budget, not a speed check (over 60 s at load 30).
  }, 240_000);

  it('trades on paper, is killed mid-session, and resumes to exactly the orders, fills and equity of an uninterrupted run', async () => {
    const env = { PI5_ADMIN_PASSWORD: 'serve-test-password-1' };
    // A replay that ends, so both runs have a last step to compare at (the demo's own walk never ends).
    const args = ['--step-interval', '5', '--replay-data', await finiteReplay()];
    const baseline = await mkdtemp(join(tmpdir(), 'pi5-serve-'));
    dirs.push(baseline);
    // The uninterrupted run goes alongside the interrupted one: same data, same strategy, its own folder.
    const uninterrupted = serve(baseline, env, args).then((whole) => runToEnd(whole, env.PI5_ADMIN_PASSWORD, baseline, 'replay'));

    const dir = await mkdtemp(join(tmpdir(), 'pi5-serve-'));
    dirs.push(dir);
    const first = await serve(dir, env, args);
    const token = await login(first.url, env.PI5_ADMIN_PASSWORD);
    const auth = { authorization: `Bearer ${token}` };
    await until('some filled orders', async () => Number((await json(`${first.url}/api/v1/orders?status=filled`, { headers: auth })).total) >= 3);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await serve(dir, env, args);
    const token2 = await login(second.url, env.PI5_ADMIN_PASSWORD);
    const session = await json(`${second.url}/api/v1/session`, { headers: { authorization: `Bearer ${token2}` } });
    expect(Number(session.recoveredSteps)).toBeGreaterThan(30);
    // A replay's session is called 'replay' (the demo's 'demo').
    const resumed = await runToEnd(second, env.PI5_ADMIN_PASSWORD, dir, 'replay');
    const expected = await uninterrupted;
    expect(resumed.orders.length).toBeGreaterThanOrEqual(3);
    expect(resumed.fills.length).toBeGreaterThanOrEqual(3);
    expect(resumed.orders).toEqual(expected.orders);
    expect(resumed.fills).toEqual(expected.fills);
    expect(resumed.portfolio).toEqual(expected.portfolio);
    expect(resumed.served).toBe(expected.orders.length);
    // Two servers at once on a shared 2-core machine: a generous bound, not a speed claim.
  }, 480_000);

  it('is killed again and again while manual submits, modifies and cancels arrive, recovers every action it accepted, each order stored once, and ends as an uninterrupted run of the same actions', async () => {
    const env = { PI5_ADMIN_PASSWORD: 'serve-test-password-1' };
    const replay = await finiteReplay();
    const args = ['--step-interval', '5', '--replay-data', replay];
    const dir = await mkdtemp(join(tmpdir(), 'pi5-serve-'));
    dirs.push(dir);
    const rng = new SeededRng(Number(process.env.KILL_SEED ?? 711));
    const symbols = ['RPLA', 'RPLB', 'RPLC'];
    let inFlightAtKill = 0;
    for (let kill = 0; kill < 3; kill++) {
      const s = await serve(dir, env, args);
        const headers = { authorization: `Bearer ${await login(s.url, env.PI5_ADMIN_PASSWORD)}`, 'content-type': 'application/json' };
      const send = (method: string, path: string, body?: unknown): Promise<Response | null> =>
        fetch(`${s.url}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }).catch(() => null);
      const mine: number[] = [];
      let acting = true;
      let pending = 0;
      // Several clients at once, none waiting for the kill: requests are in flight when it comes.
      const client = async (): Promise<void> => {
        while (acting) {
          const r = rng.next();
          const id = mine[rng.int(0, Math.max(0, mine.length - 1))];
          pending++;
          let res: Response | null;
          if (r < 0.3 && id !== undefined) res = await send('PATCH', `/orders/${id}`, { limitPrice: rng.int(20, 140) });
          else if (r < 0.45 && id !== undefined) res = await send('DELETE', `/orders/${id}`);
          else {
            const limit = rng.next() < 0.6 ? { type: 'limit', limitPrice: rng.int(20, 140) } : {};
            res = await send('POST', '/orders', { symbol: symbols[rng.int(0, 2)], side: rng.next() < 0.6 ? 'buy' : 'sell', quantity: rng.int(1, 30), ...limit });
            if (res?.status === 201 || res?.status === 200) mine.push(Number(((await res.json().catch(() => ({}))) as { id?: number }).id));
          }
          pending--;
        }
      };
      const clients = [client(), client(), client()];
      await new Promise((r) => setTimeout(r, rng.int(400, 1_500)));
      inFlightAtKill += pending;
      s.child.kill('SIGKILL');
      await new Promise((r) => s.child.once('exit', r));
      acting = false;
      await Promise.all(clients);
    }
    expect(inFlightAtKill).toBeGreaterThan(0);
    const last = await serve(dir, env, args);
    const st = await json(`${last.url}/api/v1/session`, { headers: { authorization: `Bearer ${await login(last.url, env.PI5_ADMIN_PASSWORD)}` } });
    expect(st.failure).toBeNull();
    const resumed = await runToEnd(last, env.PI5_ADMIN_PASSWORD, dir, 'replay');

    // Every journaled submit is a stored order, every stored order is served, and nothing was stored twice.
    const db = await openDatabase({ dataDir: dir });
    try {
      const journal = await db.query<{ action: SessionAction }>("select action from paper_session_actions where session_id = 'replay' order by seq");
      const submits = journal.filter((a) => a.action.kind === 'submitOrder').length;
      expect(submits).toBeGreaterThan(0);
      const manual = await db.query<{ n: number | string }>("select count(*) as n from orders where session_id = 'replay' and strategy_name is null");
      expect(Number(manual[0]?.n)).toBe(submits);

      // And it ends exactly as an uninterrupted run of the same actions after the same steps: the journal says
      // which step each action followed (the server stepped on its own clock), so the reference is rebuilt from it
      // in process, over the same files and the stored session config, and stepped by hand.
      const stored = await new TradingSessionRepository(db).load('replay');
      if (stored === null) throw new Error('the replay session is not stored');
      const source = await replaySource({ data: [replay] });
      const reference = await openSessionWith({ store: new MemorySessionStore(), config: stored.config as TradingSessionConfig, series: [...(source?.series ?? [])] });
      for (const r of stored.actions) {
        await reference.advance(r.afterStep + 1 - reference.ledger.stepCount);
        await reference.act(r.action).catch(() => undefined);
      }
      await reference.advance(10_000);
      const ref = [...reference.kernel.oms.all()].sort((a, b) => (a.clientOrderId < b.clientOrderId ? -1 : 1));
      expect(resumed.orders.map((o) => `${String(o.client_order_id)} ${String(o.status)} ${Number(o.quantity)} ${Number(o.filled_quantity)}`)).toEqual(
        ref.map((o) => `${o.clientOrderId} ${o.status} ${o.quantity} ${o.filledQuantity}`),
      );
      expect(resumed.fills.length).toBeGreaterThan(0);
      expect(resumed.portfolio.equity).toBe(reference.kernel.portfolio.equity());
      expect(resumed.portfolio.cash).toBe(reference.kernel.portfolio.cash());
    } finally {
      await db.close();
    }
    expect(resumed.served).toBe(resumed.orders.length);
    expect(new Set(resumed.orders.map((o) => o.client_order_id)).size).toBe(resumed.orders.length);
  }, 600_000);

  it('keeps the demo running past its generated bars, also after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-serve-'));
    dirs.push(dir);
    const env = { PI5_ADMIN_PASSWORD: 'serve-test-password-1', PI5_DEMO_BARS: '100' };
    const stepOf = async (s: Served, auth: Record<string, string>): Promise<Record<string, unknown>> => json(`${s.url}/api/v1/session`, { headers: auth });
    const first = await serve(dir, env);
    const auth = { authorization: `Bearer ${await login(first.url, env.PI5_ADMIN_PASSWORD)}` };
    // The demo's walk rolls on past PI5_DEMO_BARS: it keeps running instead of finishing.
    await until('steps past the first 100 bars', async () => {
      const st = await stepOf(first, auth);
      return Number(st.step) > 150 && st.state === 'running';
    });
    first.child.kill('SIGTERM');
    expect(await new Promise<number | null>((r) => first.child.once('exit', (c) => r(c)))).toBe(0);
    const second = await serve(dir, env);
    const auth2 = { authorization: `Bearer ${await login(second.url, env.PI5_ADMIN_PASSWORD)}` };
    const reopened = await stepOf(second, auth2);
    expect(Number(reopened.recoveredSteps)).toBeGreaterThan(150);
    await until('more steps after the restart', async () => {
      const st = await stepOf(second, auth2);
      return Number(st.step) > Number(reopened.recoveredSteps) + 20 && st.state === 'running';
    });
    second.child.kill('SIGTERM');
    expect(await new Promise<number | null>((r) => second.child.once('exit', (c) => r(c)))).toBe(0);
  });

  it('paper-trades a replay of real CSV data as fast as storage allows (--replay-data --speed max)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-serve-'));
    dirs.push(dir);
    // The first 1,000 of NVDA's 4,012 real daily bars (1999–2002): every step is stored, and the whole file cost
    // ~12 CPU-s of this file's ~50; the test is about a real file replayed to its end, not about its length.
    const csv = join(dir, 'NVDA-1999-2002.csv');
    await writeFile(csv, (await readFile(sharedData('NVDA-1999-2014.csv'), 'utf8')).split('\n').slice(0, 1 + REPLAY_BARS).join('\n') + '\n');
    const s = await serve(dir, { PI5_ADMIN_PASSWORD: 'serve-test-password-1' }, ['--replay-data', csv, '--speed', 'max']);
    const auth = { authorization: `Bearer ${await login(s.url, 'serve-test-password-1')}` };
    // Safety budget only: each step waits for a core (the whole file took 216 s at load 25).
    await until('the end of the replay', async () => (await json(`${s.url}/api/v1/session`, { headers: auth })).state === 'finished', 480_000);
    const session = await json(`${s.url}/api/v1/session`, { headers: auth });
    expect(session).toMatchObject({ id: 'replay', steps: REPLAY_BARS, step: REPLAY_BARS });
    const positions = await json(`${s.url}/api/v1/positions`, { headers: auth });
    expect((positions.items as { symbol: string }[]).map((p) => p.symbol)).toEqual(['NVDA']);
    expect(Number((await json(`${s.url}/api/v1/orders`, { headers: auth })).total)).toBeGreaterThan(10);
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
  }, 600_000);

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
  }, 240_000);

  it('refuses a bad configuration at start with the variable named', () => {
    const r = pi5(['serve', '--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port/);
  });
});
