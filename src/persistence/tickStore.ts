// The tick store: bulk ingest (binary COPY; only rows that may already exist go through an upsert), ordered
// range reads, and ticks → bars in SQL (time buckets → OHLCV) with the rules of src/data/tickBars.ts.

import { Pi5Error } from '../core/errors.js';
import type { BarSeries } from '../model/barSeries.js';
import { parseTimeframe } from '../model/timeframe.js';
import { tickSequence, type TickSeries } from '../model/tickSeries.js';
import type { Database, Queryable } from './database.js';
import { bucketSql, instrumentDecimals } from './barResample.js';
import { seriesFromBuckets, type BucketRow } from './bucketSeries.js';
import { sqlString } from './barBinary.js';
import { lockSeries, spanSql } from './barIngest.js';
import { BarStore } from './barStore.js';
import { assertTicks, decodeTicks, tickCopyChunks } from './tickBinary.js';

export interface TickRange {
  readonly symbol: string;
  /** Inclusive bounds, epoch µs. */
  readonly fromUs?: number;
  readonly toUs?: number;
}

export interface StoredTicks {
  readonly symbol: string;
  readonly firstUs: number;
  readonly lastUs: number;
  readonly count: number;
}

const COLUMNS = 'ts, seq, price, size, bid, ask, exchange, conditions';
const STAGE = `create temp table if not exists tick_stage (ts timestamptz not null, seq integer not null,
  price double precision not null, size double precision not null, bid double precision, ask double precision,
  exchange text, conditions text) on commit drop`;
const UPSERT = `with up as (
  insert into ticks (symbol, ${COLUMNS}) select $1::text, ${COLUMNS} from tick_stage
  on conflict (symbol, ts, seq) do update set price = excluded.price, size = excluded.size, bid = excluded.bid,
    ask = excluded.ask, exchange = excluded.exchange, conditions = excluded.conditions
  where (ticks.price, ticks.size, ticks.bid, ticks.ask, ticks.exchange, ticks.conditions)
    is distinct from (excluded.price, excluded.size, excluded.bid, excluded.ask, excluded.exchange, excluded.conditions)
  returning 1)
select count(*)::int as n from up`;
const INSTRUMENT = `insert into instruments (symbol, price_decimals) values ($1, $2)
  on conflict (symbol) do update set price_decimals = greatest(instruments.price_decimals, excluded.price_decimals)`;
const SPAN = spanSql('ticks', 'symbol = $1 and ts between $2::timestamptz and $3::timestamptz', 1_000_000);

/** An exact timestamptz literal for epoch µs (to_timestamp goes through float seconds and can round). */
export function usText(us: number): string {
  if (!Number.isSafeInteger(us)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `time bound ${String(us)} is not a whole epoch-µs value`);
  const ms = Math.floor(us / 1000);
  return new Date(ms).toISOString().replace('Z', `${String(us - ms * 1000).padStart(3, '0')}Z`);
}

function bounds(r: TickRange): [string, string] {
  return [r.fromUs === undefined ? '-infinity' : usText(r.fromUs), r.toUs === undefined ? 'infinity' : usText(r.toUs)];
}

/** First index in [from, to) whose time is >= limit (times ascending). */
function firstAtOrAfter(ts: Float64Array, from: number, to: number, limit: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] as number) >= limit) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function ascending(ts: Float64Array): boolean {
  for (let i = 1; i < ts.length; i++) if ((ts[i] as number) < (ts[i - 1] as number)) return false;
  return true;
}

export class TickStore {
  constructor(private readonly db: Database) {}

  /** Writes every series in one transaction (all or nothing); returns rows sent and rows inserted or changed. */
  async ingest(series: readonly TickSeries[]): Promise<{ rows: number; written: number }> {
    for (const t of series) assertTicks(t);
    const rows = series.reduce((n, t) => n + t.length, 0);
    const written = await this.db.transaction(async (tx) => {
      // The bars' per-series lock, under a timeframe no bar has: one writer of a symbol's ticks at a time.
      await lockSeries(tx, series.map((t) => ({ symbol: t.symbol, timeframe: 'ticks' })));
      let n = 0;
      for (const t of series) {
        try {
          n += await writeTicks(tx, t);
        } catch (e) {
          const err = e as Pi5Error;
          throw new Pi5Error(err.code ?? 'PI5_ERR_DB', `table ticks, ${t.symbol}: ${err.message}`, { ...err.details, symbol: t.symbol });
        }
      }
      return n;
    });
    return { rows, written };
  }

  /** Ticks of the symbol in the range, in (time, seq) order. */
  async read(range: TickRange): Promise<TickSeries> {
    const [from, to] = bounds(range);
    const chunks: Uint8Array[] = [];
    await this.db.copyTo(
      `copy (select ${COLUMNS} from ticks where symbol = ${sqlString(range.symbol)}
        and ts >= ${sqlString(from)}::timestamptz and ts <= ${sqlString(to)}::timestamptz order by ts, seq) to stdout (format binary)`,
      (chunk) => {
        chunks.push(chunk.slice());
      },
    );
    return decodeTicks(range.symbol, await instrumentDecimals(this.db, range.symbol), chunks);
  }

