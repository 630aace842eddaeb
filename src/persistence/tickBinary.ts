// Binary COPY for ticks, both ways: TickSeries columns → COPY chunks (rows `[symbol,] ts, seq, price,
// size, bid, ask, exchange, conditions`), and COPY output of the same columns (no symbol) → TickSeries.

import { Pi5Error } from '../core/errors.js';
import { allocateTicks, type TickSeries } from '../model/tickSeries.js';

const CHUNK_ROWS = 8192;
/** PostgreSQL timestamps count microseconds from 2000-01-01 UTC. */
const PG_EPOCH_US = 946_684_800_000_000;
const TWO_32 = 4_294_967_296;
const HEADER = Uint8Array.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
const TICK_FIELDS = 8;

/** Throws PI5_ERR_BAD_BAR for the first unusable tick (bad time, price or size), before anything is written. */
export function assertTicks(t: TickSeries): void {
  for (let i = 0; i < t.length; i++) {
    const bad = (field: string, v: number): Pi5Error =>
      new Pi5Error('PI5_ERR_BAD_BAR', `${t.symbol} tick ${i}: ${field} ${String(v)} is not usable`, { symbol: t.symbol, index: i, field });
    const ts = t.tsUs[i] as number;
    if (!Number.isSafeInteger(ts)) throw bad('ts (epoch µs)', ts);
    if (!Number.isFinite(t.price[i] as number)) throw bad('price', t.price[i] as number);
    const size = t.size[i] as number;
    if (!Number.isFinite(size) || size < 0) throw bad('size', size);
    for (const f of ['bid', 'ask'] as const) {
      const v = t[f][i] as number;
      if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) throw bad(f, v);
    }
  }
}

/** Binary COPY chunks of ticks [from, to), `seq` from tickSequence; with `withSymbol` the symbol leads each row. */
export function* tickCopyChunks(t: TickSeries, seq: Int32Array, from: number, to: number, withSymbol: boolean): Generator<Uint8Array> {
  const enc = new TextEncoder();
  const symbol = enc.encode(t.symbol);
  const text = (v: string | null): Uint8Array | null => (v === null ? null : enc.encode(v));
  yield HEADER;
  for (let start = from; start < to; start += CHUNK_ROWS) {
    const end = Math.min(to, start + CHUNK_ROWS);
    const texts: (Uint8Array | null)[] = [];
    let bytes = 0;
    for (let i = start; i < end; i++) {
      const ex = text(t.exchange[i] ?? null);
      const cond = text(t.conditions[i] ?? null);
      texts.push(ex, cond);
      bytes += 2 + (withSymbol ? 4 + symbol.length : 0) + 12 + 8 + 4 * 12 + 8 + (ex?.length ?? 0) + (cond?.length ?? 0);
    }
    const buf = new Uint8Array(bytes);
    const dv = new DataView(buf.buffer);
    let p = 0;
    for (let i = start; i < end; i++) {
      dv.setInt16(p, withSymbol ? TICK_FIELDS + 1 : TICK_FIELDS);
      p += 2;
      if (withSymbol) p = putText(buf, dv, p, symbol);
      // int64 µs as two 32-bit halves (exact: |µs| < 2^53).
      const us = (t.tsUs[i] as number) - PG_EPOCH_US;
      const hi = Math.floor(us / TWO_32);
      dv.setInt32(p, 8);
      dv.setInt32(p + 4, hi);
      dv.setUint32(p + 8, us - hi * TWO_32);
      dv.setInt32(p + 12, 4);
      dv.setInt32(p + 16, seq[i] as number);
      p += 20;
      for (const v of [t.price[i], t.size[i], t.bid[i], t.ask[i]] as number[]) {
        if (Number.isNaN(v)) {
          dv.setInt32(p, -1);
          p += 4;
        } else {
          dv.setInt32(p, 8);
          dv.setFloat64(p + 4, v);
          p += 12;
        }
      }
      const k = (i - start) * 2;
      p = putText(buf, dv, p, texts[k] ?? null);
      p = putText(buf, dv, p, texts[k + 1] ?? null);
    }
    yield buf.subarray(0, p);
  }
  yield Uint8Array.from([0xff, 0xff]);
}

function putText(buf: Uint8Array, dv: DataView, p: number, v: Uint8Array | null): number {
  if (v === null) {
    dv.setInt32(p, -1);
    return p + 4;
  }
  dv.setInt32(p, v.length);
  buf.set(v, p + 4);
  return p + 4 + v.length;
}

/**
 * Parses the whole binary COPY output of `ts, seq, price, size, bid, ask, exchange, conditions` (ordered by
 * ts, seq) into a TickSeries. Tick reads are not on a hot path, so the output is joined first and read once.
 */
export function decodeTicks(symbol: string, decimals: number, chunks: readonly Uint8Array[]): TickSeries {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  const bad = (what: string): Pi5Error => new Pi5Error('PI5_ERR_DB', `reading ticks of ${symbol}: unexpected COPY data (${what})`, { symbol });
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const dec = new TextDecoder();
  const rows: number[] = [];
  // First pass: where each row starts, so the columns are allocated once at their final size.
  let p = HEADER.length;
  for (;;) {
    if (p + 2 > total) throw bad('output that ends mid-row');
    const fields = dv.getInt16(p);
    if (fields === -1) break;
    if (fields !== TICK_FIELDS) throw bad(`a row of ${fields} fields`);
    rows.push(p);
    p += 2;
    for (let f = 0; f < TICK_FIELDS; f++) {
      if (p + 4 > total) throw bad('output that ends mid-row');
      const len = dv.getInt32(p);
      p += 4 + Math.max(0, len);
    }
    if (p > total) throw bad('output that ends mid-row');
  }
  const out = allocateTicks(symbol, rows.length, decimals);
  rows.forEach((start, i) => {
    let q = start + 2;
    out.tsUs[i] = dv.getInt32(q + 4) * TWO_32 + dv.getUint32(q + 8) + PG_EPOCH_US;
    q += 12 + 8; // ts, then seq (implied by the order)
    const cols = [out.price, out.size, out.bid, out.ask];
    for (const col of cols) {
      const len = dv.getInt32(q);
      col[i] = len < 0 ? Number.NaN : dv.getFloat64(q + 4);
      q += 4 + Math.max(0, len);
    }
    for (const col of [out.exchange, out.conditions]) {
      const len = dv.getInt32(q);
      col[i] = len < 0 ? null : dec.decode(data.subarray(q + 4, q + 4 + len));
      q += 4 + Math.max(0, len);
    }
  });
  return out;
}
