// Imports into compressed TimescaleDB chunks of `bars`. Writing into a compressed chunk makes TimescaleDB decompress
// rows inside the statement, capped by `timescaledb.max_tuples_decompressed_per_dml_transaction` (100 000 by
// default), so an import decompresses the chunks it changes whole first and compresses them again before it commits.
// A chunk whose incoming rows are all stored already, value for value, is left compressed and those rows are not
// written at all: an identical re-import of old history rewrites nothing (docs/storage.md, "Re-imports into
// compressed chunks").

import type { BarSeries } from '../model/barSeries.js';
import { copyBinaryChunks } from './barBinary.js';
import type { Queryable } from './database.js';

interface CompressedChunk {
  readonly chunk: string;
  /** The chunk's time range [lo, hi), epoch ms. */
  readonly lo: number;
  readonly hi: number;
}

/** Compressed chunks of `bars` that overlap [fromMs, toMs], with their time ranges. */
export function compressedChunksSql(fromMs: number, toMs: number): string {
  return `select format('%I.%I', chunk_schema, chunk_name) as chunk,
      (extract(epoch from range_start) * 1000)::float8 as lo, (extract(epoch from range_end) * 1000)::float8 as hi
    from timescaledb_information.chunks
    where hypertable_name = 'bars' and is_compressed
      and range_end > to_timestamp(${fromMs} / 1000.0) and range_start <= to_timestamp(${toMs} / 1000.0)
    order by range_start`;
}

const CHECK_TABLE = `create temp table if not exists bar_check (symbol text not null, timeframe text not null, ts timestamptz not null,
  open double precision not null, high double precision not null, low double precision not null,
  close double precision not null, volume double precision not null) on commit drop`;

// Incoming rows that are not stored with the same values (new or changed), as a set difference: a hash over both
// sides, where a per-row probe would decompress a batch of the chunk for every row. Then the chunks they fall in.
const CHANGED_CHUNKS = `with changed as materialized (
    select symbol, timeframe, ts, open, high, low, close, volume from bar_check
    except
    select symbol, timeframe, ts, open, high, low, close, volume from bars
    where symbol = any($4::text[]) and ts >= to_timestamp($5::float8 / 1000) and ts < to_timestamp($6::float8 / 1000))
  select c.chunk from unnest($1::text[], $2::float8[], $3::float8[]) as c(chunk, lo, hi)
  where exists (select 1 from changed d where d.ts >= to_timestamp(c.lo / 1000) and d.ts < to_timestamp(c.hi / 1000))`;

/** The rows of `s` whose time `keep` accepts, copied (the same series when it accepts all). */
function filterSeries(s: BarSeries, keep: (t: number) => boolean): BarSeries {
  const idx: number[] = [];
  for (let i = 0; i < s.length; i++) if (keep(s.ts[i] as number)) idx.push(i);
  if (idx.length === s.length) return s;
  const pick = (c: Float64Array): Float64Array => Float64Array.from(idx, (i) => c[i] as number);
  return { ...s, length: idx.length, ts: pick(s.ts), open: pick(s.open), high: pick(s.high), low: pick(s.low), close: pick(s.close), volume: pick(s.volume) };
}

function inAny(chunks: readonly CompressedChunk[]): (t: number) => boolean {
  return (t) => chunks.some((c) => t >= c.lo && t < c.hi);
}

export interface CompressedPlan {
  /** Chunks decompressed for the write: `recompress` them before commit. */
  readonly decompressed: readonly string[];
  /** The series to write: rows that fall in a chunk left compressed (all identical to what is stored) removed. */
  readonly series: readonly BarSeries[];
}

/**
 * Inside the import's transaction (series locks held, so no other import changes these rows meanwhile): finds the
 * compressed chunks over [fromMs, toMs], decompresses those the import changes, and drops the import's rows in the
 * others.
 */
export async function openCompressed(tx: Queryable, series: readonly BarSeries[], fromMs: number, toMs: number): Promise<CompressedPlan> {
  const chunks = await tx.query<CompressedChunk>(compressedChunksSql(fromMs, toMs));
  if (chunks.length === 0) return { decompressed: [], series };
  const inCompressed = inAny(chunks);
  await tx.exec(CHECK_TABLE);
  for (const s of series) {
    const part = filterSeries(s, inCompressed);
    if (part.length > 0) await tx.copyFrom('copy bar_check from stdin (format binary)', copyBinaryChunks(part, 0, part.length, true));
  }
  await tx.exec('analyze bar_check');
  const lo = Math.min(...chunks.map((c) => c.lo));
  const hi = Math.max(...chunks.map((c) => c.hi));
  const changed = new Set(
    (await tx.query<{ chunk: string }>(CHANGED_CHUNKS, [chunks.map((c) => c.chunk), chunks.map((c) => c.lo), chunks.map((c) => c.hi), [...new Set(series.map((s) => s.symbol))], lo, hi])).map((r) => r.chunk),
  );
  for (const c of chunks) if (changed.has(c.chunk)) await tx.query('select decompress_chunk($1::regclass, true)', [c.chunk]);
  const unchanged = chunks.filter((c) => !changed.has(c.chunk));
  const inUnchanged = inAny(unchanged);
  return {
    decompressed: chunks.filter((c) => changed.has(c.chunk)).map((c) => c.chunk),
    series: unchanged.length === 0 ? series : series.map((s) => filterSeries(s, (t) => !inUnchanged(t))),
  };
}

export async function recompress(tx: Queryable, chunks: readonly string[]): Promise<void> {
  for (const c of chunks) await tx.query('select compress_chunk($1::regclass, true)', [c]);
}
