// The real TimescaleDB path: runs against PI5_TEST_TIMESCALE_URL (a server with the extension preloaded), else
// against the test PostgreSQL when it has the extension. Elsewhere (the plain PostgreSQL of most machines and CI)
// each test is skipped with a note that the summary reporter lists by name, even under CI=true:
// a missing optional extension is not a failure (docs/storage.md, "Testing the TimescaleDB path").

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, TEST_DATABASE_URL } from '../../helpers/services.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { migrate, status } from '../../../src/persistence/migrations/index.js';
import type { Database } from '../../../src/persistence/database.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { resampledSeries } from '../../../src/persistence/barResample.js';
import { CAGG_TIMEFRAMES } from '../../../src/persistence/barCagg.js';
import { readRunBars } from '../../../src/persistence/runBars.js';
import { readRetention, readTickRetention, setRetention, setTickRetention } from '../../../src/persistence/barRetention.js';
import { columns } from './storeSuite.js';

const SERVER = process.env.PI5_TEST_TIMESCALE_URL ?? TEST_DATABASE_URL;
let hasTimescale = false;
if (process.env.PI5_TEST_TIMESCALE_URL !== undefined || (await postgresAvailable())) {
  // A URL given for TimescaleDB that does not answer fails here, loudly, rather than skipping.
  const probe = await openDatabase({ databaseUrl: SERVER });
  hasTimescale = probe.hasTimescale;
  await probe.close();
}
const SKIP_NOTE = 'the timescaledb extension is not usable on the test PostgreSQL; set PI5_TEST_TIMESCALE_URL (docs/storage.md)';
if (process.env.PI5_TEST_TIMESCALE_URL !== undefined && !hasTimescale) throw new Error(`PI5_TEST_TIMESCALE_URL=${process.env.PI5_TEST_TIMESCALE_URL}: TimescaleDB is not usable there (not installed, not preloaded, or the Apache build)`);
if (!hasTimescale) {
  process.stderr.write(`\n*** SKIPPING TimescaleDB tests: ${SKIP_NOTE} ***\n\n`);
}

