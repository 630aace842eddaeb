// The storage contract, written once and run against every engine (PostgreSQL and PGlite).

import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../../src/persistence/database.js';
import { CORE_MIGRATIONS, migrate, status } from '../../../src/persistence/migrations/index.js';
import { checkTimescaleSql } from '../../../src/persistence/migrations/timescaleCheck.js';
import { TIMESCALE_MIGRATIONS } from '../../../src/persistence/migrations/timescaleMigrations.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { CAGG_TIMEFRAMES, caggRefreshSql, readCagg, servedByCagg } from '../../../src/persistence/barCagg.js';
import { openCompressed } from '../../../src/persistence/barCompression.js';
import { resampledSeries, storeResampled } from '../../../src/persistence/barResample.js';
import { findGaps } from '../../../src/persistence/barGaps.js';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { resampleSeries } from '../../../src/data/resample.js';
import { sliceSeries, type BarSeries } from '../../../src/model/barSeries.js';
import { tickTests } from './tickSuite.js';

export function columns(s: BarSeries): Record<string, number[]> {
  return {
    ts: [...s.ts],
    open: [...s.open],
    high: [...s.high],
    low: [...s.low],
    close: [...s.close],
    volume: [...s.volume],
  };
}

const DAY = 86_400_000;

/** `premigrated`: the engine opens a new database with its schema applied (a new embedded data folder is made so). */
export function storageSuite(engine: string, open: () => Promise<{ db: Database; done: () => Promise<void>; premigrated?: boolean }>): void {
  describe(`bar store on ${engine}`, () => {
    let db: Database;
    let done: () => Promise<void>;
    let premigrated = false;
    let store: BarStore;

    beforeAll(async () => {
      ({ db, done, premigrated = false } = await open());
      store = new BarStore(db);
    });
    afterAll(async () => done?.());

    it('migrates once; a second run is a no-op, and status lists every migration as applied', async () => {
      // Where TimescaleDB is usable (PI5_TEST_TIMESCALE_URL), its migrations are applied too.
      const applied = db.hasTimescale ? [...CORE_MIGRATIONS, ...TIMESCALE_MIGRATIONS] : CORE_MIGRATIONS;
      expect(await migrate(db)).toEqual(premigrated ? [] : applied.map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
      const st = await status(db);
      expect(st.filter((s) => s.version < 1000).map((s) => s.state)).toEqual(CORE_MIGRATIONS.map(() => 'applied'));
      if (!db.hasTimescale) expect(st.filter((s) => s.version > 1000).every((s) => s.state === 'skipped' && s.reason)).toBe(true);
    });

    it('detects an applied migration whose recorded checksum no longer matches', async () => {
      await db.query(`update schema_migrations set checksum = 'edited' where version = 2`);
      expect((await status(db)).find((s) => s.version === 2)?.state).toBe('changed');
      await expect(migrate(db)).rejects.toMatchObject({ code: 'PI5_ERR_MIGRATION' });
      const { checksum, CORE_MIGRATIONS } = await import('../../../src/persistence/migrations/index.js');
      await db.query('update schema_migrations set checksum = $1 where version = 2', [checksum(CORE_MIGRATIONS[1]!)]);
      expect(await migrate(db)).toEqual([]);
    });

    it('Timescale migration SQL runs against stub functions on plain PostgreSQL (rolled back)', async () => {
      const chosen: Record<string, string> = {};
      const probe = async (tx: Queryable): Promise<void> => {
        // Bars at 1d (and later 1h) only, then an import of 5m about to land: the interval follows the finest.
        await tx.exec(`delete from bars; insert into instruments (symbol) values ('CHK') on conflict do nothing;
          insert into bars values ('CHK', '1d', '2020-01-02', 1, 1, 1, 1, 0)`);
        const interval = async (config: string): Promise<string> => {
          await tx.query('call pi5_bar_chunk_interval(0, $1::jsonb)', [config]);
          const [r] = await tx.query<{ d: number }>(`select extract(day from chunk_interval)::int as d from pi5_chunking where hypertable = 'bars'`);
          return `${r?.d} days`;
        };
        chosen['1d'] = await interval('{}');
        await tx.exec(`insert into bars values ('CHK', '1h', '2020-01-02', 1, 1, 1, 1, 0)`);
        chosen['1h'] = await interval('{}');
        chosen['5m'] = await interval('{"timeframes": ["5m"]}');
      };
      expect(await checkTimescaleSql(db, probe)).toBe(TIMESCALE_MIGRATIONS.length);
      expect(chosen).toEqual({ '1d': '365 days', '1h': '90 days', '5m': '7 days' });
      // Servers before 2.13 get the old create_hypertable form (the default checked above is by_range).
      expect(await checkTimescaleSql(db, undefined, '2.12.2')).toBe(TIMESCALE_MIGRATIONS.length);
      const left = await db.query(`select 1 from pg_namespace where nspname = 'pi5_tscheck'`);
      expect(left).toHaveLength(0);
    });

    it('the bar store SQL on the continuous aggregates: a refresh after a 1m import, reads equal to resampling', async () => {
      const minutes = generateSyntheticBars({ symbol: 'CAG', bars: 3000, seed: 21, timeframe: '1m', start: Date.UTC(2021, 0, 4, 14, 30) });
      const read: Record<string, Record<string, number[]>> = {};
      const probe = async (tx: Queryable): Promise<void> => {
        await tx.exec(`insert into instruments (symbol) values ('CAG') on conflict do nothing`);
        await tx.query(
          `insert into bars select 'CAG', '1m', to_timestamp(t / 1000.0), o, h, l, c, v
           from unnest($1::float8[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[]) as u(t, o, h, l, c, v)`,
          [[...minutes.ts], [...minutes.open], [...minutes.high], [...minutes.low], [...minutes.close], [...minutes.volume]],
        );
        for (const sql of caggRefreshSql(minutes.ts[0]!, minutes.ts[minutes.length - 1]!)) await tx.query(sql);
        for (const tf of CAGG_TIMEFRAMES) {
          expect(await servedByCagg(tx, 'CAG', tf)).toBe(true);
          read[tf] = columns(await readCagg(tx, 'CAG', tf, `'-infinity'::timestamptz`, `'infinity'::timestamptz`, 2));
        }
        expect(await servedByCagg(tx, 'CAG', '1m')).toBe(false);
        expect(await openCompressed(tx, [minutes], minutes.ts[0]!, minutes.ts[minutes.length - 1]!)).toEqual({ decompressed: [], series: [minutes] });
      };
      await checkTimescaleSql(db, probe);
      expect(Object.keys(read)).toEqual(['5m', '15m', '1h', '1d']);
      for (const tf of CAGG_TIMEFRAMES) expect(read[tf]).toEqual(columns(resampleSeries(minutes, tf)));
      expect(caggRefreshSql(Date.UTC(2021, 0, 4, 14, 31), Date.UTC(2021, 0, 5, 9, 59))[3]).toBe(
        `call refresh_continuous_aggregate('bars_cagg_1d', to_timestamp(${Date.UTC(2021, 0, 4)} / 1000.0), to_timestamp(${Date.UTC(2021, 0, 6)} / 1000.0))`,
      );
    });

    it('reads at most limit bars: the first from `from`, the last up to `to`, the whole range when shorter', async () => {
      const s = generateSyntheticBars({ symbol: 'LIMCUT', bars: 40, seed: 8, timeframe: '1h', start: Date.UTC(2021, 2, 1) });
      await store.ingest([s]);
      const ts = [...s.ts];
      const at = (i: number): number => ts[i] as number;
      const read = async (from: number | null, to: number | null, limit: number, forward: boolean): Promise<number[] | undefined> => {
        const r = await store.readLimited('LIMCUT', '1h', from, to, limit, forward);
        return r === undefined ? undefined : [...r.ts];
      };
      expect(await read(null, null, 7, false)).toEqual(ts.slice(-7));
      expect(await read(at(5), null, 4, true)).toEqual(ts.slice(5, 9));
      expect(await read(null, at(20) - 1, 6, false)).toEqual(ts.slice(14, 20));
      expect(await read(at(30), at(33), 100, true)).toEqual(ts.slice(30, 34));
      expect(await read(Date.UTC(2030, 0, 1), null, 5, true)).toBeUndefined();
    });

    it('round-trips a series exactly, and reads inclusive ranges across symbols in time order', async () => {
      const a = generateSyntheticBars({ symbol: 'RTA', bars: 3000, seed: 1, priceDecimals: 4 });
      const b = generateSyntheticBars({ symbol: 'RTB', bars: 500, seed: 2, timeframe: '1m', start: Date.UTC(2021, 0, 4, 14, 30) });
      const r = await store.ingest([a, b]);
      expect(r).toEqual({ rows: 3500, written: 3500 });
      const [back] = await store.read({ symbols: ['RTA'], timeframe: '1d' });
      expect(back?.priceDecimals).toBe(4);
      expect(columns(back!)).toEqual(columns(a));
      const from = a.ts[10]!;
      const to = a.ts[20]!;
      const [part] = await store.read({ symbols: ['RTA'], timeframe: '1d', from, to });
      expect(columns(part!)).toEqual(columns(sliceSeries(a, 10, 21)));
      const both = await store.read({ symbols: ['RTB', 'NOPE', 'RTA'], timeframe: '1m' });
      expect(both.map((s) => s.symbol)).toEqual(['RTB']);
      expect(columns(both[0]!)).toEqual(columns(b));
      const list = await store.list();
      expect(list).toContainEqual({ symbol: 'RTA', timeframe: '1d', firstTs: a.ts[0], lastTs: a.ts[2999], count: 3000 });
    });

    it('upserts overlapping imports without duplicates, and an identical re-import writes nothing', async () => {
      const full = generateSyntheticBars({ symbol: 'OVL', bars: 1000, seed: 3 });
      await store.ingest([sliceSeries(full, 0, 600)]);
      const second = await store.ingest([sliceSeries(full, 400, 1000)]);
      expect(second).toEqual({ rows: 600, written: 400 });
      expect(await store.ingest([full])).toEqual({ rows: 1000, written: 0 });
      const [back] = await store.read({ symbols: ['OVL'], timeframe: '1d' });
      expect(columns(back!)).toEqual(columns(full));
    });

    it('upserts only where rows exist: new rows around a stored middle, changed values inside it', async () => {
      const full = generateSyntheticBars({ symbol: 'MID', bars: 1000, seed: 13 });
      await store.ingest([sliceSeries(full, 300, 700)]);
      const next = generateSyntheticBars({ symbol: 'MID', bars: 1000, seed: 13 });
      next.close[500] = (next.close[500] as number) + 0.5;
      next.high[500] = Math.max(next.high[500] as number, next.close[500] as number);
      expect(await store.ingest([next])).toEqual({ rows: 1000, written: 601 });
      const [back] = await store.read({ symbols: ['MID'], timeframe: '1d' });
      expect(columns(back!)).toEqual(columns(next));
    });

    it('takes bars out of time order (all through the upsert) and reads them back in order', async () => {
      const sorted = generateSyntheticBars({ symbol: 'UNORD', bars: 300, seed: 14 });
      const order = [...sorted.ts.keys()].reverse();
      const pick = (c: Float64Array): Float64Array => Float64Array.from(order.map((i) => c[i]!));
      const reversed = { ...sorted, ts: pick(sorted.ts), open: pick(sorted.open), high: pick(sorted.high), low: pick(sorted.low), close: pick(sorted.close), volume: pick(sorted.volume) };
      expect(await store.ingest([sliceSeries(sorted, 0, 100)])).toEqual({ rows: 100, written: 100 });
      expect(await store.ingest([reversed])).toEqual({ rows: 300, written: 200 });
      const [back] = await store.read({ symbols: ['UNORD'], timeframe: '1d' });
      expect(columns(back!)).toEqual(columns(sorted));
    });

    it('a series with a repeated timestamp fails whole, as before', async () => {
      const before = await store.list();
      const dup = generateSyntheticBars({ symbol: 'DUPTS', bars: 50, seed: 15 });
      dup.ts[30] = dup.ts[29]!;
      await expect(store.ingest([dup])).rejects.toMatchObject({ code: 'PI5_ERR_DB', message: expect.stringMatching(/(table bars|bar catalog), DUPTS 1d/) });
      expect(await store.list()).toEqual(before);
    });

    it('a failing import (a bad row in the middle of the second series) leaves the store as it was', async () => {
      const before = await store.list();
      const good = generateSyntheticBars({ symbol: 'FAILA', bars: 200, seed: 4 });
      const bad = generateSyntheticBars({ symbol: 'OVL', bars: 200, seed: 5 });
      bad.volume[100] = -5;
      await expect(store.ingest([good, bad])).rejects.toMatchObject({ code: 'PI5_ERR_DB', message: expect.stringMatching(/(table bars|bar catalog), OVL 1d/) });
      const nan = generateSyntheticBars({ symbol: 'FAILB', bars: 10, seed: 6 });
      nan.high[5] = NaN;
      await expect(store.ingest([nan])).rejects.toMatchObject({ code: 'PI5_ERR_BAD_BAR' });
      expect(await store.list()).toEqual(before);
    });

    it('resampling in SQL gives exactly what resampleSeries gives (1m → 5m/1h/1d, 1d → 1w/1M)', async () => {
      const m = generateSyntheticBars({ symbol: 'RSM', bars: 5000, seed: 7, timeframe: '1m', start: Date.UTC(2021, 2, 1, 13, 7) });
      const d = generateSyntheticBars({ symbol: 'RSD', bars: 800, seed: 8 });
      await store.ingest([m, d]);
      for (const [s, from, to] of [[m, '1m', '5m'], [m, '1m', '1h'], [m, '1m', '1d'], [d, '1d', '1w'], [d, '1d', '1M'], [d, '1d', '3M']] as const) {
        const sql = await resampledSeries(db, s.symbol, from, to);
        expect(columns(sql), `${s.symbol} ${to}`).toEqual(columns(resampleSeries(s, to)));
      }
      expect(await storeResampled(db, 'RSD', '1d', '1w')).toBe(resampleSeries(d, '1w').length);
      const [weekly] = await store.read({ symbols: ['RSD'], timeframe: '1w' });
      expect(columns(weekly!)).toEqual(columns(resampleSeries(d, '1w')));
    });

    it('finds missing weekdays in daily bars and missing minutes inside a day, not weekends or nights', async () => {
      const d = generateSyntheticBars({ symbol: 'GAPD', bars: 30, seed: 9 });
      const keep = [...d.ts.keys()].filter((i) => i !== 7 && i !== 12 && i !== 13);
      const holes = { ...d, length: keep.length, ts: Float64Array.from(keep.map((i) => d.ts[i]!)), open: Float64Array.from(keep.map((i) => d.open[i]!)), high: Float64Array.from(keep.map((i) => d.high[i]!)), low: Float64Array.from(keep.map((i) => d.low[i]!)), close: Float64Array.from(keep.map((i) => d.close[i]!)), volume: Float64Array.from(keep.map((i) => d.volume[i]!)) };
      await store.ingest([holes]);
      const gaps = await findGaps(db, 'GAPD', '1d', 'none'); // every weekday: the synthetic walk trades on holidays
      expect(gaps).toEqual([
        { after: d.ts[6], before: d.ts[8], missing: 1 },
        { after: d.ts[11], before: d.ts[14], missing: 2 },
      ]);
      const m = generateSyntheticBars({ symbol: 'GAPM', bars: 3, seed: 10, timeframe: '1m', start: Date.UTC(2021, 0, 4, 15, 0) });
      m.ts[1] = m.ts[0]! + 4 * 60_000;
      m.ts[2] = m.ts[0]! + DAY;
      await store.ingest([m]);
      expect(await findGaps(db, 'GAPM', '1m')).toEqual([{ after: m.ts[0], before: m.ts[1], missing: 3 }]);
    });

    describe('ticks', () => tickTests(() => db));
  });
}
