// BarSeries → CSV text (Date,Open,High,Low,Close,Volume) that parseBarsCsv reads back to identical arrays.
// Rows are written as bytes into reused blocks: a million rows through per-row strings cost seconds of
// formatting and garbage collection, and the whole text as one string costs its size again in memory.

import { Buffer } from 'node:buffer';
import { writeAscii, writeDigits } from '../../core/asciiBytes.js';
import type { BarSeries } from '../../model/barSeries.js';
import { isDailyOrCoarser, parseTimeframe } from '../../model/timeframe.js';

export interface WriteBarsCsvOptions {
  /**
   * Most decimals a price may need (adjusted series carry more than their tick: data/adjust.ts); a price is written
   * with as many of them as it uses, never fewer than the series' priceDecimals. Default: priceDecimals.
   */
  readonly maxDecimals?: number;
}

const HEADER = 'Date,Open,High,Low,Close,Volume\n';
const DAY_MS = 86_400_000;
/** Times whose ISO text is the plain `YYYY-MM-DDTHH:mm:ss.sssZ` form (years 0000..9999). */
const ISO_MIN_MS = -62_167_219_200_000;
const ISO_MAX_MS = 253_402_300_800_000;
const BLOCK_BYTES = 1 << 20;
/** Room kept free for one row: five numbers of toFixed(≤ 100) text and a date, with margin. */
const ROW_ROOM = 1024;

const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const SPACE = 0x20;
const LF = 0x0a;

/** `x` with `max` decimals, trailing zeros dropped down to `min` decimals (the reference for the fast path). */
function formatPrice(x: number, min: number, max: number): string {
  const text = x.toFixed(max);
  if (max <= min) return text;
  let end = text.length;
  const floor = text.length - (max - min);
  while (end > floor && text.charCodeAt(end - 1) === 48) end--;
  return text.slice(0, min === 0 && end === floor ? end - 1 : end);
}


/**
 * Writes formatPrice(x, min, max) from integers when that is exact: when x is the double nearest to
 * r / 10^max and a double's spacing at x is below 10^-max, toFixed(max) prints r's digits.
 */
class PriceWriter {
  private readonly scale: number;
  private readonly limit: number;

  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {
    this.scale = 10 ** max;
    // ulp(a) ≤ a·2^-52 < 10^-max; halved for margin. Beyond 15 decimals the general path is used.
    this.limit = max <= 15 ? 2 ** 51 / this.scale : 0;
  }

  write(buf: Buffer, o: number, x: number): number {
    const a = Math.abs(x);
    if (a < this.limit) {
      const r = Math.round(a * this.scale);
      if (r / this.scale === a) {
        if (x < 0 && r !== 0) buf[o++] = MINUS;
        const whole = Math.floor(r / this.scale);
        o = writeDigits(buf, o, whole, 1);
        let frac = r - whole * this.scale;
        let digits = this.max;
        // Trailing zeros dropped down to `min` decimals, as formatPrice does.
        while (digits > this.min && frac % 10 === 0) {
          frac /= 10;
          digits--;
        }
        if (digits > 0) {
          buf[o++] = DOT;
          o = writeDigits(buf, o, frac, digits);
        }
        return o;
      }
    }
    return writeAscii(buf, o, formatPrice(x, this.min, this.max));
  }
}

/** Writes the UTC date (and time) of epoch ms as Date#toISOString would, remembering the last day's text. */
class DateWriter {
  private day = Number.NaN;
  private readonly prefix = Buffer.alloc(10);

  constructor(private readonly dateOnly: boolean) {}

