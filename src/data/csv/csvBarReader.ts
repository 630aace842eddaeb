// The hot loop of the CSV bar loader: scans each row's bytes into field offsets, parses and validates the
// bar in place and appends it to its symbol's columns. No per-row strings, regexes or objects.

import { Pi5Error } from '../../core/errors.js';
import { BarColumns } from './barColumns.js';
import { DecimalParser, isNullText } from './decimal.js';
import type { CsvLayout } from './header.js';
import { TimestampParser } from './timestamp.js';
import type { ZoneConverter } from './timeZone.js';

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const MAX_PRICE_DECIMALS = 8;

export interface ReaderSettings {
  readonly file: string;
  readonly layout: CsvLayout;
  /** Null when wall-clock times are already UTC. */
  readonly zone: ZoneConverter | null;
  readonly skipNullRows: boolean;
  /** Symbol of a file without a symbol column. */
  readonly symbol: string;
  /** Expected row count, to size the columns once. */
  readonly capacityHint: number;
}

export class CsvBarReader {
  private readonly file: string;
  private readonly layout: CsvLayout;
  private readonly columnCount: number;
  /** Field offsets of the current row: [starts[k], ends[k]) without quotes and surrounding blanks. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private fieldCount = 0;
  private line: number;
  /** The chunk being read and the end of its last complete row. */
  private buf: Buffer = Buffer.alloc(0);
  private end = 0;
  private readonly numbers = new DecimalParser();
  private readonly times = new TimestampParser();
  private readonly bySymbol = new Map<string, BarColumns>();
  private current: BarColumns | null = null;
  /** The current symbol's bytes, copied because chunks are reused. */
  private currentSymbol = Buffer.alloc(64);
  private currentSymbolLength = -1;

  constructor(
    private readonly settings: ReaderSettings,
    headerLine: number,
  ) {
    this.file = settings.file;
    this.layout = settings.layout;
    this.columnCount = settings.layout.names.length;
    this.starts = new Int32Array(this.columnCount);
    this.ends = new Int32Array(this.columnCount);
    this.line = headerLine;
    if (settings.layout.symbol < 0) {
      this.current = new BarColumns(settings.symbol, settings.capacityHint, settings.layout.adjClose >= 0);
      this.bySymbol.set(settings.symbol, this.current);
    }
  }

  /** Reads the rows of `buf[pos, end)`, which must end at a line end or at the end of the input. */
  feed(buf: Buffer, pos: number, end: number): void {
    this.buf = buf;
    this.end = end;
    while (pos < end) {
      this.line++;
      const next = this.scanRow(pos);
      if (this.fieldCount === this.columnCount) this.readRow(this.columnsForRow());
      else if (this.fieldCount !== 1 || this.starts[0] !== this.ends[0]) throw this.columnCountError();
      pos = next; // a blank line (one empty field) is skipped
    }
  }

  /** Each symbol's columns in order of first appearance. */
  finish(): BarColumns[] {
    return [...this.bySymbol.values()];
  }

