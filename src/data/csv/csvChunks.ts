// Feeds CSV bytes to the row reader a chunk of whole lines at a time, so a 50 MB string or file never
// becomes one 50 MB Buffer: on small VMs first-touching fresh memory costs more than parsing it.

import { Pi5Error } from '../../core/errors.js';
import { parseTimeframe } from '../../model/timeframe.js';
import type { Timeframe } from '../../model/types.js';
import type { BarColumns } from './barColumns.js';
import { CsvBarReader } from './csvBarReader.js';
import { resolveLayout, splitHeaderLine, type CsvLayout } from './header.js';
import { ZoneConverter } from './timeZone.js';
import type { CsvParseOptions } from './types.js';

const LF = 10;
const CHUNK_BYTES = 1 << 20;
/** UTF-16 units encoded per step; at most 3 bytes each, so a step always fits its room. */
const STRING_STEP = 1 << 18;
const encoder = new TextEncoder();

export interface ParsedColumns {
  readonly layout: CsvLayout;
  readonly columns: BarColumns[];
  readonly timeframe: Timeframe | undefined;
}

export class CsvChunkParser {
  private chunk = Buffer.alloc(0);
  private filled = 0;
  private reader: CsvBarReader | null = null;
  private layout: CsvLayout | null = null;
  private readonly zone: ZoneConverter | null;
  private readonly timeframe: Timeframe | undefined;

  /** `expectedBytes` (the input's size, roughly) sizes the columns once. */
  constructor(
    private readonly opts: CsvParseOptions,
    private readonly expectedBytes: number,
  ) {
    const timeZone = opts.timeZone ?? 'UTC';
    this.zone = ZoneConverter.isUtc(timeZone) ? null : new ZoneConverter(timeZone);
    this.timeframe = opts.timeframe === undefined ? undefined : checkedTimeframe(opts.timeframe);
  }

  /** Room for at least `minBytes` more input after what is buffered (grows for a line longer than a chunk). */
  private space(minBytes: number): Buffer {
    if (this.chunk.length - this.filled < minBytes) {
      const grown = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, 2 * (this.filled + minBytes)));
      this.chunk.copy(grown, 0, 0, this.filled);
      this.chunk = grown;
    }
    return this.chunk.subarray(this.filled);
  }

  /** Takes `n` bytes written into `space()`, reads every complete line and keeps the partial last one. */
  private commit(n: number): void {
    this.filled += n;
    const used = this.consume(this.chunk, this.filled, false);
    this.chunk.copyWithin(0, used, this.filled);
    this.filled -= used;
  }

  /** Takes a copy of `bytes[0, n)` as the next input (the caller may reuse `bytes`) and reads every complete line. */
  push(bytes: Buffer, n: number): void {
    bytes.copy(this.space(n), 0, 0, n);
    this.commit(n);
  }

  /** Reads what is buffered as the input's last line(s). */
  end(): ParsedColumns {
    this.consume(this.chunk, this.filled, true);
    this.filled = 0;
    return this.result();
  }

  /** The whole input as one Buffer, read in place. */
  whole(buf: Buffer): ParsedColumns {
    this.consume(buf, buf.length, true);
    return this.result();
  }

  /** A string, encoded a step at a time into the reused chunk. */
  string(text: string): ParsedColumns {
    let pos = 0;
    while (pos < text.length) {
      let cut = Math.min(text.length, pos + STRING_STEP);
      const last = text.charCodeAt(cut - 1);
      if (cut < text.length && last >= 0xd800 && last <= 0xdbff) cut--; // never split a surrogate pair
      const { read, written } = encoder.encodeInto(text.slice(pos, cut), this.space(3 * STRING_STEP));
      pos += read;
      this.commit(written);
    }
    return this.end();
  }

  private result(): ParsedColumns {
    if (this.reader === null || this.layout === null) throw new Pi5Error('PI5_ERR_INTERNAL', 'CSV header was never read');
    return { layout: this.layout, columns: this.reader.finish(), timeframe: this.timeframe };
  }

  /** Reads the complete lines of `buf[0, end)`; returns how many bytes it used. */
  private consume(buf: Buffer, end: number, eof: boolean): number {
    let pos = 0;
    if (this.reader === null) {
      pos = this.readHeader(buf, end, eof);
      if (pos < 0) return 0;
    }
    const limit = eof ? end : end > 0 ? buf.lastIndexOf(LF, end - 1) + 1 : 0;
    if (limit > pos) (this.reader as CsvBarReader).feed(buf, pos, limit);
    return Math.max(pos, limit);
  }

  /** Sets up the reader from the header line; returns where rows start, or -1 until the line is complete. */
  private readHeader(buf: Buffer, end: number, eof: boolean): number {
    const file = this.opts.source;
    const bodyStart = end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    const lf = indexOfLf(buf, bodyStart, end);
    if (lf === end && !eof) return -1;
    const header = buf.toString('utf8', bodyStart, lf).replace(/\r$/, '');
    if (header.trim() === '') throw new Pi5Error('PI5_ERR_BAD_CSV', `${file}: no header row`, { file, line: 1 });
    const layout = resolveLayout(splitHeaderLine(header), file);
    const rowsStart = Math.min(end, lf + 1);
    const firstRowBytes = indexOfLf(buf, rowsStart, end) + 1 - rowsStart;
    this.layout = layout;
    this.reader = new CsvBarReader(
      {
        file,
        layout,
        zone: this.zone,
        skipNullRows: this.opts.skipNullRows ?? true,
        symbol: this.opts.symbol ?? 'UNKNOWN',
        // A small margin over the first row's share keeps most inputs to one allocation per column.
        capacityHint: (this.expectedBytes / Math.max(8, firstRowBytes)) * 1.05 + 16,
      },
      1,
    );
    return rowsStart;
  }
}

/** First LF in `buf[from, end)`, or `end` (a reused chunk holds stale bytes past `end`). */
function indexOfLf(buf: Buffer, from: number, end: number): number {
  const i = buf.indexOf(LF, from);
  return i < 0 || i > end ? end : i;
}

function checkedTimeframe(text: string): Timeframe {
  if (parseTimeframe(text) === null) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `timeframe "${text}" is not a timeframe (e.g. 5m, 1h, 1d)`, {
      field: 'timeframe',
      value: text,
    });
  }
  return text;
}
