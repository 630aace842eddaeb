// Field offsets of the CSV row being read, and the general scanner that finds them in any row:
// quoted fields, blanks around values, any field count.

import type { Pi5Error } from '../../core/errors.js';

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

export class RowFields {
  /** Field k is `buf[starts[k], ends[k])`, without quotes or surrounding blanks. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Fields the last `scan` found (it stores at most `starts.length`). */
  count = 0;
  buf: Buffer = Buffer.alloc(0);
  /** End of the last complete row in `buf`. */
  end = 0;

  constructor(
    columns: number,
    private readonly malformed: (what: string) => Pi5Error,
  ) {
    this.starts = new Int32Array(columns);
    this.ends = new Int32Array(columns);
  }

  text(col: number): string {
    return this.buf.toString('utf8', this.starts[col] as number, this.ends[col] as number);
  }

  /** A row holding one empty field. */
  isBlank(): boolean {
    return this.count === 1 && this.starts[0] === this.ends[0];
  }

  /** Finds the fields of the row at `pos`; returns the start of the next row. */
  scan(pos: number): number {
    const buf = this.buf;
    const len = this.end;
    let i = pos;
    let field = 0;
    // Every read checks `len`: bytes past it may be stale chunk contents.
    for (;;) {
      let c: number | undefined;
      while (i < len && ((c = buf[i]) === SPACE || c === TAB)) i++;
      let start = i;
      let end: number;
      if (i < len && buf[i] === QUOTE) {
        start = i + 1;
        end = this.closingQuote(start);
        i = end + 1;
        while (i < len && ((c = buf[i]) === SPACE || c === TAB)) i++;
        if (i < len && c !== COMMA && c !== LF && c !== CR) throw this.malformed('text after a closing quote');
      } else {
        while (i < len && (c = buf[i]) !== COMMA && c !== LF && c !== CR) i++;
        end = i;
        while (end > start && ((c = buf[end - 1]) === SPACE || c === TAB)) end--;
      }
      if (field < this.starts.length) {
        this.starts[field] = start;
        this.ends[field] = end;
      }
      field++;
      if (i < len && buf[i] === COMMA) i++;
      else break;
    }
    this.count = field;
    if (i < len && buf[i] === CR) i++;
    if (i < len && buf[i] === LF) i++;
    return i;
  }

  /** Index of the quote closing a field that starts at `from` (a doubled quote is an escaped one). */
  private closingQuote(from: number): number {
    const buf = this.buf;
    for (let i = from; i < this.end; i++) {
      const c = buf[i];
      if (c === QUOTE) {
        if (buf[i + 1] !== QUOTE) return i;
        i++;
      } else if (c === LF) break;
    }
    throw this.malformed('a quoted field does not end on its line');
  }
}
