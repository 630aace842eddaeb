// `pi5 optimize --distributed` with `pi5 worker` child processes on the real Redis: the same table as a local
// run; a worker killed (SIGKILL) while it holds a trial, and a coordinator killed mid-run and started again,
// still give every trial exactly once; `pi5 montecarlo --method params --distributed` writes the local JSON.
// No step waits on the clock: a gate in the test strategy holds one trial until the test opens it, so
// "mid-run" is a state the test sees, not a moment it guesses. The workers are real `pi5 worker` processes, and
// so is the coordinator that is killed; the other coordinator and local runs are the built program run in this
// process (pi5InProcess): what they check is the table, and each process start costs ~0.5 CPU-s.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, pi5, pi5InProcess, type CliRun } from '../../helpers/cli.js';
import { redisAvailable, TEST_REDIS_URL } from '../../helpers/services.js';
import { sharedData } from '../../helpers/shared.js';

const hasRedis = await redisAvailable();
const tmp = mkdtempSync(join(tmpdir(), 'pi5-dist-'));
const GATED_PERIOD = 20;

// A price/average crossover whose trial with period 20 stops at a gate when PI5_TEST_GATE names a folder: it
// says which process holds it (reached-<pid>) and waits for the file `open` (polled: a worker thread may block).
const STRATEGY = `
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineStrategy, SMA, crossedAbove, crossedBelow } from 'pi5-trading/strategy';

function gate(period: number): void {
  const dir = process.env.PI5_TEST_GATE;
  if (dir === undefined || period !== ${GATED_PERIOD}) return;
  writeFileSync(join(dir, 'reached-' + process.pid), '');
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(join(dir, 'open'))) Atomics.wait(nap, 0, 0, 20);
}

export default defineStrategy({
  id: 'gated-cross',
  name: 'Gated crossover',
  description: 'price crossing its moving average; one period waits at a gate in tests',
  params: { period: { type: 'int', default: 20, min: 2, max: 500, description: 'average period' } },
  create(p) {
    gate(p.period);
    const sma = new SMA(p.period);
    let prevClose = NaN;
    let prevAvg = NaN;
    return {
      onBar(bar, ctx) {
        const avg = sma.update(bar.close);
        if (crossedAbove(prevClose, prevAvg, bar.close, avg)) ctx.buy(bar.symbol);
        else if (crossedBelow(prevClose, prevAvg, bar.close, avg) && ctx.position(bar.symbol) > 0) ctx.close(bar.symbol);
        prevClose = bar.close;
        prevAvg = avg;
      },
    };
  },
});
`;
const strategyFile = join(tmp, 'gated.mts');
writeFileSync(strategyFile, STRATEGY);
const SEARCH = ['--data', sharedData('NVDA-1999-2014.csv'), '--strategy', strategyFile, '--grid', 'period=5:40', '--objective', 'sharpe', '--no-progress'];
const TRIALS = 36;
const MC = ['montecarlo', '--method', 'params', '--data', sharedData('NVDA-1999-2014.csv'), '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--noise', '0.2', '--simulations', '12', '--seed', '3', '--no-progress'];

interface OptJson {
  best: unknown;
  diagnostics: { pbo: { trials: number } | null } | null;
  trials: { id: number; params: { period: number } }[];
}
const readJson = (path: string): OptJson => JSON.parse(readFileSync(path, 'utf8')) as OptJson;

const local = await (async (): Promise<OptJson | null> => {
  if (!hasRedis) return null;
  const out = join(tmp, 'local.json');
  const r = await pi5InProcess(['optimize', ...SEARCH, '--json', out, '--quiet']);
  if (r.code !== 0) throw new Error(`local run failed: ${r.stderr}`);
  return readJson(out);
})();

// The diagnostics' replays are jobs too: one per trial in the PBO sample (the best's returns included).
const REPLAYS = local?.diagnostics?.pbo?.trials ?? 0;

interface Proc {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}
const started: Proc[] = [];
const prefixes: string[] = [];

function start(args: readonly string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((done) => child.on('close', (code) => done({ code, stderr })));
  const p = { child, exited };
  started.push(p);
  return p;
}

function freshPrefix(): string {
  const p = `pi5t-${randomBytes(4).toString('hex')}`;
  prefixes.push(p);
  return p;
}

