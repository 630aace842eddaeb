// `pi5 montecarlo` through the built CLI, on a result written by `pi5 backtest --json` and on a run stored
// by the backtest jobs in the database (--run): seeded and reproducible, shuffling keeps the trades' total,
// bad usage exits 2 with a coded message. Real processes where the process is what is tested (Ctrl-C, an exit
// status); the other runs are the built program in this process (pi5InProcess), sparing a Node start, the CLI's
// modules and, for --run, a cold embedded database per call.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BacktestJobs } from '../../../src/backtest/jobs/backtestJobs.js';
import { withDatabase } from '../../../src/persistence/session.js';
import { pi5, pi5Async, pi5InProcess } from '../../helpers/cli.js';
import { sharedData } from '../../helpers/shared.js';

const NVDA = sharedData('NVDA-1999-2014.csv');
const tmp = mkdtempSync(join(tmpdir(), 'pi5-mc-'));

/** `pi5 backtest --json` of sma-cross on NVDA (its defaults): the result the simulations read; made once. */
let backtestJson: Promise<string> | undefined;
function backtestResult(): Promise<string> {
  backtestJson ??= pi5InProcess(['backtest', '--data', NVDA, '--strategy', 'sma-cross', '--json', join(tmp, 'bt.json'), '--quiet']).then((r) => {
    expect(r.code, r.stderr).toBe(0);
    return join(tmp, 'bt.json');
  });
  return backtestJson;
}

interface McJson {
  method: string;
  simulations: number;
  steps: number;
  original: { totalReturn: number };
  totalReturn: { median: number };
  probabilityOfRuin: number;
  samples: { totalReturn: number[]; maxDrawdown: number[] };
}

