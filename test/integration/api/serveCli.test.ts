// `pi5 serve` as a user runs it (the built CLI in its own process): it starts on embedded defaults, prints the
// one-time admin password once, trades on paper while you watch, survives being killed (ending exactly
// where an uninterrupted run ends), refuses a bad configuration, and stops gracefully on SIGTERM.
// Each `pi5 serve` costs ~2.5 CPU-s (Node, its modules, PGlite), a first start on an empty folder ~5 (a new
// embedded database): checks that need no fresh process share one, and tests that need a folder of their own but
// not a first start copy one that is already in use (usedFolder).

import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBarsCsv } from '../../../src/data/csv/index.js';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import type { Database } from '../../../src/persistence/database.js';
import { openPglite } from '../../../src/persistence/pgliteDatabase.js';
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
const PASSWORD = 'serve-test-password-1';
// The first 400 of NVDA's real daily bars (1999-2000): 15 filled orders, an open position at the end. Every step
// is stored, so the length costs CPU (~4 ms a step); the tests are about a real file replayed to its end.
const REPLAY_BARS = 400;
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** The first test's data folder once its servers have stopped: the admin's password is PASSWORD, the demo stored. */
let firstFolder: string | undefined;
let made: Promise<string> | undefined;

/**
 * A copy of a data folder in use, as a user's is after the first start (its embedded database made and migrated,
 * the admin and the token signing secret there): the first test's, else (a test run alone) one made once by the built
 * pgliteMake.js (the process a first start runs, `node pgliteMake.js <dataDir>`). A first start costs ~2.5 CPU-s
 * more than a start on an existing folder, and only the first test is about it. Sessions other than the demo
 * ('replay') start afresh beside the stored demo.
 */
