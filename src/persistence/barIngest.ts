// Writing one series inside the ingest transaction: rows outside the stored range go straight into bars
// by binary COPY; only rows that may collide go through a staging table and an upsert.

import { Pi5Error } from '../core/errors.js';
import type { BarSeries } from '../model/barSeries.js';
import type { Bar } from '../model/types.js';
import { copyBinaryChunks } from './barBinary.js';
import type { Queryable } from './database.js';

const STAGE = `create temp table if not exists bar_stage (
  ts timestamptz not null, open double precision not null, high double precision not null,
  low double precision not null, close double precision not null, volume double precision not null) on commit drop`;

// Rows whose values are unchanged are not rewritten. No ORDER BY: writers of one series are serialized
// by seriesLock, so no two ingests wait on each other's rows (and the sort cost a second per 1M rows).
const UPSERT = `with up as (
  insert into bars (symbol, timeframe, ts, open, high, low, close, volume)
  select $1::text, $2::text, ts, open, high, low, close, volume from bar_stage
  on conflict (symbol, timeframe, ts) do update set
    open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
  where (bars.open, bars.high, bars.low, bars.close, bars.volume)
    is distinct from (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume)
  returning 1)
select count(*)::int as n from up`;

const INSTRUMENT = `insert into instruments (symbol, price_decimals) values ($1, $2)
  on conflict (symbol) do update set price_decimals = greatest(instruments.price_decimals, excluded.price_decimals)`;

const DIRECT = 'copy bars (symbol, timeframe, ts, open, high, low, close, volume) from stdin (format binary)';

/**
 * First and last `ts` (as `lo`, `hi`, in epoch seconds × `scale`) of the rows of `table` matching `where`.
 * Written as two ORDER BY ... LIMIT 1 probes rather than min()/max(): right after a bulk load (no statistics)
 * the planner expects one row and computes min/max by scanning the whole index range (0.2 s per 1M bars).
 */
export function spanSql(table: string, where: string, scale: number): string {
  const probe = (dir: string): string => `(select (extract(epoch from ts) * ${scale})::float8 from ${table} where ${where} order by ts ${dir} limit 1)`;
  return `select ${probe('asc')} as lo, ${probe('desc')} as hi`;
}

/** Stored bars of the series between two instants (inclusive): the first and last, epoch ms. */
const STORED_SPAN = spanSql('bars', 'symbol = $1 and timeframe = $2 and ts between to_timestamp($3::float8 / 1000) and to_timestamp($4::float8 / 1000)', 1000);

/**
 * Takes the transaction-scoped lock of every (symbol, timeframe) about to be written, in one sorted order
 * so two multi-series imports cannot deadlock. While held, nobody else writes those series, which is
 * what makes COPY straight into bars safe (the stored range cannot change under us).
 */
export async function lockSeries(tx: Queryable, keys: readonly { symbol: string; timeframe: string }[]): Promise<void> {
  const unique = new Map(keys.map((k) => [JSON.stringify([k.symbol, k.timeframe]), k]));
  const sorted = [...unique.keys()].sort();
  for (const key of sorted) {
    const k = unique.get(key);
    // A hash collision only makes two unrelated series wait for each other.
    if (k !== undefined) await tx.query('select pg_advisory_xact_lock(hashtext($1), hashtext($2))', [k.symbol, k.timeframe]);
  }
}

/** True when ts strictly increases and is whole milliseconds, so stored rows compare exactly by ms. */
function orderedWholeMs(ts: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const t = ts[i] as number;
    if (!Number.isInteger(t) || (i > 0 && t <= (ts[i - 1] as number))) return false;
  }
  return true;
}

/** First index in [from, to) whose ts is > limit (ts ascending). */
function firstAfter(ts: Float64Array, from: number, to: number, limit: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] as number) > limit) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class SeriesWriter {
  private staged = false;

  constructor(private readonly tx: Queryable) {}

  /** Writes one series (its lock already held); returns the rows inserted or changed. */
  async write(s: BarSeries, onRows: (done: number) => void): Promise<number> {
    await this.tx.query(INSTRUMENT, [s.symbol, s.priceDecimals]);
    if (s.length === 0) return 0;
    // [0, a) and [b, n) lie outside the stored span, so they cannot conflict: plain COPY. Out-of-order
    // (or sub-millisecond) input goes through the upsert whole.
    let a = 0;
    let b = s.length;
    if (orderedWholeMs(s.ts, s.length)) {
      const [span] = await this.tx.query<{ lo: number | null; hi: number | null }>(STORED_SPAN, [s.symbol, s.timeframe, s.ts[0], s.ts[s.length - 1]]);
      if (span === undefined || span.lo === null || span.hi === null) {
        a = s.length;
        b = s.length;
      } else {
        a = firstAfter(s.ts, 0, s.length, span.lo - 1);
        b = firstAfter(s.ts, a, s.length, span.hi);
      }
    }
    try {
      let written = 0;
      if (a > 0) written += await this.direct(s, 0, a, onRows);
      if (b > a) written += await this.upsert(s, a, b, (done) => onRows(a + done));
      if (s.length > b) written += await this.direct(s, b, s.length, (done) => onRows(b + done));
      return written;
    } catch (e) {
      const err = e as Pi5Error;
      throw new Pi5Error(err.code ?? 'PI5_ERR_DB', `table bars, ${s.symbol} ${s.timeframe}: ${err.message}`, { ...err.details, symbol: s.symbol });
    }
  }

  private async direct(s: BarSeries, from: number, to: number, onRows: (done: number) => void): Promise<number> {
    await this.tx.copyFrom(DIRECT, copyBinaryChunks(s, from, to, true, onRows));
    return to - from;
  }

  private async upsert(s: BarSeries, from: number, to: number, onRows: (done: number) => void): Promise<number> {
    if (this.staged) await this.tx.exec('truncate bar_stage');
    else await this.tx.exec(STAGE);
    this.staged = true;
    await this.tx.copyFrom('copy bar_stage from stdin (format binary)', copyBinaryChunks(s, from, to, false, onRows));
    const rows = await this.tx.query<{ n: number }>(UPSERT, [s.symbol, s.timeframe]);
    return rows[0]?.n ?? 0;
  }
}

const UPSERT_ONE = `insert into bars (symbol, timeframe, ts, open, high, low, close, volume)
  values ($1, $2, to_timestamp($3::float8 / 1000), $4, $5, $6, $7, $8)
  on conflict (symbol, timeframe, ts) do update set
    open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume`;

/**
 * Upserts a few bars inside the caller's transaction (a live session writes each step's bars with its orders).
 * The series locks keep a concurrent bulk ingest, which COPYs straight into bars, from colliding with them.
 */
export async function upsertBars(tx: Queryable, bars: readonly Bar[]): Promise<void> {
  if (bars.length === 0) return;
  await lockSeries(tx, bars);
  for (const b of bars) await tx.query(UPSERT_ONE, [b.symbol, b.timeframe, b.ts, b.open, b.high, b.low, b.close, b.volume]);
}
