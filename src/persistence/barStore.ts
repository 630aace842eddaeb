// The bar store: bulk ingest (COPY into a staging table, then one upsert), ordered range reads into
// BarSeries, and the list of stored series. It lives in persistence because it is SQL through and through;
// callers see only BarSeries in and out.

import { Pi5Error } from '../core/errors.js';
import type { BarSeries } from '../model/barSeries.js';
import { parseTimeframe } from '../model/timeframe.js';
import type { Database, Queryable } from './database.js';
import { assertFinite, copyChunks, parseCopyBars, sqlString } from './barText.js';

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

const STAGE = `create temp table bar_stage (
  ts_ms double precision not null, open double precision not null, high double precision not null,
  low double precision not null, close double precision not null, volume double precision not null) on commit drop`;

// Ordered by ts so concurrent writers lock conflicting rows in the same order (no deadlocks); rows
// whose values are unchanged are not rewritten.
const UPSERT = `with up as (
  insert into bars (symbol, timeframe, ts, open, high, low, close, volume)
  select $1::text, $2::text, to_timestamp(ts_ms / 1000), open, high, low, close, volume from bar_stage order by ts_ms
  on conflict (symbol, timeframe, ts) do update set
    open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
  where (bars.open, bars.high, bars.low, bars.close, bars.volume)
    is distinct from (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume)
  returning 1)
select count(*)::int as n from up`;

const INSTRUMENT = `insert into instruments (symbol, price_decimals) values ($1, $2)
  on conflict (symbol) do update set price_decimals = greatest(instruments.price_decimals, excluded.price_decimals)`;

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
      await tx.exec(STAGE);
      let n = 0;
      for (const s of series) {
        n += await ingestOne(tx, s, (done) => onProgress?.(before + done, total));
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
    const where = [`timeframe = ${sqlString(range.timeframe)}`, `symbol in (${range.symbols.map(sqlString).join(', ')})`];
    if (range.from !== undefined) where.push(`ts >= ${tsLiteral(range.from)}`);
    if (range.to !== undefined) where.push(`ts <= ${tsLiteral(range.to)}`);
    const text = await this.db.copyTo(
      `copy (select symbol, (extract(epoch from ts) * 1000)::float8, open, high, low, close, volume from bars
        where ${where.join(' and ')} order by symbol, ts) to stdout`,
    );
    const bySymbol = new Map(parseCopyBars(text, range.timeframe, (s) => decimals.get(s) ?? 2).map((s) => [s.symbol, s]));
    return range.symbols.flatMap((s) => bySymbol.get(s) ?? []);
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

async function ingestOne(tx: Queryable, s: BarSeries, onRows: (done: number) => void): Promise<number> {
  await tx.exec('truncate bar_stage');
  await tx.copyFrom('copy bar_stage from stdin', copyChunks(s, onRows));
  await tx.query(INSTRUMENT, [s.symbol, s.priceDecimals]);
  try {
    const rows = await tx.query<{ n: number }>(UPSERT, [s.symbol, s.timeframe]);
    return rows[0]?.n ?? 0;
  } catch (e) {
    const err = e as Pi5Error;
    throw new Pi5Error(err.code ?? 'PI5_ERR_DB', `table bars, ${s.symbol} ${s.timeframe}: ${err.message}`, { ...err.details, symbol: s.symbol });
  }
}

/** A validated epoch-ms bound as a SQL timestamptz expression (COPY takes no parameters). */
export function tsLiteral(ms: number): string {
  if (!Number.isFinite(ms)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `time bound ${String(ms)} is not a finite epoch-ms value`);
  return `to_timestamp(${ms} / 1000.0)`;
}
