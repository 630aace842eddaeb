// `pi5 db` and `pi5 data` through the built CLI, on PostgreSQL (a test database) and on PGlite (a temp
// PI5_DATA_DIR), and a backtest from the store that must equal the same backtest from the CSV. `db migrate` and
// `db status` run as processes; the rest runs the built program in this process (pi5InProcess).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, pi5InProcess, type CliRun } from '../../helpers/cli.js';
import { createTestDatabase, postgresAvailable } from '../../helpers/services.js';
import { sharedData } from '../../helpers/shared.js';

const NVDA = sharedData('NVDA-1999-2014.csv');
const tmp = mkdtempSync(join(tmpdir(), 'pi5-store-cli-'));
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

const hasPg = await postgresAvailable();

describe.skipIf(!hasPg)('pi5 data and db on PostgreSQL', () => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const t = await createTestDatabase('pi5_cli');
    drop = t.drop;
    env = { DATABASE_URL: t.url };
  });
  afterAll(async () => drop?.());

  it('db migrate then db status lists applied and skipped migrations', () => {
    expect(proc(env, ['db', 'migrate']).stdout).toMatch(/applied migrations 1, 2, 3, 4/);
    expect(proc(env, ['db', 'migrate']).stdout).toMatch(/up to date/);
    const st = proc(env, ['db', 'status']);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(/0001\s+market_data\s+applied/);
    // TEST_DATABASE_URL may point at a TimescaleDB server (docs/storage.md): its migrations are applied there.
    expect(st.stdout).toMatch(st.stdout.includes('timescaledb available') ? /timescale_hypertable\s+applied/ : /timescale_hypertable\s+skipped\s+the timescaledb extension is not available/);
  });

  it('a bad file among good ones is rejected with its line and nothing is imported', async () => {
    const bad = join(tmp, 'BAD.csv');
    writeFileSync(bad, 'Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,1.5,100\n2020-01-03,1,0.5,0.4,1.5,100\n');
    const r = await run(env, ['data', 'import', NVDA, bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BAD\.csv.*line 3/);
    expect((await run(env, ['data', 'list', '--json'])).stdout.trim()).toBe('[]');
  });

  it('imports NVDA, and a backtest from the store equals the backtest from the CSV', async () => {
    const imp = await run(env, ['data', 'import', NVDA]);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stderr).toMatch(/NVDA 1d, 4012 rows accepted/);
    const list = JSON.parse((await run(env, ['data', 'list', '--json'])).stdout) as Array<{ symbol: string; count: number; firstTs: string }>;
    expect(list).toMatchObject([{ symbol: 'NVDA', firstTs: '1999-01-22T00:00:00.000Z' }]);
    const args = ['backtest', '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--size', '100', '--quiet'];
    const fromCsv = join(tmp, 'csv.json');
    const fromStore = join(tmp, 'store.json');
    expect((await run(env, [...args, '--data', NVDA, '--json', fromCsv])).code).toBe(0);
    const r = await run(env, [...args, '--symbols', 'NVDA', '--timeframe', '1d', '--json', fromStore]);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(readFileSync(fromCsv, 'utf8')) as Record<string, unknown>;
    const b = JSON.parse(readFileSync(fromStore, 'utf8')) as Record<string, unknown>;
    expect(b.trades).toEqual(a.trades);
    expect(b.metrics).toEqual(a.metrics);
    expect(b.equityCurve).toEqual(a.equityCurve);
    expect((a.metrics as { tradeCount: number }).tradeCount).toBe(73);
  });

  it('exports a range as CSV and resamples into the store', async () => {
    const ex = await run(env, ['data', 'export', '--symbol', 'NVDA', '--timeframe', '1d', '--from', '1999-01-25', '--to', '1999-01-27']);
    expect(ex.stdout).toBe('Date,Open,High,Low,Close,Volume\n1999-01-25,1.770833,1.833333,1.640625,1.812500,12762000\n' +
      '1999-01-26,1.833333,1.869792,1.645833,1.671875,8580000\n1999-01-27,1.677083,1.718750,1.583333,1.666667,6109200\n');
    expect((await run(env, ['data', 'resample', '--symbol', 'NVDA', '--from-timeframe', '1d', '--to-timeframe', '1w'])).stdout).toMatch(/stored \d+ NVDA 1w bars/);
    expect((await run(env, ['data', 'list'])).stdout).toMatch(/NVDA\s+1w\s+1999-01-18/);
  });
});

describe('pi5 data on PGlite (PI5_DATA_DIR)', () => {
  it('imports, lists and exports a file round trip through the embedded database', async () => {
    const env = { PI5_DATA_DIR: join(tmp, 'data') };
    const src = join(tmp, 'ABC.csv');
    writeFileSync(src, 'Date,Open,High,Low,Close,Volume\n2020-01-02,1.25,2.5,1.00,1.5,100\n2020-01-03,1.5,1.75,1.25,1.5,200\n2020-01-06,1.5,1.5,1.5,1.5,0\n');
    const r = await run(env, ['data', 'import', src]);
    expect(r.code, r.stderr).toBe(0);
    expect((await run(env, ['data', 'list'])).stdout).toMatch(/ABC\s+1d\s+2020-01-02T00:00:00.000Z\s+2020-01-06T00:00:00.000Z\s+3/);
    const out = join(tmp, 'abc-out.csv');
    expect((await run(env, ['data', 'export', '--symbol', 'ABC', '--timeframe', '1d', '--out', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('Date,Open,High,Low,Close,Volume\n2020-01-02,1.25,2.50,1.00,1.50,100\n2020-01-03,1.50,1.75,1.25,1.50,200\n2020-01-06,1.50,1.50,1.50,1.50,0\n');
  });
});
