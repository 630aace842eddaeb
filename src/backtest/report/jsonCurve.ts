// Writes `[isoTime, equity]` pairs of a long equity curve straight into byte buffers, block by block.
// A 1M-point curve through JSON.stringify (or per-point strings) costs seconds; this stays well under one.

import { Buffer } from 'node:buffer';
import { writeAscii, writeDigits } from '../../core/asciiBytes.js';
import { isoTime } from './format.js';

const DAY_MS = 86_400_000;
/** Times whose ISO text is the plain `YYYY-MM-DDTHH:mm:ss.sssZ` form (years 0000..9999). */
const ISO_MIN_MS = -62_167_219_200_000;
const ISO_MAX_MS = 253_402_300_800_000;
/** Within ±2^26 a double is at most 2^-27 from its neighbours, so a value with ≤ 8 decimals is unique. */
const FAST_LIMIT = 2 ** 26;
const SCALE = 1e8;
/** Longest point: ["+275760-09-13T00:00:00.000Z",-1.2345678901234567e-308] plus a comma. */
const MAX_POINT_BYTES = 64;

const QUOTE = 0x22;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const COLON = 0x3a;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const ZULU = 0x5a;

function write2(buf: Buffer, o: number, n: number): void {
  buf[o] = ZERO + ((n / 10) | 0);
  buf[o + 1] = ZERO + (n % 10);
}

/**
 * Writes String(x) (JSON.stringify(x) for non-finite: null). Values that are exact to 8 decimals —
 * the engine's price-unit precision, so most equity values — are printed from integers, which is
 * several times faster than the general shortest-round-trip conversion and gives the same digits.
 */
export function writeJsonNumber(buf: Buffer, o: number, x: number): number {
  const a = Math.abs(x);
  if (a >= 1 && a < FAST_LIMIT) {
    const r = Math.round(a * SCALE);
    if (r / SCALE === a) {
      if (x < 0) buf[o++] = MINUS;
      const whole = Math.trunc(a);
      o = writeDigits(buf, o, whole);
      let frac = r - whole * SCALE;
      if (frac !== 0) {
        buf[o++] = DOT;
        for (let d = SCALE / 10; frac !== 0; d /= 10) {
          const q = (frac / d) | 0;
          buf[o++] = ZERO + q;
          frac -= q * d;
        }
      }
      return o;
    }
  }
  return writeAscii(buf, o, Number.isFinite(x) ? String(x) : 'null');
}

/** Remembers the date part of the last time written: consecutive bars mostly share a day. */
export class IsoTimeWriter {
  private day = Number.NaN;
  private readonly prefix = Buffer.alloc(11);

  /** Writes JSON.stringify(isoTime(ms)): a quoted ISO string, or null. */
  write(buf: Buffer, o: number, time: number): number {
    // Date truncates fractional milliseconds toward zero; so do we, to print the same instant.
    const ms = Math.trunc(time);
    if (!(ms >= ISO_MIN_MS && ms < ISO_MAX_MS)) {
      const iso = isoTime(time);
      return writeAscii(buf, o, iso === null ? 'null' : `"${iso}"`);
    }
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.prefix.write(new Date(day * DAY_MS).toISOString().slice(0, 11), 0, 'latin1');
    }
    buf[o++] = QUOTE;
    // A byte loop beats Buffer#copy's argument checks for 11 bytes, a million times over.
    const prefix = this.prefix;
    for (let j = 0; j < 11; j++) buf[o + j] = prefix[j] ?? 0;
    o += 11;
    let rest = ms - day * DAY_MS;
    const h = (rest / 3_600_000) | 0;
    rest -= h * 3_600_000;
    const m = (rest / 60_000) | 0;
    rest -= m * 60_000;
    const s = (rest / 1000) | 0;
    rest -= s * 1000;
    write2(buf, o, h);
    buf[o + 2] = COLON;
    write2(buf, o + 3, m);
    buf[o + 5] = COLON;
    write2(buf, o + 6, s);
    buf[o + 8] = DOT;
    buf[o + 9] = ZERO + ((rest / 100) | 0);
    write2(buf, o + 10, rest % 100);
    buf[o + 12] = ZULU;
    buf[o + 13] = QUOTE;
    return o + 14;
  }
}

/**
 * Yields the comma-separated `[time,equity]` points of the curve (without the outer brackets) as
 * ASCII buffers of up to `blockSize` points; blocks after the first start with a comma.
 * Blocks are views of two buffers used in turn: a block stays unchanged until the block after the next
 * is asked for, so one block can be written while the next is formatted (writeChunks), and must be
 * written or copied by then. A fresh buffer per block cost more than formatting it (first-touched
 * memory is slow on small VMs: ~0.2 s CPU for a 1M-point curve).
 */
export function* equityCurveBlocks(
  times: Float64Array,
  equity: Float64Array,
  blockSize = 16_384,
): Generator<Buffer> {
  const iso = new IsoTimeWriter();
  const n = Math.min(times.length, equity.length);
  const bytes = Math.min(n, blockSize) * MAX_POINT_BYTES;
  const first = Buffer.allocUnsafe(bytes);
  const second = Buffer.allocUnsafe(bytes);
  for (let start = 0; start < n; start += blockSize) {
    const buf = (start / blockSize) % 2 === 0 ? first : second;
    const end = Math.min(n, start + blockSize);
    let o = 0;
    for (let i = start; i < end; i++) {
      if (i > 0) buf[o++] = COMMA;
      buf[o++] = OPEN;
      o = iso.write(buf, o, times[i] ?? Number.NaN);
      buf[o++] = COMMA;
      o = writeJsonNumber(buf, o, equity[i] ?? Number.NaN);
      buf[o++] = CLOSE;
    }
    yield buf.subarray(0, o);
  }
}