  write(buf: Buffer, o: number, time: number): number {
    // Date truncates fractional milliseconds toward zero; so do we, to print the same instant.
    const ms = Math.trunc(time);
    if (!(ms >= ISO_MIN_MS && ms < ISO_MAX_MS)) {
      const iso = new Date(time).toISOString(); // throws on an invalid time, as before
      return writeAscii(buf, o, this.dateOnly ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`);
    }
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.prefix.write(new Date(day * DAY_MS).toISOString().slice(0, 10), 0, 'latin1');
    }
    for (let j = 0; j < 10; j++) buf[o + j] = this.prefix[j] ?? 0;
    o += 10;
    if (this.dateOnly) return o;
    let rest = ms - day * DAY_MS;
    const h = Math.floor(rest / 3_600_000);
    rest -= h * 3_600_000;
    const m = Math.floor(rest / 60_000);
    const s = Math.floor((rest - m * 60_000) / 1000);
    buf[o++] = SPACE;
    o = writeDigits(buf, o, h, 2);
    buf[o++] = COLON;
    o = writeDigits(buf, o, m, 2);
    buf[o++] = COLON;
    return writeDigits(buf, o, s, 2);
  }
}

/** Writes String(v): whole volumes from integers, anything else through the engine. */
function writeVolume(buf: Buffer, o: number, v: number): number {
  if (Number.isInteger(v) && v >= 0 && v < 2 ** 53 && !Object.is(v, -0)) return writeDigits(buf, o, v, 1);
  return writeAscii(buf, o, String(v));
}

/** Rows guessed per byte when sizing a block for a short series (a guess too small only means one more block). */
const ROW_GUESS = 64;

/**
 * Bars of one series as CSV bytes, written in pieces: the header, then rows of one or more consecutive parts of
 * the series (a read streamed from the store), each in ASCII blocks of about a megabyte at most.
 */
export class BarsCsvWriter {
  private readonly price: PriceWriter;
  private readonly date: DateWriter;

  constructor(timeframe: string, priceDecimals: number, opts: WriteBarsCsvOptions = {}) {
    const spec = parseTimeframe(timeframe);
    this.price = new PriceWriter(priceDecimals, Math.max(priceDecimals, opts.maxDecimals ?? priceDecimals));
    this.date = new DateWriter(spec === null || isDailyOrCoarser(spec));
  }

  /** Rows of `series` (the header first when `withHeader`); each block is a fresh Buffer the caller may keep. */
  *blocks(series: BarSeries, withHeader = false): Generator<Buffer> {
    const { price, date } = this;
    const size = Math.min(BLOCK_BYTES, HEADER.length + series.length * ROW_GUESS + ROW_ROOM);
    let buf = Buffer.allocUnsafe(size);
    let o = withHeader ? writeAscii(buf, 0, HEADER) : 0;
    for (let i = 0; i < series.length; i++) {
      if (buf.length - o < ROW_ROOM) {
        yield buf.subarray(0, o);
        buf = Buffer.allocUnsafe(Math.min(BLOCK_BYTES, (series.length - i) * ROW_GUESS + ROW_ROOM));
        o = 0;
      }
      o = date.write(buf, o, series.ts[i] as number);
      buf[o++] = COMMA;
      o = price.write(buf, o, series.open[i] as number);
      buf[o++] = COMMA;
      o = price.write(buf, o, series.high[i] as number);
      buf[o++] = COMMA;
      o = price.write(buf, o, series.low[i] as number);
      buf[o++] = COMMA;
      o = price.write(buf, o, series.close[i] as number);
      buf[o++] = COMMA;
      o = writeVolume(buf, o, series.volume[i] as number);
      buf[o++] = LF;
    }
    if (o > 0) yield buf.subarray(0, o);
  }
}

/**
 * The CSV text of writeBarsCsv in ASCII blocks of about a megabyte each, for writing a long series to a file
 * or stream without ever holding it whole. Each block is a fresh Buffer the caller may keep.
 */
export function barsCsvBlocks(series: BarSeries, opts: WriteBarsCsvOptions = {}): Generator<Buffer> {
  return new BarsCsvWriter(series.timeframe, series.priceDecimals, opts).blocks(series, true);
}

/**
 * Daily and coarser bars are written as their UTC date (YYYY-MM-DD), intraday bars as
 * 'YYYY-MM-DD HH:MM:SS' in UTC (milliseconds dropped); prices carry `priceDecimals` decimals (or more, up to
 * `maxDecimals`, where they need them). Round-trips exactly when prices are rounded to the decimals written.
 */
export function writeBarsCsv(series: BarSeries, opts: WriteBarsCsvOptions = {}): string {
  return Buffer.concat([...barsCsvBlocks(series, opts)]).toString('latin1');
}
