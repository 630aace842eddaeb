// The bar store: bulk ingest (binary COPY, upserting only where rows may already exist), ordered range
// reads streamed into BarSeries, and the list of stored series. It lives in persistence because it is SQL
// through and through; callers see only BarSeries in and out.

import { Pi5Error } from '../core/errors.js';
import { sliceSeries, type BarSeries } from '../model/barSeries.js';
import { parseTimeframe } from '../model/timeframe.js';
import type { BarCatalog } from './catalog/barCatalog.js';
import { mergeSeries } from './catalog/mergeBars.js';
import type { Database, Queryable } from './database.js';
import { BarCopyReader, assertFinite, sqlString } from './barBinary.js';
import { SeriesWriter, lockSeries, spanSql } from './barIngest.js';
import { caggRefreshSql, hasCagg, readCagg, servedByCagg } from './barCagg.js';
import { openCompressed, recompress } from './barCompression.js';

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
/** Rows per block of a streamed read: ~0.4 MB of columns, ~0.8 MB as CSV. */
const STREAM_BLOCK_ROWS = 16_384;

function checkTimeframe(timeframe: string): void {
  if (parseTimeframe(timeframe) === null) throw new Pi5Error('PI5_ERR_BAD_USAGE', `timeframe ${JSON.stringify(timeframe)} is not a timeframe (e.g. 1m, 1h, 1d)`);
}

export interface IngestOptions {
  /** Runs in the database transaction that commits the bars (e.g. a fetch's corporate actions): both land or neither. */
  readonly alongside?: (tx: Queryable) => Promise<void>;
}

/**
 * Bars of one database: in its bars table, or, on the embedded database on disk, in the columnar catalog beside
 * it (decision 0009). Same results either way.
 */
export class BarStore {
  private readonly catalog: BarCatalog | undefined;
  private catalogReady: Promise<void> | undefined;

  constructor(private readonly db: Database) {
    this.catalog = db.barCatalog;
  }

  /** Writes every series atomically: all of them land, or (on any error) none does. */
  async ingest(series: readonly BarSeries[], onProgress?: (done: number, total: number) => void, opts: IngestOptions = {}): Promise<IngestResult> {
    for (const s of series) {
      checkTimeframe(s.timeframe);
      assertFinite(s);
    }
    const total = series.reduce((n, s) => n + s.length, 0);
    const catalog = await this.readyCatalog();
    if (catalog !== undefined) {
      const alongside = opts.alongside;
      const written = await catalog.ingest(series, alongside === undefined ? undefined : () => this.db.transaction(alongside));
      onProgress?.(total, total);
      return { rows: total, written };
    }
    let before = 0;
    const written = await this.db.transaction(async (tx) => {
      await lockSeries(tx, series);
      // Before any row lands: a finer timeframe than those stored shortens the chunks it will create.
      if (this.db.hasTimescale) await tx.query('call pi5_bar_chunk_interval(0, $1::jsonb)', [JSON.stringify({ timeframes: [...new Set(series.map((s) => s.timeframe))] })]);
      // The span only matters to TimescaleDB's compressed chunks: elsewhere it is not computed.
      const span = this.db.hasTimescale ? timeSpan(series) : null;
      const plan = span !== null ? await openCompressed(tx, series, span.from, span.to) : { decompressed: [], series };
      const writer = new SeriesWriter(tx);
      let n = 0;
      for (const s of plan.series) {
        n += await writer.write(s, (done) => onProgress?.(before + done, total));
        before += s.length;
      }
      // Rows left out (identical, in chunks left compressed) count as done.
      if (before < total) onProgress?.(total, total);
      await recompress(tx, plan.decompressed);
      await opts.alongside?.(tx);
      return n;
    });
    const minutes = this.db.hasTimescale && written > 0 ? timeSpan(series.filter((s) => s.timeframe === '1m')) : null;
    if (minutes !== null) {
      try {
        for (const sql of caggRefreshSql(minutes.from, minutes.to)) await this.db.query(sql);
      } catch (e) {
        throw new Pi5Error('PI5_ERR_DB', `the 1m bars were stored, but refreshing the continuous aggregates failed (${(e as Error).message}); refresh them by hand as docs/storage.md shows (an identical re-import writes nothing and refreshes nothing)`);
      }
    }
    return { rows: total, written };
  }

  /** Bars of each symbol (that has any) in [from, to], oldest first, in the order the symbols were asked. */
  async read(range: BarRange): Promise<BarSeries[]> {
    checkTimeframe(range.timeframe);
    if (range.symbols.length === 0) return [];
    const catalog = await this.readyCatalog();
    if (catalog !== undefined) {
      const out: BarSeries[] = [];
      for (const symbol of range.symbols) {
        const s = await catalog.read(symbol, range.timeframe, range.from, range.to);
        if (s !== null && s.length > 0) out.push(s);
      }
      return out;
    }
    return this.readSql(range);
  }

