// `pi5 data import` and `pi5 data export` against PostgreSQL (DATABASE_URL), each a whole process on 1M generated
// 1m bars, beside what psql's own \copy does with the same rows in the same run: the import against a text COPY of
// the CSV into a six-column table keyed by time (the server parses the text), the export against a \copy of the
// same bars to a CSV file. Wall and CPU seconds, peak RSS and the load go in the note (docs/benchmarks.md).

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSyntheticBars, writeBarsCsv } from '../src/data/synthetic.js';
import { cost, describeRun, loadNow, wholeProcess, type BenchRecord } from './measure.js';
import { pgExec as sql } from './storage.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = 1_000_000;

export async function benchPostgresCli(cliPath: string): Promise<BenchRecord[]> {
  const name = `pi5_bench_cli_${randomBytes(4).toString('hex')}`;
  try {
    await sql(ADMIN_URL, `create database ${name}`);
  } catch (e) {
    process.stderr.write(`PostgreSQL CLI bench skipped: PostgreSQL not reachable at ${ADMIN_URL} (${(e as Error).message})\n`);
    return [];
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const dir = mkdtempSync(join(tmpdir(), 'pi5-bench-pgcli-'));
  try {
    const csv = join(dir, 'SYN-1m.csv');
    writeFileSync(csv, writeBarsCsv(generateSyntheticBars({ symbol: 'SYN', bars: ROWS, seed: 42, timeframe: '1m' })));
    const cli = resolve(cliPath);
    const env = { ...process.env, DATABASE_URL: dbUrl };
    const psql = (command: string): string[] => ['psql', '-q', '-X', '-d', dbUrl, '-c', command];
    // Migrations once, so every import run measures the same work (an empty bars table).
    wholeProcess([process.execPath, cli, 'db', 'migrate'], env, 1);
    await sql(dbUrl, 'create table bench_plain (ts timestamp primary key, open float8, high float8, low float8, close float8, volume float8)');
    const load = loadNow();
    const imp = wholeProcess([process.execPath, cli, 'data', 'import', csv], env, 3, () => void wholeProcess(psql('truncate bars'), env, 1));
    const impBase = wholeProcess(psql(`\\copy bench_plain from '${csv}' csv header`), env, 3, () => void wholeProcess(psql('truncate bench_plain'), env, 1));
    const out = join(dir, 'out.csv');
    const exp = wholeProcess([process.execPath, cli, 'data', 'export', '--symbol', 'SYN', '--timeframe', '1m', '--out', out], env, 3);
    const expBase = wholeProcess(psql(`\\copy (select ts, open, high, low, close, volume from bars where symbol = 'SYN' and timeframe = '1m' order by ts) to '${out}' csv header`), env, 3);
    // Memory flat: a tenth of the bars exported peaks at about the same RSS.
    const tenth = wholeProcess([process.execPath, cli, 'data', 'export', '--symbol', 'SYN', '--timeframe', '1m', '--to', '2020-03-10', '--out', out], env, 1);
    const note = `load ${load}-${loadNow()}`;
    return [
      {
        ...cost('store.pg.import.1M', imp.seconds, impBase.seconds, 's', `${describeRun(imp)}, ${(ROWS / imp.seconds / 1000).toFixed(0)}k rows/s; baseline: psql \\copy of the CSV into a six-column table keyed by ts (${describeRun(impBase)}); median of 3; ${note}`),
        command: 'DATABASE_URL=postgres://… pi5 data import SYN-1m.csv  (empty bars table, 1,000,000 1m bars)',
      },
      {
        ...cost('store.pg.export.1M', exp.seconds, expBase.seconds, 's', `${describeRun(exp)} (~100k bars: ${tenth.peakMiB.toFixed(0)} MiB peak); baseline: psql \\copy of the same bars to CSV (${describeRun(expBase)}); median of 3; ${note}`),
        command: 'DATABASE_URL=postgres://… pi5 data export --symbol SYN --timeframe 1m --out out.csv  (1,000,000 bars)',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sql(ADMIN_URL, `drop database if exists ${name} with (force)`);
  }
}
