// Crash safety at a broker, as a user runs it: `pi5 trade` (a real child process) trades a replay at the Alpaca
// fake and is killed with SIGKILL at ≥ 20 seeded points of its progress (between store, send, ack and fill, as
// they fall), restarted each time from its journal in PostgreSQL. It must end with the broker's orders, fills and
// positions equal to an uninterrupted run's, and no client order id sent to the broker twice.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SeededRng } from '../../../../src/core/rng.js';
import { generateSyntheticBars } from '../../../../src/data/synthetic.js';
import { barAt } from '../../../../src/model/barSeries.js';
import { CLI } from '../../../helpers/cli.js';
import { startFakeAlpacaTrading, TRADING_KEY, TRADING_SECRET, type FakeAlpacaTrading } from '../../../helpers/fakeAlpacaTrading.js';
import { createTestDatabase } from '../../../helpers/services.js';

const BARS = 300;
const KILL_TARGETS = 26;
let dir: string;
let csv: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pi5-crash-'));
  const s = generateSyntheticBars({ symbol: 'CRSH', seed: 7, bars: BARS, startPrice: 50 });
  const rows = ['Date,Open,High,Low,Close,Volume'];
  for (let i = 0; i < s.length; i++) {
    const b = barAt(s, i);
    rows.push(`${new Date(b.ts).toISOString().slice(0, 10)},${b.open},${b.high},${b.low},${b.close},${b.volume}`);
  }
  csv = join(dir, 'CRSH.csv');
  writeFileSync(csv, rows.join('\n') + '\n');
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

/** A started `pi5 trade`; `trading` resolves once it says it trades (its session steps from then on) or it ends. */
interface Trader {
  readonly proc: ChildProcess;
  readonly trading: Promise<void>;
  stderr(): string;
}

interface Rig {
  readonly fake: FakeAlpacaTrading;
  readonly db: pg.Client;
  start(): Trader;
  lastStep(): Promise<number>;
}

function trader(proc: ChildProcess): Trader {
  let text = '';
  const trading = new Promise<void>((resolve) => {
    proc.stderr?.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('pi5 trading: session')) resolve();
    });
    proc.once('exit', () => resolve());
  });
  return { proc, trading, stderr: () => text };
}

async function rig(name: string): Promise<Rig> {
  const fake = await startFakeAlpacaTrading({ fillMarketAt: 50 });
  const database = await createTestDatabase('pi5_crash');
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  cleanups.push(async () => {
    await db.end();
    await database.drop();
    await fake.close();
  });
  const cfg = join(dir, `${name}.yaml`);
  const strategies = '[{ id: sma, strategy: sma-cross, params: { fast: 5, slow: 15 }, symbols: [CRSH] }]';
  writeFileSync(cfg, `broker:\n  venue: alpaca\n  alpaca:\n    baseUrl: ${fake.baseUrl}\nsession:\n  id: crash\n  stepIntervalMs: 0\n  size: '10'\n  commission: none\n  slippage: none\n  strategies: ${strategies}\n`);
  const env = { ...process.env, NO_COLOR: '1', DATABASE_URL: database.url, PI5_BACKUP_SCHEDULE: 'off', APCA_API_KEY_ID: TRADING_KEY, APCA_API_SECRET_KEY: TRADING_SECRET, APCA_API_BASE_URL: '' };
  return {
    fake,
    db,
    start: () => trader(spawn(process.execPath, [CLI, 'trade', '--config', cfg, '--replay-data', csv], { env, stdio: ['ignore', 'ignore', 'pipe'] })),
    lastStep: async () => {
      const r = await db.query<{ last_step: string }>("select last_step from paper_sessions where id = 'crash'").catch(() => ({ rows: [] }));
      return r.rows.length === 0 ? -1 : Number(r.rows[0]?.last_step);
    },
  };
}

const exited = (c: ChildProcess): Promise<void> => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the child until the replay is done, killing it with SIGKILL when progress passes each target. Progress is
 * polled only once the child trades (nothing steps while it starts), every 5 ms near the next target and less
 * often while that is many steps away at the pace last seen, so a kill lands as close to its target as before.
 */
async function run(r: Rig, targets: number[]): Promise<number> {
  let kills = 0;
  let child = r.start();
  await child.trading;
  const deadline = Date.now() + 600_000;
  let seen = { step: -1, at: 0 };
  let stepsPerMs = 0;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`no progress: last step ${await r.lastStep()}`);
    const step = await r.lastStep();
    const at = performance.now();
    if (seen.step >= 0 && step > seen.step) stepsPerMs = (step - seen.step) / Math.max(1, at - seen.at);
    seen = { step, at };
    if (step >= BARS - 1) break;
    if (targets.length > 0 && step >= (targets[0] as number)) {
      while (targets.length > 0 && step >= (targets[0] as number)) targets.shift();
      child.proc.kill('SIGKILL');
      await exited(child.proc);
      kills++;
      child = r.start();
      await child.trading;
      seen = { step: -1, at: 0 };
      continue;
    } else if (child.proc.exitCode !== null) {
      throw new Error(`pi5 trade exited with ${child.proc.exitCode}: ${child.stderr()}`);
    }
    const ahead = (targets[0] ?? BARS - 1) - step;
    await pause(stepsPerMs > 0 ? Math.min(100, Math.max(5, ahead / stepsPerMs / 2)) : 5);
  }
  child.proc.kill('SIGTERM');
  await exited(child.proc);
  return kills;
}

function brokerState(fake: FakeAlpacaTrading) {
  return {
    orders: fake.matcher.orders.map((o) => [o.clientOrderId, o.side, o.qty, o.filled, o.status]).sort(),
    positions: fake.matcher.positions().map((p) => [p.symbol, p.qty]),
  };
}

it('killed with SIGKILL at ≥ 20 seeded points and restarted, ends as an uninterrupted run with no client id sent twice', async () => {
  const straight = await rig('straight');
  expect(await run(straight, [])).toBe(0);
  const expected = brokerState(straight.fake);
  expect(expected.orders.length).toBeGreaterThan(4);

  const crashed = await rig('crashed');
  const rng = new SeededRng(2026);
  const targets = [...new Set(Array.from({ length: KILL_TARGETS }, () => Math.floor(rng.next() * (BARS - 10))))].sort((a, b) => a - b);
  const kills = await run(crashed, targets);
  expect(kills).toBeGreaterThanOrEqual(20);
  expect(brokerState(crashed.fake)).toEqual(expected);
  expect(new Set(crashed.fake.posted).size).toBe(crashed.fake.posted.length);
}, 900_000);
