// `pi5 data import-ticks` and `pi5 data ticks-to-bars` through the built CLI on PostgreSQL and PGlite, and
// `pi5 backtest` at a timeframe the store does not hold, built from a finer stored one. The first import of each
// flow is a real process; the other calls run the built program inside this process (pi5InProcess), which saves a
// process start (and on PGlite a cold database) per call.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, pi5InProcess, type CliRun } from '../../helpers/cli.js';
import { createTestDatabase, postgresAvailable } from '../../helpers/services.js';
import { sharedData } from '../../helpers/shared.js';

const NVDA = sharedData('NVDA-1999-2014.csv');
const tmp = mkdtempSync(join(tmpdir(), 'pi5-ticks-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function envWith(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete base.DATABASE_URL;
  return { ...base, ...env };
}

function proc(env: Record<string, string>, args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: envWith(env) });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const run = (env: Record<string, string>, args: string[]): Promise<CliRun> => pi5InProcess(args, { env: envWith(env) });

// Two trades in one µs, a quoted condition list, an offset time, an epoch-ns time, and a row of another symbol.
const TICKS = [
  'time,symbol,price,size,bid,ask,exchange,conditions',
  '2024-01-02T14:30:00.000001Z,XYZ,10.01,100,10.00,10.02,XNAS,"@,T"',
  '2024-01-02T14:30:00.000001Z,XYZ,10.03,50,,,XNAS,',
  '2024-01-02T09:30:59.999999-05:00,XYZ,10.00,25,,,ARCX,',
  '2024-01-02T14:30:00.5Z,OTHER,99,1,,,,',
  '1704205860000000000,XYZ,10.10,10,,,,',
  '2024-01-02T14:31:30.25Z,XYZ,9.95,5.5,,,,',
].join('\n');

function tickFlow(env: () => Record<string, string>): void {
  it('imports ticks (idempotently), builds 1m bars from them and exports those bars', async () => {
    const file = join(tmp, 'xyz-ticks.csv');
    writeFileSync(file, TICKS + '\n');
    const first = proc(env(), ['data', 'import-ticks', file, '--symbol', 'XYZ']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/XYZ, 5 ticks accepted, 1 rows of other symbols skipped/);
    expect(first.stdout).toMatch(/imported 5 ticks \(5 new or changed\)/);
    expect((await run(env(), ['data', 'import-ticks', file, '--symbol', 'XYZ'])).stdout).toMatch(/imported 5 ticks \(0 new or changed\)/);
    const bars = await run(env(), ['data', 'ticks-to-bars', '--symbol', 'XYZ', '--timeframe', '1m']);
    expect(bars.code, bars.stderr).toBe(0);
    expect(bars.stdout).toMatch(/stored 2 XYZ 1m bars from ticks \(2 new or changed\)/);
    const out = await run(env(), ['data', 'export', '--symbol', 'XYZ', '--timeframe', '1m']);
    // 14:30: 10.00 (14:30:59.999999 via -05:00) is last in time; 14:31: 10.10 then 9.95.
    expect(out.stdout).toBe('Date,Open,High,Low,Close,Volume\n2024-01-02 14:30:00,10.01,10.03,10.00,10.00,175\n2024-01-02 14:31:00,10.10,10.10,9.95,9.95,15.5\n');
  });

  it('a bad tick line rejects the file with its line number and imports nothing', async () => {
    const file = join(tmp, 'bad-ticks.csv');
    writeFileSync(file, 'time,price,size\n2024-01-03T10:00:00Z,1,1\n2024-01-03T10:00:01Z,abc,1\n');
    const r = await run(env(), ['data', 'import-ticks', file, '--symbol', 'BADT']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-ticks\.csv line 3: price "abc" is not a number/);
  });
}

const hasPg = await postgresAvailable();

// On TimescaleDB (TEST_DATABASE_URL at it) the NVDA import lands in ~830 weekly chunks (1m bars from the ticks are
// stored, decision 0006): 35 s of chunk creation at load 32, within the default safety budget (vitest.config.ts).
describe.skipIf(!hasPg)('ticks and coarser backtests on PostgreSQL', () => {
  let env: Record<string, string> = {};
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const t = await createTestDatabase('pi5_tick_cli');
    drop = t.drop;
    env = { DATABASE_URL: t.url };
  });
  afterAll(async () => drop?.());

  tickFlow(() => env);

  it('backtests 1w from stored 1d bars (noted on stderr), equal to the same run on the resampled CSV', async () => {
    expect((await run(env, ['data', 'import', NVDA])).code).toBe(0);
    const args = ['backtest', '--strategy', 'sma-cross', '--param', 'fast=5', '--param', 'slow=20', '--timeframe', '1w'];
    const fromCsv = join(tmp, 'w-csv.json');
    const fromStore = join(tmp, 'w-store.json');
    expect((await run(env, [...args, '--quiet', '--data', NVDA, '--json', fromCsv])).code).toBe(0);
    const r = await run(env, [...args, '--no-progress', '--symbols', 'NVDA', '--json', fromStore]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/NVDA: no 1w bars stored; built \d+ 1w bars from the stored 1d bars/);
    const a = JSON.parse(readFileSync(fromCsv, 'utf8')) as Record<string, unknown>;
    const b = JSON.parse(readFileSync(fromStore, 'utf8')) as Record<string, unknown>;
    expect(b.trades).toEqual(a.trades);
    expect(b.metrics).toEqual(a.metrics);
    const none = await run(env, ['backtest', '--strategy', 'sma-cross', '--symbols', 'NVDA', '--timeframe', '1h', '--quiet']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no 1h bars \(nor finer ones to build them from\) for NVDA/);
  });
});

describe('ticks on PGlite (PI5_DATA_DIR)', () => {
  tickFlow(() => ({ PI5_DATA_DIR: join(tmp, 'data') }));
});