  /**
   * One series in [from, to], oldest first, handed to `onBlock` in consecutive blocks as it is read; a promise
   * `onBlock` returns holds the read until it settles, so a slow writer keeps memory flat (`pi5 data export`).
   * On a PostgreSQL server the bars stream from one COPY; the catalog, PGlite and continuous aggregates hand the
   * series over whole, as one block. Returns the bars read.
   */
  async readBlocks(range: Omit<BarRange, 'symbols'> & { readonly symbol: string }, onBlock: (block: BarSeries) => void | Promise<void>): Promise<number> {
    const { symbol, timeframe } = range;
    checkTimeframe(timeframe);
    const whole = this.catalog !== undefined || this.db.engine !== 'postgres' || (this.db.hasTimescale && (await servedByCagg(this.db, symbol, timeframe)));
    if (whole) {
      const [s] = await this.read({ ...range, symbols: [symbol] });
      if (s === undefined) return 0;
      await onBlock(s);
      return s.length;
    }
    const decimals = (await this.priceDecimalsSql([symbol])).get(symbol) ?? 2;
    const from = range.from === undefined ? `'-infinity'::timestamptz` : tsLiteral(range.from);
    const to = range.to === undefined ? `'infinity'::timestamptz` : tsLiteral(range.to);
    const reader = new BarCopyReader(symbol, timeframe, decimals);
    let read = 0;
    const hand = (): void | Promise<void> => {
      const block = reader.take();
      read += block.length;
      return block.length === 0 ? undefined : onBlock(block);
    };
    const sql = `copy (select ts, open, high, low, close, volume from bars where symbol = ${sqlString(symbol)} and timeframe = ${sqlString(timeframe)} and ts >= ${from} and ts <= ${to} order by ts) to stdout (format binary)`;
    await this.db.copyTo(sql, (chunk) => {
      reader.push(chunk);
      return reader.held >= STREAM_BLOCK_ROWS ? hand() : undefined;
    });
    reader.end();
    await hand();
    return read;
  }

  /**
   * `read` plus the bars live sessions recorded with their orders (upsertBars, in the bars table whatever the
   * store): what a session warms up from and recovers with. A recorded bar wins over an imported one.
   */
  async readWithSessions(range: BarRange): Promise<BarSeries[]> {
    if (this.catalog === undefined) return this.read(range);
    const imported = await this.read(range);
    const recorded = await this.readSql(range);
    return range.symbols.flatMap((symbol) => {
      const a = imported.find((s) => s.symbol === symbol);
      const b = recorded.find((s) => s.symbol === symbol);
      if (a === undefined || b === undefined) return a ?? b ?? [];
      return [mergeSeries(a, b, Math.max(a.priceDecimals, b.priceDecimals)).series];
    });
  }