  /** Fills the field offsets of the row at `pos`; returns the start of the next row. */
  private scanRow(pos: number): number {
    const buf = this.buf;
    const len = this.end;
    const n = this.columnCount;
    let i = pos;
    let field = 0;
    for (;;) {
      let c = buf[i];
      while (c === SPACE || c === TAB) c = buf[++i];
      let start = i;
      let end: number;
      if (c === QUOTE) {
        start = i + 1;
        end = this.closingQuote(start);
        i = end + 1;
        while ((c = buf[i]) === SPACE || c === TAB) i++;
        if (i < len && c !== COMMA && c !== LF && c !== CR) throw this.malformed('text after a closing quote');
      } else {
        while (i < len && (c = buf[i]) !== COMMA && c !== LF && c !== CR) i++;
        end = i;
        while (end > start && ((c = buf[end - 1]) === SPACE || c === TAB)) end--;
      }
      if (field < n) {
        this.starts[field] = start;
        this.ends[field] = end;
      }
      field++;
      if (i < len && buf[i] === COMMA) i++;
      else break;
    }
    this.fieldCount = field;
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

  private columnsForRow(): BarColumns {
    const col = this.layout.symbol;
    if (col < 0) return this.current as BarColumns;
    const start = this.starts[col] as number;
    const end = this.ends[col] as number;
    if (this.current !== null && this.isCurrentSymbol(start, end)) return this.current;
    if (start === end) throw this.badBar('symbol', '', 'symbol is empty');
    const symbol = this.buf.toString('utf8', start, end);
    let columns = this.bySymbol.get(symbol);
    if (columns === undefined) {
      columns = new BarColumns(symbol, 1024, this.layout.adjClose >= 0);
      this.bySymbol.set(symbol, columns);
    }
    this.current = columns;
    if (end - start > this.currentSymbol.length) this.currentSymbol = Buffer.alloc(2 * (end - start));
    this.currentSymbolLength = this.buf.copy(this.currentSymbol, 0, start, end);
    return columns;
  }

  /** Same symbol bytes as the previous row: saves decoding a string per row of multi-symbol files. */
  private isCurrentSymbol(start: number, end: number): boolean {
    if (end - start !== this.currentSymbolLength) return false;
    for (let i = start, j = 0; i < end; i++, j++) if (this.buf[i] !== this.currentSymbol[j]) return false;
    return true;
  }

  private readRow(columns: BarColumns): void {
    const layout = this.layout;
    if (this.settings.skipNullRows && this.isNullRow()) {
      columns.skippedRows++;
      return;
    }
    const ts = this.readTimestamp();
    const open = this.readPrice(layout.open, 'open', columns);
    const high = this.readPrice(layout.high, 'high', columns);
    const low = this.readPrice(layout.low, 'low', columns);
    const close = this.readPrice(layout.close, 'close', columns);
    const volume = layout.volume < 0 ? 0 : this.readNonNegative(layout.volume, 'volume', Infinity);
    const adjClose = layout.adjClose < 0 ? NaN : this.readNonNegative(layout.adjClose, 'adjClose', Infinity);
    if (high < open || high < close || high < low) this.rejectHigh(high, open, close, low);
    if (low > open || low > close) this.rejectLow(open, close);
    if (columns.descending ? ts >= columns.lastTs : ts <= columns.lastTs) {
      // Newest-first files (Alpha Vantage) are accepted when the second bar already runs backwards.
      if (columns.length === 1 && ts < columns.lastTs) columns.descending = true;
      else this.rejectOrder(columns, ts);
    }
    columns.lastTs = ts;
    columns.lastLine = this.line;
    columns.push(ts, open, high, low, close, volume, adjClose);
  }

  private isNullRow(): boolean {
    const { open, high, low, close } = this.layout;
    return this.isNullField(open) && this.isNullField(high) && this.isNullField(low) && this.isNullField(close);
  }

  private isNullField(col: number): boolean {
    return isNullText(this.buf, this.starts[col] as number, this.ends[col] as number);
  }

  private readTimestamp(): number {
    const col = this.layout.timestamp;
    const start = this.starts[col] as number;
    const end = this.ends[col] as number;
    const zone = this.settings.zone;
    if (this.layout.timeOfDay < 0) {
      const ts = this.times.parse(this.buf, start, end);
      if (ts !== ts) throw this.badBar('date', this.text(col), `date "${this.text(col)}" is not a date or time`);
      return this.times.local && zone !== null ? zone.toUtc(ts) : ts;
    }
    const day = this.times.parseDate(this.buf, start, end);
    if (day !== day) throw this.badBar('date', this.text(col), `date "${this.text(col)}" is not a date`);
    const timeCol = this.layout.timeOfDay;
    const clock = this.times.parseTimeOfDay(this.buf, this.starts[timeCol] as number, this.ends[timeCol] as number);
    if (clock !== clock) throw this.badBar('time', this.text(timeCol), `time "${this.text(timeCol)}" is not a time of day`);
    return zone === null ? day + clock : zone.toUtc(day + clock);
  }

  private readPrice(col: number, field: string, columns: BarColumns): number {
    const value = this.readNonNegative(col, field, MAX_PRICE_DECIMALS);
    if (this.numbers.decimals > columns.priceDecimals) columns.priceDecimals = this.numbers.decimals;
    return value;
  }

  private readNonNegative(col: number, field: string, maxDecimals: number): number {
    const start = this.starts[col] as number;
    const end = this.ends[col] as number;
    const value = this.numbers.parse(this.buf, start, end, maxDecimals);
    if (value !== value) {
      const text = this.text(col);
      throw this.badBar(field, text, start === end ? `${field} is empty` : `${field} "${text}" is not a number`);
    }
    if (value < 0) throw this.badBar(field, this.text(col), `${field} ${this.text(col)} is negative`);
    return value;
  }

  /** Names the largest price the high falls below (close, then open, then low on ties). */
  private rejectHigh(high: number, open: number, close: number, low: number): never {
    const { layout } = this;
    const [name, col] =
      close >= open && close >= low ? ['close', layout.close] : open >= low ? ['open', layout.open] : ['low', layout.low];
    throw this.badBar('high', this.text(layout.high), `high ${this.text(layout.high)} < ${name} ${this.text(col)}`);
  }

  /** Names the smaller of open and close that the low rises above. */
  private rejectLow(open: number, close: number): never {
    const { layout } = this;
    const [name, col] = close <= open ? ['close', layout.close] : ['open', layout.open];
    throw this.badBar('low', this.text(layout.low), `low ${this.text(layout.low)} > ${name} ${this.text(col)}`);
  }

  private rejectOrder(columns: BarColumns, ts: number): never {
    const at = (t: number): string => new Date(t).toISOString();
    const whose = this.layout.symbol < 0 ? '' : ` of ${columns.symbol}`;
    const message =
      ts === columns.lastTs
        ? `duplicate bar${whose}: ${at(ts)} repeats line ${columns.lastLine}`
        : `not sorted: bar${whose} at ${at(ts)} comes after line ${columns.lastLine} at ${at(columns.lastTs)}` +
          (columns.descending ? ' in a newest-first file' : '');
    const { timestamp, timeOfDay } = this.layout;
    const value = timeOfDay < 0 ? this.text(timestamp) : `${this.text(timestamp)} ${this.text(timeOfDay)}`;
    throw this.badBar('date', value, message, { previousLine: columns.lastLine });
  }

  private text(col: number): string {
    return this.buf.toString('utf8', this.starts[col] as number, this.ends[col] as number);
  }

  private badBar(field: string, value: string, message: string, extra: Record<string, unknown> = {}): Pi5Error {
    return new Pi5Error('PI5_ERR_BAD_BAR', `${this.file} line ${this.line}: ${message}`, {
      file: this.file,
      line: this.line,
      field,
      value,
      ...extra,
    });
  }

  private columnCountError(): Pi5Error {
    return new Pi5Error(
      'PI5_ERR_BAD_CSV',
      `${this.file} line ${this.line}: expected ${this.columnCount} columns (${this.layout.names.join(',')}), found ${this.fieldCount}`,
      { file: this.file, line: this.line, field: 'columns', value: this.fieldCount },
    );
  }

  private malformed(what: string): Pi5Error {
    return new Pi5Error('PI5_ERR_BAD_CSV', `${this.file} line ${this.line}: ${what}`, {
      file: this.file,
      line: this.line,
      field: 'row',
    });
  }
}
