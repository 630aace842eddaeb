// Binary COPY for bars, both ways: BarSeries columns → COPY chunks, and COPY output → BarSeries.
// Binary because formatting and parsing doubles as text was most of the bulk-path time (docs/storage.md).

import { Pi5Error } from '../core/errors.js';
import { allocateSeries, type BarSeries } from '../model/barSeries.js';

/** Rows per COPY chunk: ~0.6 MB buffers, small enough to stream, large enough to amortize the writes. */
const CHUNK_ROWS = 8192;
const FIELDS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;
/** PostgreSQL timestamps count microseconds from 2000-01-01 UTC. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;
const HEADER = Uint8Array.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** One output row of `ts, open, high, low, close, volume`: field count, then six (length, 8 bytes). */
const ROW_OUT = 2 + FIELDS.length * 12;

/** Throws PI5_ERR_BAD_BAR for the first non-finite value, before anything is written. */
export function assertFinite(s: BarSeries): void {
  for (const f of FIELDS) {
    const col = s[f];
    for (let i = 0; i < s.length; i++) {
      const v = col[i] as number;
      if (!Number.isFinite(v)) {
        throw new Pi5Error('PI5_ERR_BAD_BAR', `${s.symbol} ${s.timeframe} bar ${i}: ${f} ${String(v)} is not a finite number`, { symbol: s.symbol, index: i, field: f });
      }
    }
  }
}

/** Quoted SQL string literal (COPY takes no parameters); standard_conforming_strings keeps `\` literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Binary COPY chunks of rows [from, to) of `s`. With `withKey` each row is
 * `symbol, timeframe, ts, open, high, low, close, volume` (straight into bars), otherwise
 * `ts, open, high, low, close, volume` (the staging table). `onRows` sees the rows done so far.
 */
export function* copyBinaryChunks(s: BarSeries, from: number, to: number, withKey: boolean, onRows?: (done: number) => void): Generator<Uint8Array> {
  const enc = new TextEncoder();
  const symbol = enc.encode(s.symbol);
  const timeframe = enc.encode(s.timeframe);
  const keyBytes = withKey ? 8 + symbol.length + timeframe.length : 0;
  const rowBytes = 2 + FIELDS.length * 12 + keyBytes;
  // Everything but the values is the same in every row: a chunk starts as copies of this template (one native
  // fill), and only the six values are written per row.
  const template = Buffer.alloc(rowBytes);
  const tv = new DataView(template.buffer, template.byteOffset, rowBytes);
  tv.setInt16(0, withKey ? 8 : 6);
  if (withKey) {
    tv.setInt32(2, symbol.length);
    template.set(symbol, 6);
    tv.setInt32(6 + symbol.length, timeframe.length);
    template.set(timeframe, 10 + symbol.length);
  }
  for (let f = 0; f < FIELDS.length; f++) tv.setInt32(2 + keyBytes + f * 12, 8);
  const first = 2 + keyBytes + 4; // the first value (ts) of a row
  yield HEADER;
  for (let start = from; start < to; start += CHUNK_ROWS) {
    const end = Math.min(to, start + CHUNK_ROWS);
    const buf = Buffer.allocUnsafe((end - start) * rowBytes).fill(template);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let p = first;
    for (let i = start; i < end; i++) {
      // int64 microseconds as two 32-bit halves (exact: |µs| < 2^53 for any plausible date).
      const us = Math.round(((s.ts[i] as number) - PG_EPOCH_MS) * 1000);
      const hi = Math.floor(us / TWO_32);
      dv.setInt32(p, hi);
      dv.setUint32(p + 4, us - hi * TWO_32);
      dv.setFloat64(p + 12, s.open[i] as number);
      dv.setFloat64(p + 24, s.high[i] as number);
      dv.setFloat64(p + 36, s.low[i] as number);
      dv.setFloat64(p + 48, s.close[i] as number);
      dv.setFloat64(p + 60, s.volume[i] as number);
      p += rowBytes;
    }
    yield buf;
    onRows?.(end - from);
  }
  yield Uint8Array.from([0xff, 0xff]);
}

interface Block {
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

function block(rows: number): Block {
  const f = (): Float64Array => new Float64Array(rows);
  return { ts: f(), open: f(), high: f(), low: f(), close: f(), volume: f() };
}

const FIRST_BLOCK = 4096;
const MAX_BLOCK = 65_536;

/**
 * Streams binary COPY output of `ts, open, high, low, close, volume` (all NOT NULL) into a BarSeries:
 * feed every chunk to `push`, then call `finish`. Rows go into blocks (no regrowing copies) and are
 * copied once, into exactly sized columns, at the end. Only a row split across two chunks is copied.
 */
export class BarCopyReader {
  private readonly blocks: Block[] = [];
  private cur: Block = block(FIRST_BLOCK);
  private fill = 0;
  private count = 0;
  private carry: Uint8Array = new Uint8Array(0);
  private headerLeft = HEADER.length;
  private ended = false;

