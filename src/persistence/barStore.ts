// The bar store: bulk ingest (binary COPY, upserting only where rows may already exist), ordered range
// reads streamed into BarSeries, and the list of stored series. It lives in persistence because it is SQL
// through and through; callers see only BarSeries in and out.

import { Pi5Error } from '../core/errors.js';
import type { BarSeries } from '../model/barSeries.js';
import { parseTimeframe } from '../model/timeframe.js';
import type { Database } from './database.js';
import { BarCopyReader, assertFinite, sqlString } from './barBinary.js';
import { SeriesWriter, lockSeries, spanSql } from './barIngest.js';

export interface BarRange {
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** Inclusive bounds, epoch ms. */
  readonly from?: number;
  readonly to?: number;
}

export interface StoredSeries {
  readonly symbol: string;
  readonly timeframe: string;
  readonly firstTs: number;
  readonly lastTs: number;
  readonly count: number;
}

export interface IngestResult {
  /** Rows sent to the store. */
  readonly rows: number;
  /** Rows inserted or changed (an identical re-import upserts nothing). */
  readonly written: number;
}

/** Bars (estimated) from which a read is split over parallel connections, and into how many streams. */
const PARALLEL_READ_ROWS = 200_000;
// The pool holds 4 connections: 3 streams took a 1M-bar read from 0.40 s to 0.20 s on 2 cores (2: 0.24 s)
// and leave one connection for anything else.
const READ_STREAMS = 3;

function checkTimeframe(timeframe: string): void {
  if (parseTimeframe(timeframe) === null) throw new Pi5Error('PI5_ERR_BAD_USAGE', `timeframe ${JSON.stringify(timeframe)} is not a timeframe (e.g. 1m, 1h, 1d)`);
}

export class BarStore {
  constructor(private readonly db: Database) {}

  /** Writes every series in one transaction: all of them land, or (on any error) none does. */
  async ingest(series: readonly BarSeries[], onProgress?: (done: number, total: number) => void): Promise<IngestResult> {
    for (const s of series) {
      checkTimeframe(s.timeframe);
      assertFinite(s);
    }
    const total = series.reduce((n, s) => n + s.length, 0);
    let before = 0;
    const written = await this.db.transaction(async (tx) => {
      await lockSeries(tx, series);
      // Before any row lands: a finer timeframe than those stored shortens the chunks it will create.
      if (this.db.hasTimescale) await tx.query('call pi5_bar_chunk_interval(0, $1::jsonb)', [JSON.stringify({ timeframes: [...new Set(series.map((s) => s.timeframe))] })]);
      const writer = new SeriesWriter(tx);
      let n = 0;
      for (const s of series) {
        n += await writer.write(s, (done) => onProgress?.(before + done, total));
        before += s.length;
      }
      return n;
    });
    return { rows: total, written };
  }

  /** Bars of each symbol (that has any) in [from, to], oldest first, in the order the symbols were asked. */
  async read(range: BarRange): Promise<BarSeries[]> {
    checkTimeframe(range.timeframe);
    if (range.symbols.length === 0) return [];
    const decimals = await this.priceDecimals(range.symbols);
    // Always bounded: right after a bulk load (no statistics yet) an unbounded query is planned as a
    // bitmap scan plus an on-disk sort, a bounded one as the ordered primary-key scan it should be.
    const from = range.from === undefined ? `'-infinity'::timestamptz` : tsLiteral(range.from);
    const to = range.to === undefined ? `'infinity'::timestamptz` : tsLiteral(range.to);
    const bySymbol = new Map<string, BarSeries>();
    for (const symbol of new Set(range.symbols)) {
      const s = await this.readSeries(symbol, range.timeframe, from, to, decimals.get(symbol) ?? 2);
      if (s.length > 0) bySymbol.set(symbol, s);
    }
    return range.symbols.flatMap((s) => bySymbol.get(s) ?? []);
  }

  /**
   * One series, oldest first. A long one on a PostgreSQL server is read as consecutive time ranges over
   * parallel connections: a single COPY is bound by its one backend (index scan plus output, ~0.4 s per 1M
   * rows), and the client decodes much faster than that (docs/storage.md, Performance).
   */
  private async readSeries(symbol: string, timeframe: string, from: string, to: string, decimals: number): Promise<BarSeries> {
    const where = `symbol = ${sqlString(symbol)} and timeframe = ${sqlString(timeframe)} and ts >= ${from} and ts <= ${to}`;
    const cuts = this.db.engine === 'postgres' ? await this.splitPoints(where, timeframe) : [];
    const bounds = [undefined, ...cuts, undefined];
    const readers = bounds.slice(1).map(() => new BarCopyReader(symbol, timeframe, decimals));
    await Promise.all(
      readers.map((reader, i) => {
        const lo = bounds[i];
        const hi = bounds[i + 1];
        const part = `${lo === undefined ? '' : ` and ts >= ${tsLiteral(lo)}`}${hi === undefined ? '' : ` and ts < ${tsLiteral(hi)}`}`;
        const sql = `copy (select ts, open, high, low, close, volume from bars where ${where}${part} order by ts) to stdout (format binary)`;
        return this.db.copyTo(sql, (chunk) => reader.push(chunk));
      }),
    );
    return BarCopyReader.concat(readers);
  }

  /** Whole-ms instants that cut the stored span into READ_STREAMS parts; none when the span is short. */
  private async splitPoints(where: string, timeframe: string): Promise<number[]> {
    const [span] = await this.db.query<{ lo: number | null; hi: number | null }>(spanSql('bars', where, 1000));
    if (span === undefined || span.lo === null || span.hi === null) return [];
    // At most one bar per timeframe step, so this over-estimates (nights, weekends): splitting a read that
    // turns out smaller costs a few milliseconds, not splitting a large one costs most of the gain.
    const stepMs = parseTimeframe(timeframe)?.ms ?? 60_000;
    if ((span.hi - span.lo) / stepMs < PARALLEL_READ_ROWS) return [];
    const cuts: number[] = [];
    for (let i = 1; i < READ_STREAMS; i++) cuts.push(Math.floor(span.lo + ((span.hi - span.lo) * i) / READ_STREAMS));
    return cuts;
  }

  async list(): Promise<StoredSeries[]> {
    const rows = await this.db.query<{ symbol: string; timeframe: string; first_ts: number; last_ts: number; count: number }>(
      `select symbol, timeframe, (extract(epoch from min(ts)) * 1000)::float8 as first_ts,
        (extract(epoch from max(ts)) * 1000)::float8 as last_ts, count(*)::int as count
       from bars group by symbol, timeframe order by symbol, timeframe`,
    );
    return rows.map((r) => ({ symbol: r.symbol, timeframe: r.timeframe, firstTs: r.first_ts, lastTs: r.last_ts, count: r.count }));
  }

  async priceDecimals(symbols: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.query<{ symbol: string; price_decimals: number }>(
      'select symbol, price_decimals from instruments where symbol = any($1::text[])',
      [symbols],
    );
    return new Map(rows.map((r) => [r.symbol, r.price_decimals]));
  }
}

/** A validated epoch-ms bound as a SQL timestamptz expression (COPY takes no parameters). */
export function tsLiteral(ms: number): string {
  if (!Number.isFinite(ms)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `time bound ${String(ms)} is not a finite epoch-ms value`);
  return `to_timestamp(${ms} / 1000.0)`;
}