  async list(): Promise<StoredTicks[]> {
    const rows = await this.db.query<{ symbol: string; lo: number; hi: number; count: number }>(
      `select symbol, (extract(epoch from min(ts)) * 1000000)::float8 as lo, (extract(epoch from max(ts)) * 1000000)::float8 as hi,
        count(*)::int as count from ticks group by symbol order by symbol`,
    );
    return rows.map((r) => ({ symbol: r.symbol, firstUs: r.lo, lastUs: r.hi, count: r.count }));
  }

  /** Bars built from the stored ticks in SQL (not stored); equal to aggregateTicks on the same ticks. */
  async bars(range: TickRange, timeframe: string): Promise<BarSeries> {
    const rows = await this.db.query<BucketRow>(aggregateSql(timeframe), [range.symbol, ...bounds(range)]);
    return seriesFromBuckets(range.symbol, timeframe, rows, await instrumentDecimals(this.db, range.symbol));
  }

  /** Builds the bars in SQL and upserts them into bars (one statement); returns bars built and written. */
  async storeBars(range: TickRange, timeframe: string): Promise<{ bars: number; written: number }> {
    if (this.db.barCatalog !== undefined) {
      // Bars live in the catalog beside the database (decision 0009): built here, merged in there.
      const built = await this.bars(range, timeframe);
      const r = await new BarStore(this.db).ingest([built]);
      return { bars: built.length, written: r.written };
    }
    const agg = aggregateSql(timeframe).replace(/ order by 1$/, '');
    return this.db.transaction(async (tx) => {
      await lockSeries(tx, [{ symbol: range.symbol, timeframe }]);
      const [r] = await tx.query<{ bars: number; written: number }>(
        `with agg as (${agg}),
         up as (
           insert into bars (symbol, timeframe, ts, open, high, low, close, volume)
           select $1::text, $4::text, to_timestamp(bucket_ms / 1000), open, high, low, close, volume from agg order by bucket_ms
           on conflict (symbol, timeframe, ts) do update set
             open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
           where (bars.open, bars.high, bars.low, bars.close, bars.volume)
             is distinct from (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume)
           returning 1)
         select (select count(*) from agg)::int as bars, (select count(*) from up)::int as written`,
        [range.symbol, ...bounds(range), timeframe],
      );
      return { bars: r?.bars ?? 0, written: r?.written ?? 0 };
    });
  }

}

/**
 * Ticks of $1 in [$2, $3] → one row per bucket. The bucket comes from whole ms as numeric (exact for µs
 * times); the volume is summed in (ts, seq) order, the order aggregateTicks adds in, so floats agree bit for bit.
 */
function aggregateSql(timeframe: string): string {
  const tf = parseTimeframe(timeframe);
  if (tf === null) throw new Pi5Error('PI5_ERR_BAD_USAGE', `timeframe ${JSON.stringify(timeframe)} is not a timeframe (e.g. 1m, 1h, 1d)`);
  return `select (${bucketSql(tf, 'floor(extract(epoch from ts) * 1000)')})::float8 as bucket_ms,
      (array_agg(price order by ts, seq))[1] as open, max(price) as high, min(price) as low,
      (array_agg(price order by ts desc, seq desc))[1] as close, sum(size order by ts, seq) as volume
    from ticks where symbol = $1 and ts >= $2::timestamptz and ts <= $3::timestamptz
    group by 1 order by 1`;
}

/** One symbol's ticks inside the ingest transaction (its lock held); returns rows inserted or changed. */
async function writeTicks(tx: Queryable, t: TickSeries): Promise<number> {
  await tx.query(INSTRUMENT, [t.symbol, t.priceDecimals]);
  if (t.length === 0) return 0;
  const seq = tickSequence(t);
  // [0, a) lies before and [b, n) after the stored ticks of the span, so they cannot conflict: plain COPY.
  let a = 0;
  let b = t.length;
  if (ascending(t.tsUs)) {
    const [span] = await tx.query<{ lo: number | null; hi: number | null }>(SPAN, [t.symbol, usText(t.tsUs[0] as number), usText(t.tsUs[t.length - 1] as number)]);
    if (span === undefined || span.lo === null || span.hi === null) a = b = t.length;
    else {
      a = firstAtOrAfter(t.tsUs, 0, t.length, span.lo);
      b = firstAtOrAfter(t.tsUs, a, t.length, span.hi + 1);
    }
  }
  const direct = 'copy ticks (symbol, ts, seq, price, size, bid, ask, exchange, conditions) from stdin (format binary)';
  let written = 0;
  if (a > 0) await tx.copyFrom(direct, tickCopyChunks(t, seq, 0, a, true));
  if (b > a) {
    // Created on first use (dropped at commit), emptied for each further symbol of the import.
    await tx.exec(STAGE);
    await tx.exec('truncate tick_stage');
    await tx.copyFrom('copy tick_stage from stdin (format binary)', tickCopyChunks(t, seq, a, b, false));
    written += (await tx.query<{ n: number }>(UPSERT, [t.symbol]))[0]?.n ?? 0;
  }
  if (t.length > b) await tx.copyFrom(direct, tickCopyChunks(t, seq, b, t.length, true));
  return written + a + (t.length - b);
}