  constructor(
    private readonly symbol: string,
    private readonly timeframe: string,
    private readonly decimals: number,
  ) {}

  push(chunk: Uint8Array): void {
    let data = chunk;
    if (this.headerLeft > 0) {
      // The server writes the header without an extension area (flags 0, extension length 0).
      const skip = Math.min(this.headerLeft, data.length);
      this.headerLeft -= skip;
      data = data.subarray(skip);
    }
    let p = 0;
    if (this.carry.length > 0) {
      // Complete the split row from the head of this chunk, then go on in the chunk itself.
      const head = data.subarray(0, Math.min(data.length, ROW_OUT));
      const joined = new Uint8Array(this.carry.length + head.length);
      joined.set(this.carry);
      joined.set(head, this.carry.length);
      const used = this.rows(joined, 0);
      if (head.length === data.length || used < this.carry.length) {
        this.carry = joined.slice(used);
        return;
      }
      p = used - this.carry.length;
    }
    p = this.rows(data, p);
    this.carry = data.slice(p);
  }

  /** Rows read and not yet taken. */
  get held(): number {
    return this.count + this.fill;
  }

  /** The series read; throws if the output was cut short. */
  finish(): BarSeries {
    return BarCopyReader.concat([this]);
  }

  /** The whole rows read since the last take, as a series of their own; the reader goes on from there (streamed reads). */
  take(): BarSeries {
    const out = allocateSeries(this.symbol, this.timeframe, this.held, this.decimals);
    this.copyRows(out, 0);
    this.blocks.length = 0;
    this.count = 0;
    this.fill = 0;
    return out;
  }

  /** Throws unless the output ended where it should (after take, for streamed reads). */
  end(): void {
    if (!this.ended || this.carry.length > 0) throw this.bad('output that ends mid-row');
  }

  /**
   * One series from readers of consecutive parts of it (a read split into time ranges streamed in
   * parallel): every block is copied once, in reader order, into exactly sized columns.
   */
  static concat(readers: readonly BarCopyReader[]): BarSeries {
    const first = readers[0];
    if (first === undefined) throw new Pi5Error('PI5_ERR_INTERNAL', 'BarCopyReader.concat: no readers');
    for (const r of readers) r.end();
    const total = readers.reduce((n, r) => n + r.count + r.fill, 0);
    const out = allocateSeries(first.symbol, first.timeframe, total, first.decimals);
    let at = 0;
    for (const r of readers) at = r.copyRows(out, at);
    return out;
  }

  /** Copies every row held into `out` from index `at`, each block once; returns the index after the last. */
  private copyRows(out: BarSeries, at: number): number {
    for (const b of [...this.blocks, this.cur]) {
      const n = b === this.cur ? this.fill : b.ts.length;
      for (const f of FIELDS) out[f].set(b[f].subarray(0, n), at);
      at += n;
    }
    return at;
  }

  /** Parses whole rows of `data` from `p`; returns where it stopped (a partial row, or past the trailer). */
  private rows(data: Uint8Array, p: number): number {
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const end = data.length;
    let { ts, open, high, low, close, volume } = this.cur;
    let fill = this.fill;
    while (!this.ended && p + 2 <= end) {
      const fields = dv.getInt16(p);
      if (fields === -1) {
        this.ended = true;
        p += 2;
        break;
      }
      if (p + ROW_OUT > end) break;
      if (fields !== FIELDS.length) throw this.bad(`a row of ${fields} fields`);
      for (let q = p + 2; q < p + ROW_OUT; q += 12) if (dv.getInt32(q) !== 8) throw this.bad(`a field of length ${dv.getInt32(q)}`);
      if (fill === ts.length) {
        this.blocks.push(this.cur);
        this.count += fill;
        this.cur = block(Math.min(MAX_BLOCK, this.count));
        ({ ts, open, high, low, close, volume } = this.cur);
        fill = 0;
      }
      ts[fill] = (dv.getInt32(p + 6) * TWO_32 + dv.getUint32(p + 10)) / 1000 + PG_EPOCH_MS;
      open[fill] = dv.getFloat64(p + 18);
      high[fill] = dv.getFloat64(p + 30);
      low[fill] = dv.getFloat64(p + 42);
      close[fill] = dv.getFloat64(p + 54);
      volume[fill] = dv.getFloat64(p + 66);
      fill++;
      p += ROW_OUT;
    }
    this.fill = fill;
    return p;
  }

  private bad(what: string): Pi5Error {
    return new Pi5Error('PI5_ERR_DB', `reading bars of ${this.symbol} ${this.timeframe}: unexpected COPY data (${what})`, { symbol: this.symbol });
  }
}