const worker = (prefix: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Proc => start(['worker', '--redis', TEST_REDIS_URL, '--queue-prefix', prefix, ...extra], env);
const distributed = (prefix: string): string[] => ['--distributed', '--redis', TEST_REDIS_URL, '--queue-prefix', prefix];
/** A coordinator as a process of its own: for the test that kills it. */
const coordinator = (prefix: string, out: string): Proc => start(['optimize', ...SEARCH, ...distributed(prefix), '--json', out]);
/** A coordinator run to its end in this process. */
const coordinate = (prefix: string, out: string, search: readonly string[] = SEARCH): Promise<CliRun> => pi5InProcess(['optimize', ...search, ...distributed(prefix), '--json', out]);

/** Waits for a state of the world, checking every 50 ms; the budget only bounds a hung run. */
async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, budgetMs = 180_000): Promise<T> {
  for (let waited = 0; waited < budgetMs; waited += 50) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The gate's folder, and which process reached it. */
function gateDir(): { dir: string; holder: () => number | undefined; open: () => void } {
  const dir = mkdtempSync(join(tmp, 'gate-'));
  return {
    dir,
    holder: () => {
      const f = readdirSync(dir).find((n) => n.startsWith('reached-'));
      return f === undefined ? undefined : Number(f.slice('reached-'.length));
    },
    open: () => writeFileSync(join(dir, 'open'), ''),
  };
}

/** What Redis holds for a prefix: stored results and the queue's job counts. */
async function stored(prefix: string): Promise<{ results: number; returns: number; completed: number; failed: number; stalledJobs: number }> {
  const redis = new Redis(TEST_REDIS_URL);
  const queue = new Queue('trials', { connection: { url: TEST_REDIS_URL }, prefix });
  try {
    const resultKeys = await redis.keys(`${prefix}:results:*`);
    const results = resultKeys.length === 0 ? 0 : await redis.hlen(resultKeys[0] as string);
    const returnKeys = await redis.keys(`${prefix}:returns:*`);
    const returns = returnKeys.length === 0 ? 0 : await redis.hlen(returnKeys[0] as string);
    const counts = await queue.getJobCounts('completed', 'failed');
    const jobs = await queue.getJobs(['completed']);
    return { results, returns, completed: counts.completed ?? 0, failed: counts.failed ?? 0, stalledJobs: jobs.filter((j) => j.stalledCounter > 0).length };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

/**
 * One pair of workers (one of them on two threads) serves the runs that need no gate and no kill: each such test
 * first clears what earlier runs left on the queue (results, returns, finished jobs), as a fleet of workers serves
 * run after run. A worker process costs ~3 CPU-s to start (its modules, the strategy's loader, its threads).
 * `sent` counts the trials the tests sent to it, which the pair's own count must equal when it stops.
 */
let pair: { prefix: string; workers: Proc[]; sent: number } | undefined;
async function sharedPair(): Promise<{ prefix: string; workers: Proc[]; sent: number }> {
  if (pair === undefined) {
    const prefix = freshPrefix();
    pair = { prefix, workers: [worker(prefix), worker(prefix, ['--concurrency', '2'])], sent: 0 };
  }
  const redis = new Redis(TEST_REDIS_URL);
  const queue = new Queue('trials', { connection: { url: TEST_REDIS_URL }, prefix: pair.prefix });
  try {
    const keys = [...(await redis.keys(`${pair.prefix}:results:*`)), ...(await redis.keys(`${pair.prefix}:returns:*`))];
    if (keys.length > 0) await redis.del(...keys);
    for (const state of ['completed', 'failed'] as const) await queue.clean(0, 1_000_000, state);
  } finally {
    await queue.close();
    redis.disconnect();
  }
  return pair;
}

async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await p.exited;
}

afterAll(async () => {
  await Promise.all(started.map(stop));
  if (!hasRedis) return;
  const redis = new Redis(TEST_REDIS_URL);
  for (const p of prefixes) {
    const ks = await redis.keys(`${p}:*`);
    if (ks.length > 0) await redis.del(...ks);
  }
  redis.disconnect();
});

function expectSameTable(out: string): void {
  const dist = readJson(out);
  expect(dist.trials.map((t) => t.id)).toEqual(Array.from({ length: TRIALS }, (_, i) => i));
  expect(dist.trials).toEqual(local?.trials);
  expect(dist.best).toEqual(local?.best);
  // The diagnostics' replays ran on the workers: the same returns, so the same DSR, PBO and verdict.
  expect(dist.diagnostics).toEqual(local?.diagnostics);
}

describe.skipIf(!hasRedis)('pi5 optimize and pi5 montecarlo --distributed with pi5 worker processes', { timeout: 300_000 }, () => {
  it('two workers give the same table (every trial, params and metrics) as the local run', async () => {
    expect(local?.trials).toHaveLength(TRIALS);
    const shared = await sharedPair();
    const prefix = shared.prefix;
    const out = join(tmp, 'two.json');
    const run = await coordinate(prefix, out);
    expect(run.code, run.stderr).toBe(0);
    expect(REPLAYS).toBeGreaterThan(2);
    expect(run.stderr).toContain(`distributed: 0 trial(s) reused from an earlier run, ${TRIALS} sent to workers, ${REPLAYS} diagnostics replay(s) sent`);
    expectSameTable(out);
    expect(await stored(prefix)).toMatchObject({ results: TRIALS, returns: REPLAYS, completed: TRIALS + REPLAYS, failed: 0 });
    // Results gone while their finished jobs remain (expired, deleted): a new run replaces the jobs and runs them again.
    const redis = new Redis(TEST_REDIS_URL);
    await redis.del(...(await redis.keys(`${prefix}:results:*`)));
    redis.disconnect();
    const again = await coordinate(prefix, join(tmp, 'again.json'));
    expect(again.code, again.stderr).toBe(0);
    // The returns stayed stored: the replays are read, not sent again.
    expect(again.stderr).toContain(`distributed: 0 trial(s) reused from an earlier run, ${TRIALS} sent to workers, 0 diagnostics replay(s) sent`);
    expectSameTable(join(tmp, 'again.json'));
    // Every trial ran twice on the workers (counted by them when they stop, in the last test of the pair).
    shared.sent += 2 * TRIALS;
  });

  it('a walk-forward analysis on two workers gives the windows, choices and out-of-sample equity of the local run', async () => {
    // A grid of 12 periods in each window is enough to compare the choices; the size of the search is not tested here.
    const search = [...SEARCH.slice(0, SEARCH.indexOf('--grid')), '--grid', 'period=5:16', ...SEARCH.slice(SEARCH.indexOf('--grid') + 2), '--walk-forward', 'is=4y,oos=3y'];
    const localOut = join(tmp, 'wf-local.json');
    const alone = await pi5InProcess(['optimize', ...search, '--json', localOut, '--quiet']);
    expect(alone.code, alone.stderr).toBe(0);
    const shared = await sharedPair();
    const prefix = shared.prefix;
    const out = join(tmp, 'wf-dist.json');
    const run = await coordinate(prefix, out, search);
    expect(run.code, run.stderr).toBe(0);
    const doc = (path: string): { walkForward: { windows: unknown[] } } => JSON.parse(readFileSync(path, 'utf8')) as { walkForward: { windows: unknown[] } };
    const want = doc(localOut).walkForward;
    expect(want.windows.length).toBeGreaterThan(2);
    expect(doc(out).walkForward).toEqual(want);
    // Every window's trials went to the workers, each window's results under their own fields.
    expect(run.stderr).toContain(`0 trial(s) reused from an earlier run, ${12 * want.windows.length} sent to workers`);
    expect((await stored(prefix)).results).toBe(12 * want.windows.length);
    shared.sent += 12 * want.windows.length;
  });

  it('two workers give the Monte Carlo JSON of the local run byte for byte; a second run reads every backtest back', async () => {
    const localOut = join(tmp, 'mc-local.json');
    const alone = await pi5InProcess([...MC, '--json', localOut, '--quiet']);
    expect(alone.code, alone.stderr).toBe(0);
    const want = readFileSync(localOut, 'utf8');
    // Draws may repeat a parameter set: each distinct one is one stored result, however often it was drawn.
    const doc = JSON.parse(want) as { original: { params: unknown }; params: unknown[] };
    const distinct = new Set([doc.original.params, ...doc.params].map((p) => JSON.stringify(p))).size;
    const shared = await sharedPair();
    const prefix = shared.prefix;
    const run = (out: string): Promise<CliRun> => pi5InProcess([...MC, ...distributed(prefix), '--json', out]);
    const first = await run(join(tmp, 'mc-dist.json'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('distributed: 0 trial(s) reused from an earlier run, 13 sent to workers');
    expect(readFileSync(join(tmp, 'mc-dist.json'), 'utf8')).toBe(want);
    expect(await stored(prefix)).toMatchObject({ results: distinct, completed: distinct, failed: 0 });
    const again = await run(join(tmp, 'mc-again.json'));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('distributed: 13 trial(s) reused from an earlier run, 0 sent to workers');
    expect(readFileSync(join(tmp, 'mc-again.json'), 'utf8')).toBe(want);
    shared.sent += distinct;
  });

  it('the pair of workers ran each trial sent to it exactly once, by its own count', async () => {
    if (pair === undefined) return; // none of the tests above ran (a filtered run)
    await Promise.all(pair.workers.map(stop));
    const told = await Promise.all(pair.workers.map((w) => w.exited));
    const ran = told.map((t) => Number(/ran (\d+) trial/.exec(t.stderr)?.[1]));
    expect(ran.reduce((a, b) => a + b, 0)).toBe(pair.sent);
  });

  it('a worker killed while it holds a trial: the trial goes to the other worker, every trial completes once', async () => {
    const prefix = freshPrefix();
    const gate = gateDir();
    // A short lock, so the killed worker's trial is handed on soon; the surviving worker renews its own.
    const workers = [worker(prefix, ['--lock', '2'], { PI5_TEST_GATE: gate.dir }), worker(prefix, ['--lock', '2'], { PI5_TEST_GATE: gate.dir })];
    const out = join(tmp, 'kill.json');
    const run = coordinate(prefix, out);
    const holder = await until('a worker at the gate', gate.holder);
    const victim = workers.find((w) => w.child.pid === holder);
    expect(victim, `the gate holder ${holder} is one of the workers`).toBeDefined();
    victim?.child.kill('SIGKILL');
    await victim?.exited;
    gate.open();
    const done = await run;
    expect(done.code, done.stderr).toBe(0);
    expectSameTable(out);
    const s = await stored(prefix);
    expect(s).toMatchObject({ results: TRIALS, returns: REPLAYS, completed: TRIALS + REPLAYS, failed: 0 });
    // The gated trial was taken back from the dead worker by the stalled-job check, not lost.
    expect(s.stalledJobs).toBeGreaterThanOrEqual(1);
  });

  it('a coordinator killed mid-run and started again reuses the finished trials and completes each once', async () => {
    const prefix = freshPrefix();
    const gate = gateDir();
    worker(prefix, [], { PI5_TEST_GATE: gate.dir });
    const out = join(tmp, 'resume.json');
    const first = coordinator(prefix, out);
    await until('the worker at the gate', gate.holder);
    first.child.kill('SIGKILL');
    await first.exited;
    // One worker takes the trials in queue order: the periods below the gate's are stored, the rest are not.
    const before = (await stored(prefix)).results;
    expect(before).toBe(GATED_PERIOD - 5);
    gate.open();
    const second = await coordinate(prefix, out);
    expect(second.code, second.stderr).toBe(0);
    const m = /distributed: (\d+) trial\(s\) reused from an earlier run, (\d+) sent to workers/.exec(second.stderr);
    expect(m, second.stderr).not.toBeNull();
    const [reused, sent] = [Number(m?.[1]), Number(m?.[2])];
    expect(reused).toBeGreaterThanOrEqual(before);
    expect(reused + sent).toBe(TRIALS);
    expectSameTable(out);
    expect(await stored(prefix)).toMatchObject({ results: TRIALS, returns: REPLAYS, completed: TRIALS + REPLAYS, failed: 0 });
    expect(existsSync(out)).toBe(true);
  });
});

describe('pi5 optimize --distributed without Redis', () => {
  it('fails with a coded error naming the unreachable Redis, without its password', () => {
    // A built-in strategy: the error is the queue's, and a TypeScript strategy would be compiled first for nothing.
    const r = pi5(['optimize', '--data', sharedData('NVDA-1999-2014.csv'), '--strategy', 'sma-cross', '--grid', 'fast=5:10', '--distributed', '--redis', 'redis://pi5:s3cret@127.0.0.1:1', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PI5_ERR_QUEUE.*Redis at redis:\/\/pi5:\*\*\*@127\.0\.0\.1:1 is not reachable/);
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --workers with --distributed', async () => {
    const w = await pi5InProcess(['optimize', ...SEARCH, '--distributed', '--workers', '2']);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--workers: with --distributed the trials run on `pi5 worker` processes/);
  });
});