  private async readSql(range: BarRange): Promise<BarSeries[]> {
    const decimals = await this.priceDecimalsSql(range.symbols);
    // Always bounded: right after a bulk load (no statistics yet) an unbounded query is planned as a
    // bitmap scan plus an on-disk sort, a bounded one as the ordered primary-key scan it should be.
    const from = range.from === undefined ? `'-infinity'::timestamptz` : tsLiteral(range.from);
    const to = range.to === undefined ? `'infinity'::timestamptz` : tsLiteral(range.to);
    const bySymbol = new Map<string, BarSeries>();
    for (const symbol of new Set(range.symbols)) {
      const s = this.db.hasTimescale && (await servedByCagg(this.db, symbol, range.timeframe))
        ? await readCagg(this.db, symbol, range.timeframe, from, to, decimals.get(symbol) ?? 2)
        : await this.readSeries(symbol, range.timeframe, from, to, decimals.get(symbol) ?? 2);
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
    const catalog = await this.readyCatalog();
    if (catalog !== undefined) return (await catalog.entries()).map((e) => ({ symbol: e.symbol, timeframe: e.timeframe, firstTs: e.firstTs, lastTs: e.lastTs, count: e.count }));
    return this.listSql();
  }

  private async listSql(): Promise<StoredSeries[]> {
    const rows = await this.db.query<{ symbol: string; timeframe: string; first_ts: number; last_ts: number; count: number }>(
      `select symbol, timeframe, (extract(epoch from min(ts)) * 1000)::float8 as first_ts,
        (extract(epoch from max(ts)) * 1000)::float8 as last_ts, count(*)::int as count
       from bars group by symbol, timeframe order by symbol, timeframe`,
    );
    return rows.map((r) => ({ symbol: r.symbol, timeframe: r.timeframe, firstTs: r.first_ts, lastTs: r.last_ts, count: r.count }));
  }

  async priceDecimals(symbols: readonly string[]): Promise<Map<string, number>> {
    const catalog = await this.readyCatalog();
    if (catalog !== undefined) {
      const out = new Map<string, number>();
      for (const e of await catalog.entries()) if (symbols.includes(e.symbol)) out.set(e.symbol, Math.max(out.get(e.symbol) ?? 0, e.priceDecimals));
      return out;
    }
    return this.priceDecimalsSql(symbols);
  }

  private async priceDecimalsSql(symbols: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.db.query<{ symbol: string; price_decimals: number }>(
      'select symbol, price_decimals from instruments where symbol = any($1::text[])',
      [symbols],
    );
    return new Map(rows.map((r) => [r.symbol, r.price_decimals]));
  }

  /** The first of `candidates` stored at `timeframe` (used to match a symbol's case as stored); undefined when none is. */
  async storedSymbol(candidates: readonly string[], timeframe: string): Promise<string | undefined> {
    if (this.catalog !== undefined) {
      const stored = new Set((await this.list()).filter((s) => s.timeframe === timeframe).map((s) => s.symbol));
      return candidates.find((c) => stored.has(c));
    }
    // With Timescale, 1m bars stand for the timeframes their continuous aggregates serve (see readSql).
    const timeframes = this.db.hasTimescale && hasCagg(timeframe) ? [timeframe, '1m'] : [timeframe];
    const [hit] = await this.db.query<{ symbol: string }>(
      'select symbol from bars where symbol = any($1::text[]) and timeframe = any($2::text[]) order by symbol = $3 desc limit 1',
      [candidates, timeframes, candidates[0]],
    );
    return hit?.symbol;
  }

  /**
   * At most `limit` bars of one series within [from, to] (null: open): the first ones from `from` when `forward`,
   * else the last ones up to `to`. The catalog reads the range once and cuts it (a view, no copy); SQL first finds
   * the cut with one key look-up so it never reads more than it returns.
   */
  async readLimited(symbol: string, timeframe: string, from: number | null, to: number | null, limit: number, forward: boolean): Promise<BarSeries | undefined> {
    const range = (f: number | null, t: number | null): BarRange => ({ symbols: [symbol], timeframe, ...(f === null ? {} : { from: f }), ...(t === null ? {} : { to: t }) });
    if (this.catalog !== undefined) {
      const [s] = await this.read(range(from, to));
      if (s === undefined || s.length <= limit) return s;
      return forward ? sliceSeries(s, 0, limit) : sliceSeries(s, s.length - limit, s.length);
    }
    const edge = await this.nthTime(symbol, timeframe, from, to, limit, forward);
    const [s] = await this.read(range(forward || edge === undefined ? from : edge, forward && edge !== undefined ? edge : to));
    return s === undefined || s.length <= limit ? s : sliceSeries(s, forward ? 0 : s.length - limit, forward ? limit : s.length);
  }

  /**
   * The time of the `nth` (1-based) bar of the series within [from, to] (null: open), counted from `from` when
   * `forward`, else back from `to`; undefined when there are fewer. Cuts a range to a bar limit before reading it.
   * SQL stores only: the catalog reads a range and cuts it (readLimited).
   */
  async nthTime(symbol: string, timeframe: string, from: number | null, to: number | null, nth: number, forward: boolean): Promise<number | undefined> {
    const cagg = this.db.hasTimescale && (await servedByCagg(this.db, symbol, timeframe));
    const rows = await this.db.query<{ t: number }>(
      `select (extract(epoch from ts) * 1000)::float8 as t from ${cagg ? `bars_cagg_${timeframe}` : 'bars'}
       where symbol = $1 and ${cagg ? '$2::text is not null' : 'timeframe = $2'}
         and ($3::float8 is null or ts >= to_timestamp($3::float8 / 1000)) and ($4::float8 is null or ts <= to_timestamp($4::float8 / 1000))
       order by ts ${forward ? 'asc' : 'desc'} offset $5 limit 1`,
      [symbol, timeframe, from, to, nth - 1],
    );
    return rows[0]?.t;
  }

  /**
   * The catalog, once it exists. The first use on an embedded database created before the catalog moves the bars
   * table's series into it (read through SQL, written as one commit); the table's rows stay, unread, so an older
   * pi5 still finds them.
   */
  private async readyCatalog(): Promise<BarCatalog | undefined> {
    const catalog = this.catalog;
    if (catalog === undefined) return undefined;
    this.catalogReady ??= (async () => {
      if (await catalog.exists()) return;
      const legacy = catalog.opts.mayHaveSqlBars === true ? await this.listSql() : [];
      const series: BarSeries[] = [];
      for (const s of legacy) series.push(...(await this.readSql({ symbols: [s.symbol], timeframe: s.timeframe })));
      await catalog.ingest(series);
    })();
    await this.catalogReady;
    return catalog;
  }
}

/** The earliest and latest bar time over all series; null when there are no bars. */
function timeSpan(series: readonly BarSeries[]): { from: number; to: number } | null {
  let from = Infinity;
  let to = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      const t = s.ts[i] as number;
      if (t < from) from = t;
      if (t > to) to = t;
    }
  }
  return from <= to ? { from, to } : null;
}

/** A validated epoch-ms bound as a SQL timestamptz expression (COPY takes no parameters). */
export function tsLiteral(ms: number): string {
  if (!Number.isFinite(ms)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `time bound ${String(ms)} is not a finite epoch-ms value`);
  return `to_timestamp(${ms} / 1000.0)`;
}