async function usedFolder(): Promise<string> {
  const source =
    firstFolder ??
    (await (made ??= tempDir('pi5-serve-made-').then(async (dir) => {
      const maker = spawn(process.execPath, [join(dirname(CLI), '..', 'persistence', 'pgliteMake.js'), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      maker.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((r) => maker.once('exit', r));
      if (code !== 0) throw new Error(`pgliteMake exited with ${code}: ${err}`);
      return dir;
    })));
  const dir = await tempDir('pi5-serve-');
  await cp(source, dir, { recursive: true });
  return dir;
}

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

/** Sends `signal` and resolves with the exit code once the process is gone (null when a signal ended it). */
function stop(s: Served, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  const exited = new Promise<number | null>((r) => s.child.once('exit', (c) => r(c)));
  s.child.kill(signal);
  return exited;
}

async function json(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  return (await (await fetch(url, init)).json()) as Record<string, unknown>;
}

async function login(url: string, password: string): Promise<string> {
  const r = await json(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  return r.accessToken as string;
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

// Every poll is a request both processes spend CPU on; a quarter second late costs a stepping server ~25 steps.
const until = (what: string, check: () => boolean | Promise<boolean>, budgetMs?: number): Promise<void> => waitUntil(what, check, 250, budgetMs);

interface Outcome {
  readonly orders: Record<string, unknown>[];
  readonly fills: Record<string, unknown>[];
  readonly portfolio: { cash: unknown; equity: unknown };
  readonly served: number;
}

/** Three symbols of seeded daily bars as CSV files in a folder: a replay that ends (the demo's walk never does). */
async function finiteReplay(): Promise<string> {
  const dir = await tempDir('pi5-serve-csv-');
  const symbols = [{ symbol: 'RPLA', seed: 1, startPrice: 50 }, { symbol: 'RPLB', seed: 2, startPrice: 120 }, { symbol: 'RPLC', seed: 3, startPrice: 30 }];
  for (const s of symbols) await writeFile(join(dir, `${s.symbol}.csv`), writeBarsCsv(generateSyntheticBars({ ...s, bars: 400, start: Date.UTC(2015, 0, 1) })));
  return dir;
}

/**
 * Lets `s` finish its feed, stops it (exit code 0), and reads back every order, fill and the final account;
 * `alsoRead` queries the same open database. Read in this thread, not on a worker thread as the server does: the
 * first open compiles PGlite's WebAssembly (~0.8 CPU-s), and later ones in the same thread cost ~0.3 CPU-s.
 */
async function runToEnd<T = undefined>(
  s: Served,
  auth: Record<string, string>,
  dataDir: string,
  sessionId: string,
  alsoRead?: (db: Database) => Promise<T>,
): Promise<Outcome & { readonly also: T | undefined }> {
  // Safety budget only: at load 38 a 400-step replay beside a second server starting (initdb) took over 60 s.
  await until('the end of the feed', async () => (await json(`${s.url}/api/v1/session`, { headers: auth })).state === 'finished', 240_000);
  const served = Number((await json(`${s.url}/api/v1/orders?limit=1000`, { headers: auth })).total);
  const p = await json(`${s.url}/api/v1/portfolio`, { headers: auth });
  expect(await stop(s)).toBe(0);
  const db = await openPglite({ dataDir });
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
    return { orders, fills, portfolio: { cash: p.cash, equity: p.equity }, served, also: await alsoRead?.(db) };
  } finally {
    await db.close();
  }
}

describe('pi5 serve', () => {
  it('prints a one-time admin password once, which only allows changing the password; keeps the demo running past its generated bars, also after a restart, and restarts gracefully on an admin request on the same address', async () => {
    // One data folder from its first start on, two processes: the first start, then a start that finds the folder.
    const dir = await tempDir('pi5-serve-');
    const env = { PI5_ADMIN_PASSWORD: '', PI5_DEMO_BARS: '100' };
    const first = await serve(dir, env);
    const m = /one-time password, shown only this once:\n\s+(\S+)/.exec(first.stderr());
    expect(m).not.toBeNull();
    const oneTime = (m as RegExpExecArray)[1] as string;
    const oneTimeAuth = bearer(await login(first.url, oneTime));
    const blocked = await fetch(`${first.url}/api/v1/portfolio`, { headers: oneTimeAuth });
    expect(blocked.status).toBe(403);
    // The demo's walk rolls on past PI5_DEMO_BARS: it keeps running instead of finishing. (The one-time account
    // may not read the session yet; the public metrics count its steps.)
    await until('steps past the first 100 bars', async () => {
      const m = /^pi5_session_step (\d+)$/m.exec(await (await fetch(`${first.url}/metrics`)).text());
      return Number(m?.[1]) > 150;
    });
    expect(await stop(first)).toBe(0);

    // A slower pace from here: the steps this start needs are 20 more, and at 5 ms the demo would step through
    // the sign-ins and the password change (each a scrypt run) too, ~5 ms of CPU each.
    const second = await serve(dir, env, ['--step-interval', '100']);
    expect(second.stderr()).not.toMatch(/one-time password/);
    // The account still has its one-time password, still only for changing it (the token of the first start holds:
    // the signing secret is kept in the data folder).
    expect((await fetch(`${second.url}/api/v1/portfolio`, { headers: oneTimeAuth })).status).toBe(403);
    const changed = await fetch(`${second.url}/api/v1/auth/password`, {
      method: 'POST',
      headers: { ...oneTimeAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ oldPassword: oneTime, newPassword: PASSWORD }),
    });
    expect(changed.status).toBe(200);
    const auth = bearer(((await changed.json()) as { accessToken: string }).accessToken);
    const reopened = await json(`${second.url}/api/v1/session`, { headers: auth });
    expect(Number(reopened.recoveredSteps)).toBeGreaterThan(150);
    let stepped = 0;
    await until('more steps after the restart', async () => {
      const st = await json(`${second.url}/api/v1/session`, { headers: auth });
      stepped = Number(st.step);
      return stepped > Number(reopened.recoveredSteps) + 20 && st.state === 'running';
    });

    const r = await fetch(`${second.url}/api/v1/system/restart`, { method: 'POST', headers: auth });
    expect(r.status).toBe(202);
    await until('the restart', () => second.stderr().split('serving on').length > 2);
    // On the same address, with the same tokens (the signing secret is kept in the data folder), the session resumed
    // with every step it had taken (a graceful stop writes the step in flight).
    await until('the session again', async () => {
      const st = await fetch(`${second.url}/api/v1/session`, { headers: auth }).catch(() => null);
      return st !== null && st.status === 200 && Number(((await st.json()) as { recoveredSteps: number }).recoveredSteps) >= stepped;
    });
    expect(await stop(second)).toBe(0);
    firstFolder = dir;
  }, 480_000);

  it('paper-trades a replay of real CSV data to its end as fast as storage allows (--replay-data --speed max); a run killed mid-session resumes to exactly its orders, fills and equity', async () => {
    const csvDir = await tempDir('pi5-serve-csv-');
    const csv = join(csvDir, 'NVDA-1999-2000.csv');
    await writeFile(csv, (await readFile(sharedData('NVDA-1999-2014.csv'), 'utf8')).split('\n').slice(0, 1 + REPLAY_BARS).join('\n') + '\n');
    const env = { PI5_ADMIN_PASSWORD: PASSWORD };
    // The uninterrupted run goes alongside the interrupted one: same data, same strategy, its own folder; its pace
    // (as fast as storage allows) differs from the interrupted run's, and the outcome may not.
    const wholeDir = await usedFolder();
    const uninterrupted = serve(wholeDir, env, ['--replay-data', csv, '--speed', 'max']).then(async (whole) => {
      const auth = bearer(await login(whole.url, PASSWORD));
      // Safety budget only: each step waits for a core (the whole 4,012-bar file took 216 s at load 25).
      await until('the end of the replay', async () => (await json(`${whole.url}/api/v1/session`, { headers: auth })).state === 'finished', 480_000);
      // A replay's session is called 'replay' (the demo's 'demo'); the symbol is the file name's first part.
      expect(await json(`${whole.url}/api/v1/session`, { headers: auth })).toMatchObject({ id: 'replay', steps: REPLAY_BARS, step: REPLAY_BARS });
      const positions = await json(`${whole.url}/api/v1/positions`, { headers: auth });
      expect((positions.items as { symbol: string }[]).map((p) => p.symbol)).toEqual(['NVDA']);
      expect(Number((await json(`${whole.url}/api/v1/orders`, { headers: auth })).total)).toBeGreaterThan(10);
      return runToEnd(whole, auth, wholeDir, 'replay');
    });

    // A replay that ends, so both runs have a last step to compare at (the demo's own walk never ends).
    const args = ['--step-interval', '5', '--replay-data', csv];
    const dir = await usedFolder();
    const first = await serve(dir, env, args);
    const auth = bearer(await login(first.url, PASSWORD));
    await until('some filled orders', async () => Number((await json(`${first.url}/api/v1/orders?status=filled`, { headers: auth })).total) >= 3);
    await stop(first, 'SIGKILL');

    // Same folder, same signing secret: the token from before the kill still holds.
    const second = await serve(dir, env, args);
    const session = await json(`${second.url}/api/v1/session`, { headers: auth });
    expect(Number(session.recoveredSteps)).toBeGreaterThan(30);
    const resumed = await runToEnd(second, auth, dir, 'replay');
    const expected = await uninterrupted;
    expect(resumed.orders.length).toBeGreaterThanOrEqual(3);
    expect(resumed.fills.length).toBeGreaterThanOrEqual(3);
    expect(resumed.orders).toEqual(expected.orders);
    expect(resumed.fills).toEqual(expected.fills);
    expect(resumed.portfolio).toEqual(expected.portfolio);
    expect(resumed.served).toBe(expected.orders.length);
    // Two servers at once on a shared 2-core machine: a generous bound, not a speed claim.
  }, 600_000);

  it('is killed again and again while manual submits, modifies and cancels arrive, recovers every action it accepted, each order stored once, and ends as an uninterrupted run of the same actions', async () => {
    const env = { PI5_ADMIN_PASSWORD: PASSWORD };
    const replay = await finiteReplay();
    const args = ['--step-interval', '5', '--replay-data', replay];
    const dir = await usedFolder();
    const rng = new SeededRng(Number(process.env.KILL_SEED ?? 711));
    const symbols = ['RPLA', 'RPLB', 'RPLC'];
    let inFlightAtKill = 0;
    // One sign-in for every process on the folder: its signing secret outlives each kill.
    let auth: Record<string, string> | undefined;
    // Two kills: one of a process on a folder never killed, one of a process that recovered a kill mid-request;
    // a third repeats the second case and costs another server start (~3 CPU-s).
    for (let kill = 0; kill < 2; kill++) {
      const s = await serve(dir, env, args);
      auth ??= bearer(await login(s.url, PASSWORD));
      const headers = { ...auth, 'content-type': 'application/json' };
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
      await stop(s, 'SIGKILL');
      acting = false;
      await Promise.all(clients);
    }
    expect(inFlightAtKill).toBeGreaterThan(0);
    const last = await serve(dir, env, args);
    auth ??= bearer(await login(last.url, PASSWORD));
    const st = await json(`${last.url}/api/v1/session`, { headers: auth });
    expect(st.failure).toBeNull();

    // Every journaled submit is a stored order, every stored order is served, and nothing was stored twice.
    const resumed = await runToEnd(last, auth, dir, 'replay', async (db) => {
      const journal = await db.query<{ action: SessionAction }>("select action from paper_session_actions where session_id = 'replay' order by seq");
      const manual = await db.query<{ n: number | string }>("select count(*) as n from orders where session_id = 'replay' and strategy_name is null");
      return { submits: journal.filter((a) => a.action.kind === 'submitOrder').length, manual: Number(manual[0]?.n), session: await new TradingSessionRepository(db).load('replay') };
    });
    const read = resumed.also;
    if (read === undefined) throw new Error('the stored journal was not read');
    expect(read.submits).toBeGreaterThan(0);
    expect(read.manual).toBe(read.submits);

    // And it ends exactly as an uninterrupted run of the same actions after the same steps: the journal says
    // which step each action followed (the server stepped on its own clock), so the reference is rebuilt from it
    // in process, over the same files and the stored session config, and stepped by hand.
    const session = read.session;
    if (session === null) throw new Error('the replay session is not stored');
    const source = await replaySource({ data: [replay] });
    const reference = await openSessionWith({ store: new MemorySessionStore(), config: session.config as TradingSessionConfig, series: [...(source?.series ?? [])] });
    for (const r of session.actions) {
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
    expect(resumed.served).toBe(resumed.orders.length);
    expect(new Set(resumed.orders.map((o) => o.client_order_id)).size).toBe(resumed.orders.length);
  }, 600_000);

  it('refuses a bad configuration at start with the variable named', () => {
    const r = pi5(['serve', '--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port/);
  });
});
