// storage.ingest, storage.reimport and storage.read (rows/s) on PostgreSQL with 1M generated 1m bars: the bar
// store's COPY paths against the obvious baselines (multi-row parameterized INSERT; SELECT * into row objects);
// and backtest.fromStore: a backtest reading its bars from the store against the same run from memory.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { generateSyntheticBars } from '../src/data/synthetic.js';
import { BarStore } from '../src/persistence/barStore.js';
import { migrate } from '../src/persistence/migrations/index.js';
import { openDatabase } from '../src/persistence/openDatabase.js';
import type { Database } from '../src/persistence/database.js';
import type { BarSeries } from '../src/model/barSeries.js';
import { replayBacktest } from '../src/engine/backtestRunner.js';
import { smaCross } from '../src/strategy/builtin/smaCross.js';
import { cost, rate, type BenchRecord } from './measure.js';
import { parseSize } from '../src/engine/specs.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = 1_000_000;

/** One statement on its own connection (creating and dropping the bench's databases). */
export async function pgExec(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const admin = (sql: string): Promise<void> => pgExec(ADMIN_URL, sql);

/** Baseline ingest: 1000-row parameterized INSERTs in one transaction into a copy of the bars table. */
export async function insertBaseline(db: Database, s: BarSeries): Promise<void> {
  await db.exec('create table bars_baseline (like bars including all)');
  await db.transaction(async (tx) => {
    for (let start = 0; start < s.length; start += 1000) {
      const end = Math.min(s.length, start + 1000);
      const values: string[] = [];
      const params: unknown[] = [];
      for (let i = start; i < end; i++) {
        const p = params.length;
        values.push(`($${p + 1}, '1m', to_timestamp($${p + 2}::float8 / 1000), $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7})`);
        params.push(s.symbol, s.ts[i], s.open[i], s.high[i], s.low[i], s.close[i], s.volume[i]);
      }
      await tx.query(`insert into bars_baseline (symbol, timeframe, ts, open, high, low, close, volume) values ${values.join(',')}`, params);
    }
  });
}

export async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

export async function benchStorage(): Promise<BenchRecord[]> {
  const name = `pi5_bench_${randomBytes(4).toString('hex')}`;
  try {
    await admin(`create database ${name}`);
  } catch (e) {
    process.stderr.write(`storage bench skipped: PostgreSQL not reachable at ${ADMIN_URL} (${(e as Error).message})\n`);
    return [];
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString() });
  try {
    await migrate(db);
    const series = generateSyntheticBars({ symbol: 'BENCH', bars: ROWS, seed: 42, timeframe: '1m' });
    const store = new BarStore(db);
    const ingest = await seconds(() => store.ingest([series]));
    // The same rows again: every one goes through the staging table and the conflict check.
    const reimport = await seconds(() => store.ingest([series]));
    const ingestBase = await seconds(() => insertBaseline(db, series));
    const read = await seconds(() => store.read({ symbols: ['BENCH'], timeframe: '1m' }));
    const readBase = await seconds(() => db.query(`select * from bars_baseline where symbol = 'BENCH' and timeframe = '1m' order by ts`));
    const backtest = (s: BarSeries): void => {
      replayBacktest({ series: [s], strategy: smaCross, params: { fast: 10, slow: 30 }, size: parseSize('100'), cash: 1e9 });
    };
    backtest(series);
    const fromMemory = await seconds(async () => backtest(series));
    const fromStore = await seconds(async () => {
      for (const s of await store.read({ symbols: ['BENCH'], timeframe: '1m' })) backtest(s);
    });
    const note = 'PostgreSQL 1M 1m bars; baseline:';
    return [
      rate('storage.ingest', ROWS / ingest, ROWS / ingestBase, 'rows/s', `${note} 1000-row parameterized INSERTs`),
      rate('storage.reimport', ROWS / reimport, ROWS / ingestBase, 'rows/s', `${note} 1000-row parameterized INSERTs (into an empty table)`),
      rate('storage.read', ROWS / read, ROWS / readBase, 'rows/s', `${note} SELECT * into row objects`),
      cost('backtest.fromStore', fromStore, fromMemory, 's', 'SMA 10/30 replay of 1M bars read from PostgreSQL; baseline: the same replay from memory (issue 3 target: ratio ≥ 0.5, within 2×)'),
    ];
  } finally {
    await db.close();
    await admin(`drop database if exists ${name} with (force)`);
  }
}