describe('pi5 montecarlo', { timeout: 240_000 }, () => {
  it('simulates a backtest result JSON, the same histories from the same seed', async () => {
    const bt = await backtestResult();
    const result = JSON.parse(readFileSync(bt, 'utf8')) as { config: { cash: number }; trades: Array<{ pnl: number }> };
    const runs: McJson[] = [];
    for (const n of ['a', 'b']) {
      const out = join(tmp, `mc-${n}.json`);
      const r = await pi5InProcess(['montecarlo', '--result', bt, '--method', 'shuffle', '--simulations', '300', '--seed', '4', '--json', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Monte Carlo \(shuffle\) of .*: 300 histories of \d+ trades, seed 4/);
      expect(r.stdout).toMatch(/P\(profit\) [\d.]+ %/);
      runs.push(JSON.parse(readFileSync(out, 'utf8')) as McJson);
    }
    expect(runs[1]).toEqual(runs[0]);
    const mc = runs[0] as McJson;
    expect(mc.steps).toBe(result.trades.length);
    const total = result.trades.reduce((a, t) => a + t.pnl, 0) / result.config.cash;
    expect(mc.original.totalReturn).toBeCloseTo(total, 10);
    for (const x of mc.samples.totalReturn) expect(x).toBeCloseTo(total, 10);
    expect(new Set(mc.samples.maxDrawdown).size).toBeGreaterThan(1);
  });

  it('reads a backtest stored in the database by its id (--run)', async () => {
    const dataDir = join(tmp, 'db');
    const config = { dataDir };
    const id = await withDatabase(async (db) => {
      const jobs = new BacktestJobs({ db });
      try {
        const job = await jobs.start({ strategy: 'sma-cross', params: { fast: 5, slow: 20 }, symbols: ['AAA'], source: 'demo', demoBars: 600 }, null);
        expect((await jobs.settled(job.id)).status).toBe('done');
        return job.id;
      } finally {
        await jobs.close();
      }
    }, { config });
    const env = { ...process.env, PI5_DATA_DIR: dataDir };
    const r = await pi5InProcess(['montecarlo', '--run', String(id), '--method', 'block', '--simulations', '200', '--json', join(tmp, 'run.json')], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`of backtest ${id}: 200 histories of 599 bar returns in blocks of 8`));
    const missing = await pi5InProcess(['montecarlo', '--run', String(id + 100)], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/PI5_ERR_NOT_FOUND.*no backtest/);
  });

  it('draws bar returns from a fitted distribution (parametric) and re-runs the backtest with jittered parameters (params), both seeded', async () => {
    const bt = await backtestResult();
    const par = await pi5InProcess(['montecarlo', '--result', bt, '--method', 'parametric', '--dist', 't', '--simulations', '500', '--seed', '2']);
    expect(par.code, par.stderr).toBe(0);
    expect(par.stdout).toMatch(/Monte Carlo \(parametric\) of .*: 500 histories of \d+ bar returns drawn from a Student-t \([\d.]+ degrees of freedom\) with mean .* \(expected total return -?[\d.]+ %\)/);
    // On this thread and on a pool of two worker threads: byte for byte the same JSON and text from the same seed.
    const runs: { text: string; stdout: string }[] = [];
    for (const workers of ['1', '2']) {
      const out = join(tmp, `noise-${workers}.json`);
      const r = await pi5InProcess(['montecarlo', '--method', 'params', '--data', NVDA, '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--jitter', 'fast,slow', '--noise', '0.2', '--simulations', '12', '--seed', '3', '--workers', workers, '--json', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Monte Carlo \(params\) of sma-cross on NVDA: 12 backtests with fast=10 slow=30 jittered by ±20.00 % of their values, seed 3/);
      // Progress goes to stderr (every 10 % when it is not a terminal), ending at every backtest plus the original.
      expect(r.stderr).toContain('montecarlo: 100% (13/13)');
      runs.push({ text: readFileSync(out, 'utf8'), stdout: r.stdout });
    }
    expect(runs[1]?.text).toBe(runs[0]?.text);
    expect(runs[1]?.stdout).toBe(runs[0]?.stdout);
    const noise = JSON.parse(runs[0]?.text ?? '') as McJson & { params: Array<{ fast: number; slow: number }> };
    expect(noise.params).toHaveLength(12);
    for (const p of noise.params) {
      expect(p.fast).toBeGreaterThanOrEqual(8);
      expect(p.fast).toBeLessThanOrEqual(12);
      expect(p.slow).toBeGreaterThanOrEqual(24);
      expect(p.slow).toBeLessThanOrEqual(36);
    }
    // The original run is the backtest of the given parameters.
    const plain = JSON.parse(readFileSync(bt, 'utf8')) as { metrics: { totalReturn: number } };
    expect(noise.original.totalReturn).toBe(plain.metrics.totalReturn);
    expect(new Set(noise.samples.totalReturn).size).toBeGreaterThan(1);
  });

  it.each(['1', '2'])('params: Ctrl-C (SIGINT) stops the backtests (--workers %s), writes nothing and exits 1 (PI5_ERR_CANCELED)', async (workers) => {
    const out = join(tmp, `canceled-${workers}.json`);
    // Interrupted once the first progress line says backtests are running (100,000 of them take minutes).
    const r = await pi5Async(['montecarlo', '--method', 'params', '--data', NVDA, '--strategy', 'sma-cross', '--simulations', '100000', '--workers', workers, '--json', out], { interruptWhen: 'montecarlo: 0%' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('error [PI5_ERR_CANCELED]: montecarlo: interrupted; nothing written');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 on bad usage, naming what is wrong', async () => {
    const notResult = join(tmp, 'not.json');
    writeFileSync(notResult, JSON.stringify({ config: { cash: 1 }, trades: [{ pnl: 'x' }], equityCurve: [] }));
    const cases: Array<[string[], RegExp]> = [
      [[], /either --result/],
      [['--result', notResult], /trades\.0\.pnl/],
      [['--result', notResult, '--method', 'permute'], /--method: "permute"/],
      [['--result', notResult, '--simulations', '0'], /--simulations: 0 is below 1/],
      [['--result', join(tmp, 'absent.json')], /cannot read/],
      [['--result', notResult, '--method', 'parametric', '--dist', 'cauchy'], /--dist: "cauchy" is not one of normal, t/],
      [['--method', 'params', '--data', NVDA], /--method params: give --strategy/],
      [['--method', 'params', '--result', notResult, '--strategy', 'sma-cross'], /not from --result or --run/],
      [['--method', 'params', '--data', NVDA, '--strategy', 'sma-cross', '--jitter', 'ma'], /--jitter ma: not a numeric parameter/],
      [['--result', notResult, '--workers', '2'], /--workers, --distributed: only --method params runs backtests/],
      [['--method', 'params', '--data', NVDA, '--strategy', 'sma-cross', '--workers', '0'], /--workers: 0 is below 1/],
      // The histories are drawn before any queue is reached: bad usage is told, not the unreachable Redis.
      [['--method', 'params', '--data', NVDA, '--strategy', 'sma-cross', '--jitter', 'ma', '--distributed', '--redis', 'redis://127.0.0.1:1'], /--jitter ma: not a numeric parameter/],
    ];
    // The first as a process (its exit code), the rest run the built program in this process (pi5InProcess).
    for (const [i, [args, why]] of cases.entries()) {
      const r = i === 0 ? pi5(['montecarlo', ...args]) : await pi5InProcess(['montecarlo', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(why);
    }
  });
});