describe('TimescaleDB features', () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeEach((ctx) => ctx.skip(!hasTimescale, SKIP_NOTE));
  beforeAll(async () => {
    if (!hasTimescale) return;
    const t = await createTestDatabase('pi5_tsdb', SERVER);
    drop = t.drop;
    db = await openDatabase({ databaseUrl: t.url });
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('applies hypertable, compression, retention job and continuous aggregates', async () => {
    await migrate(db);
    expect((await status(db)).every((s) => s.state === 'applied')).toBe(true);
    // The scheduler runs the new jobs at once (retention would delete the old 1m bars these tests import
    // while they run): paused here, and each test runs the job it is about by hand.
    await db.exec(`select alter_job(job_id, scheduled => false) from timescaledb_information.jobs
      where hypertable_name in ('bars', 'ticks') or proc_name like 'pi5_%' or hypertable_name like '_materialized%'`);
    const ht = await db.query<{ hypertable_name: string }>(`select hypertable_name from timescaledb_information.hypertables order by 1`);
    expect(ht.map((h) => h.hypertable_name)).toEqual(['bars', 'ticks']);
    const caggs = await db.query<{ view_name: string }>('select view_name from timescaledb_information.continuous_aggregates order by 1');
    expect(caggs.map((c) => c.view_name)).toEqual(['bars_cagg_15m', 'bars_cagg_1d', 'bars_cagg_1h', 'bars_cagg_5m']);
  });

  it('creates the hypertables with by_range on 2.13+ (same dimension either way)', async () => {
    const dims = await db.query<{ hypertable_name: string; column_name: string }>(
      // The continuous aggregates' own materialization hypertables are listed there too.
      `select hypertable_name, column_name from timescaledb_information.dimensions where hypertable_schema = 'public' order by 1`,
    );
    expect(dims).toEqual([{ hypertable_name: 'bars', column_name: 'ts' }, { hypertable_name: 'ticks', column_name: 'ts' }]);
  });

  it('sizes bar chunks by the finest timeframe: a year for daily bars, a week once minute bars arrive', async () => {
    const interval = async (): Promise<number> => {
      const [r] = await db.query<{ d: number }>(
        `select extract(day from time_interval)::int as d from timescaledb_information.dimensions where hypertable_name = 'bars' and column_name = 'ts'`,
      );
      return r?.d ?? 0;
    };
    const store = new BarStore(db);
    await store.ingest([generateSyntheticBars({ symbol: 'TSD', bars: 50, seed: 1 })]);
    expect(await interval()).toBe(365);
    await store.ingest([generateSyntheticBars({ symbol: 'TSM', bars: 50, seed: 2, timeframe: '1m' })]);
    expect(await interval()).toBe(7);
  });

  it('reads coarser bars from the continuous aggregates after a 1m import, equal to the resample path', async () => {
    const store = new BarStore(db);
    const minutes = generateSyntheticBars({ symbol: 'CAGG', bars: 3000, seed: 5, timeframe: '1m', start: Date.UTC(2021, 0, 4, 14, 30) });
    await store.ingest([minutes]);
    for (const tf of CAGG_TIMEFRAMES) {
      const [fromCagg] = await store.read({ symbols: ['CAGG'], timeframe: tf });
      const resampled = await resampledSeries(db, 'CAGG', '1m', tf);
      expect(fromCagg?.length).toBeGreaterThan(0);
      expect(columns(fromCagg!)).toEqual(columns(resampled));
    }
    // What the bars API looks up before reading: the symbol is found at 1h, and the 3rd 1h bar is the aggregate's.
    expect(await store.storedSymbol(['cagg', 'CAGG'], '1h')).toBe('CAGG');
    const hours = await resampledSeries(db, 'CAGG', '1m', '1h');
    expect(await store.nthTime('CAGG', '1h', null, null, 3, true)).toBe(hours.ts[2]);
    // A store backtest (and the API's backtest jobs) at 1h read the aggregate too, and say so.
    const notes: string[] = [];
    const [run] = await readRunBars(db, store, { symbols: ['CAGG'], timeframe: '1h', hint: '', onNote: (n) => notes.push(n) });
    expect(columns(run!)).toEqual(columns(hours));
    expect(notes).toEqual([`CAGG: no 1h bars stored; read ${hours.length} 1h bars from the continuous aggregate bars_cagg_1h of the stored 1m bars`]);
  });

  it('re-imports into compressed chunks: only changed chunks decompressed for the write and compressed again, every bar read back', async () => {
    const store = new BarStore(db);
    // 2000 minutes a day apart from 2020-06-01: over 40 weekly chunks.
    const series = (): ReturnType<typeof generateSyntheticBars> => {
      const s = generateSyntheticBars({ symbol: 'CMP', bars: 2000, seed: 6, timeframe: '1m', start: Date.UTC(2020, 5, 1, 14, 30) });
      for (let i = 0; i < s.length; i++) s.ts[i] = Date.UTC(2020, 5, 1, 14, 30) + Math.floor(i / 7) * 86_400_000 + (i % 7) * 60_000;
      return s;
    };
    await store.ingest([series()]);
    await db.exec(`select compress_chunk(c, true) from show_chunks('bars') c`);
    // The compressed relation behind each chunk: a new one whenever a chunk is decompressed and compressed again.
    const compressedIds = async (): Promise<Map<string, number | null>> => new Map(
      (await db.query<{ name: string; id: number | null }>(
        `select c.table_name as name, c.compressed_chunk_id as id from _timescaledb_catalog.chunk c
           join _timescaledb_catalog.hypertable h on h.id = c.hypertable_id where h.table_name = 'bars' and not c.dropped`,
      )).map((r) => [r.name, r.id]),
    );
    const before = await compressedIds();
    expect([...before.values()].every((id) => id !== null)).toBe(true);
    // An identical re-import writes nothing and leaves every chunk as it was.
    expect(await store.ingest([series()])).toEqual({ rows: 2000, written: 0 });
    expect(await compressedIds()).toEqual(before);
    // One changed bar (in the chunk of 2020-09-01) rewrites that chunk only.
    const one = series();
    const k = one.ts.findIndex((t) => t >= Date.UTC(2020, 8, 1)) + 3; // not one of the every-7th bars changed below
    one.volume[k] = (one.volume[k] as number) + 1;
    expect(await store.ingest([one])).toEqual({ rows: 2000, written: 1 });
    const afterOne = await compressedIds();
    const rewritten = [...before.keys()].filter((name) => afterOne.get(name) !== before.get(name));
    expect(rewritten).toHaveLength(1);
    expect([...afterOne.values()].every((id) => id !== null)).toBe(true);
    const changed = series();
    for (let i = 0; i < changed.length; i += 7) changed.volume[i] = (changed.volume[i] as number) + 1;
    const r = await store.ingest([changed]);
    expect(r.written).toBe(Math.ceil(changed.length / 7) + 1); // and bar k back to its first volume
    const [back] = await store.read({ symbols: ['CMP'], timeframe: '1m' });
    expect(columns(back!)).toEqual(columns(changed));
    const [left] = await db.query<{ n: number }>(
      `select count(*)::int as n from timescaledb_information.chunks where hypertable_name = 'bars' and not is_compressed
         and range_start <= '2021-03-01' and range_end > '2020-06-01'`,
    );
    expect(left?.n).toBe(0);
  });

  it('retention is off by default; once set, the job deletes old 1m bars from compressed chunks, past the decompression limit', async () => {
    const store = new BarStore(db);
    // 120k minutes (more than the 100 000 tuples a DML may decompress by default), ending 2.5 years ago.
    const end = Date.now() - 913 * 86_400_000;
    const old = generateSyntheticBars({ symbol: 'RET', bars: 120_000, seed: 7, timeframe: '1m', start: Math.floor((end - 120_000 * 60_000) / 60_000) * 60_000 });
    const daily = generateSyntheticBars({ symbol: 'RET', bars: 300, seed: 8, timeframe: '1d', start: Date.UTC(2020, 0, 1) });
    await store.ingest([old, daily]);
    await db.exec(`select compress_chunk(c, true) from show_chunks('bars', older_than => now() - interval '2 years') c`);
    const [job] = await db.query<{ id: number }>(`select job_id as id from timescaledb_information.jobs where proc_name = 'pi5_bar_retention'`);
    // A trader's imported minutes stay until retention is asked for.
    expect(await readRetention(db)).toEqual({ timeframes: [], keep: null });
    await db.exec(`call run_job(${job?.id ?? -1})`);
    const kept = await db.query<{ timeframe: string; n: number }>(`select timeframe, count(*)::int as n from bars where symbol = 'RET' group by 1 order by 1`);
    expect(kept).toEqual([{ timeframe: '1d', n: 300 }, { timeframe: '1m', n: 120_000 }]);
    await expect(setRetention(db, ['1m'], '2 minutes')).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE', message: expect.stringMatching(/at least a day/) });
    await expect(setRetention(db, ['1m'], '2 yeers')).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE', message: expect.stringMatching(/"2 yeers"/) });
    await expect(setRetention(db, ['1x'], '2 years')).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE', message: expect.stringMatching(/"1x"/) });
    expect(await setRetention(db, ['1m'], '2 years')).toEqual({ timeframes: ['1m'], keep: '2 years' });
    await db.exec(`call run_job(${job?.id ?? -1})`);
    const left = await db.query<{ timeframe: string; n: number }>(`select timeframe, count(*)::int as n from bars where symbol = 'RET' group by 1 order by 1`);
    expect(left).toEqual([{ timeframe: '1d', n: 300 }]);
    expect(await setRetention(db, [], null)).toEqual({ timeframes: [], keep: null });
  }, 300_000);

  it('tick retention is off by default; once set, whole tick chunks older than it are dropped', async () => {
    await db.exec(`insert into ticks (symbol, ts, seq, price, size) values ('TKR', '2024-01-02T14:30:00Z', 0, 10, 1), ('TKR', now() - interval '1 hour', 0, 11, 2)`);
    expect(await readTickRetention(db)).toBeNull();
    await expect(setTickRetention(db, '1 hour')).rejects.toMatchObject({ code: 'PI5_ERR_BAD_USAGE' });
    expect(await setTickRetention(db, '1 year')).toBe('1 year');
    const [job] = await db.query<{ id: number }>(`select job_id as id from timescaledb_information.jobs where proc_name = 'policy_retention' and hypertable_name = 'ticks'`);
    await db.exec(`call run_job(${job?.id ?? -1})`);
    expect(await db.query(`select price from ticks where symbol = 'TKR' order by ts`)).toEqual([{ price: 11 }]);
    expect(await setTickRetention(db, null)).toBeNull();
    expect(await db.query(`select 1 from timescaledb_information.jobs where proc_name = 'policy_retention'`)).toEqual([]);
  });
});
