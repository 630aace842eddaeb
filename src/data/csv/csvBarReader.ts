// The hot loop of the CSV bar loader: reads each row's bytes once, parsing numbers as it finds the field
// ends, validates the bar in place and appends it to its symbol's columns. No per-row strings or objects.

import type { Pi5Error } from '../../core/errors.js';
import { BarColumns } from './barColumns.js';
import { DecimalParser, isNullText } from './decimal.js';
import type { CsvLayout } from './header.js';
import { badBar, badRow, orderMessage } from './rowErrors.js';
import { RowFields } from './rowFields.js';
import { TimestampParser } from './timestamp.js';
import type { ZoneConverter } from './timeZone.js';

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const MAX_PRICE_DECIMALS = 8;

/** What a column holds, as far as reading it goes. */
const TEXT = 0; // timestamp, time, symbol or ignored: read as text when needed
const PRICE = 1; // open/high/low/close: ≤ 8 decimals, counted in priceDecimals
const AMOUNT = 2; // volume, adjusted close: any decimals

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
  private readonly kinds: Int8Array;
  /** The current row: its fields and, per number column, the parsed value. */
  private readonly fields: RowFields;
  private readonly values: Float64Array;
  private rowDecimals = 0;
  private line: number;
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
    const { layout } = settings;
    this.file = settings.file;
    this.layout = layout;
    this.line = headerLine;
    this.columnCount = layout.names.length;
    this.fields = new RowFields(this.columnCount, (what) => badRow(this.file, this.line, 'row', null, what));
    this.values = new Float64Array(this.columnCount);
    this.kinds = new Int8Array(this.columnCount).fill(TEXT);
    for (const col of [layout.open, layout.high, layout.low, layout.close]) this.kinds[col] = PRICE;
    for (const col of [layout.volume, layout.adjClose]) if (col >= 0) this.kinds[col] = AMOUNT;
    if (layout.symbol < 0) {
      this.current = new BarColumns(settings.symbol, settings.capacityHint, layout.adjClose >= 0);
      this.bySymbol.set(settings.symbol, this.current);
    }
  }

  /** Reads the rows of `buf[pos, end)`, which must end at a line end or at the end of the input. */
  feed(buf: Buffer, pos: number, end: number): void {
    this.fields.buf = buf;
    this.fields.end = end;
    while (pos < end) {
      this.line++;
      let next = this.readPlainRow(pos);
      if (next >= 0) this.addBar(this.columnsForRow());
      else {
        next = this.fields.scan(pos);
        this.readScannedRow();
      }
      pos = next;
    }
  }

  /** Each symbol's columns in order of first appearance. */
  finish(): BarColumns[] {
    return [...this.bySymbol.values()];
  }

  /**
   * The fast path, one pass over the row: numbers are parsed where they start and must end at the
   * delimiter. Returns the next row's start, or -1 for anything unusual (quotes, padding, bad or missing
   * values, wrong column count, blank line), which `scanRow` and `parseNumbers` then read and report.
   */
  private readPlainRow(pos: number): number {
    const { buf, end, starts, ends } = this.fields;
    const n = this.columnCount;
    const numbers = this.numbers;
    let decimals = 0;
    let i = pos;
    for (let k = 0; k < n; k++) {
      const start = i;
      const kind = this.kinds[k];
      let c: number | undefined;
      if (kind === TEXT) {
        while (i < end && (c = buf[i]) !== COMMA && c !== LF && c !== CR) i++;
        if (i > start && ((c = buf[start]) === QUOTE || c === SPACE || c === TAB || (c = buf[i - 1]) === SPACE || c === TAB)) {
          return -1; // quoted or padded: the general path trims it
        }
      } else {
        const value = numbers.parsePrefix(buf, i, end, kind === PRICE ? MAX_PRICE_DECIMALS : Infinity);
        if (value !== value) return -1;
        i = numbers.stop;
        this.values[k] = value;
        if (kind === PRICE && numbers.decimals > decimals) decimals = numbers.decimals;
      }
      starts[k] = start;
      ends[k] = i;
      // Bytes past `end` may be stale chunk contents: never look at them.
      c = i < end ? buf[i] : LF;
      if (k + 1 < n) {
        if (c !== COMMA) return -1;
        i++;
      } else if (c !== LF && c !== CR) return -1;
    }
    this.rowDecimals = decimals;
    if (i < end && buf[i] === CR) i++;
    if (i < end && buf[i] === LF) i++;
    return i;
  }

  /** The general path after `RowFields.scan`: blank lines, all-null rows, then the numbers and the bar. */
  private readScannedRow(): void {
    if (this.fields.count !== this.columnCount) {
      if (this.fields.isBlank()) return;
      throw this.columnCountError();
    }
    const columns = this.columnsForRow();
    if (this.settings.skipNullRows && this.isNullRow()) {
      columns.skippedRows++;
      return;
    }
    this.parseNumbers();
    this.addBar(columns);
  }

  /** Parses the number columns of a scanned row, naming the first that is not a number. */
  private parseNumbers(): void {
    let decimals = 0;
    for (let k = 0; k < this.columnCount; k++) {
      const kind = this.kinds[k];
      if (kind === TEXT) continue;
      const start = this.fields.starts[k] as number;
      const end = this.fields.ends[k] as number;
      const value = this.numbers.parse(this.fields.buf, start, end, kind === PRICE ? MAX_PRICE_DECIMALS : Infinity);
      if (value !== value) {
        const field = this.fieldName(k);
        const text = this.text(k);
        throw this.badBar(field, text, start === end ? `${field} is empty` : `${field} "${text}" is not a number`);
      }
      this.values[k] = value;
      if (kind === PRICE && this.numbers.decimals > decimals) decimals = this.numbers.decimals;
    }
    this.rowDecimals = decimals;
  }

  private fieldName(col: number): string {
    const l = this.layout;
    const names: Array<[number, string]> = [
      [l.open, 'open'],
      [l.high, 'high'],
      [l.low, 'low'],
      [l.close, 'close'],
      [l.volume, 'volume'],
      [l.adjClose, 'adjClose'],
    ];
    return names.find(([c]) => c === col)?.[1] ?? 'value';
  }

  private columnsForRow(): BarColumns {
    const col = this.layout.symbol;
    if (col < 0) return this.current as BarColumns;
    const start = this.fields.starts[col] as number;
    const end = this.fields.ends[col] as number;
    if (this.current !== null && this.isCurrentSymbol(start, end)) return this.current;
    if (start === end) throw this.badBar('symbol', '', 'symbol is empty');
    const symbol = this.fields.text(col);
    let columns = this.bySymbol.get(symbol);
    if (columns === undefined) {
      columns = new BarColumns(symbol, 1024, this.layout.adjClose >= 0);
      this.bySymbol.set(symbol, columns);
    }
    this.current = columns;
    if (end - start > this.currentSymbol.length) this.currentSymbol = Buffer.alloc(2 * (end - start));
    this.currentSymbolLength = this.fields.buf.copy(this.currentSymbol, 0, start, end);
    return columns;
  }

  /** Same symbol bytes as the previous row: saves decoding a string per row of multi-symbol files. */
  private isCurrentSymbol(start: number, end: number): boolean {
    if (end - start !== this.currentSymbolLength) return false;
    const buf = this.fields.buf;
    for (let i = start, j = 0; i < end; i++, j++) if (buf[i] !== this.currentSymbol[j]) return false;
    return true;
  }

  private isNullRow(): boolean {
    const { open, high, low, close } = this.layout;
    return this.isNullField(open) && this.isNullField(high) && this.isNullField(low) && this.isNullField(close);
  }

  private isNullField(col: number): boolean {
    return isNullText(this.fields.buf, this.fields.starts[col] as number, this.fields.ends[col] as number);
  }

  /** Checks the parsed row as a bar and appends it. */
  private addBar(columns: BarColumns): void {
    const { layout, values } = this;
    const ts = this.readTimestamp();
    const open = values[layout.open] as number;
    const high = values[layout.high] as number;
    const low = values[layout.low] as number;
    const close = values[layout.close] as number;
    const volume = layout.volume < 0 ? 0 : (values[layout.volume] as number);
    const adjClose = layout.adjClose < 0 ? NaN : (values[layout.adjClose] as number);
    if (open < 0 || high < 0 || low < 0 || close < 0 || volume < 0 || adjClose < 0) this.rejectNegative();
    if (high < open || high < close || high < low) this.rejectHigh(high, open, close, low);
    if (low > open || low > close) this.rejectLow(open, close);
    if (columns.descending ? ts >= columns.lastTs : ts <= columns.lastTs) {
      // Newest-first files (Alpha Vantage) are accepted when the second bar already runs backwards.
      if (columns.length === 1 && ts < columns.lastTs) columns.descending = true;
      else this.rejectOrder(columns, ts);
    }
    columns.lastTs = ts;
    columns.lastLine = this.line;
    if (this.rowDecimals > columns.priceDecimals) columns.priceDecimals = this.rowDecimals;
    columns.push(ts, open, high, low, close, volume, adjClose);
  }

  private readTimestamp(): number {
    const { buf, starts, ends } = this.fields;
    const col = this.layout.timestamp;
    const start = starts[col] as number;
    const end = ends[col] as number;
    const zone = this.settings.zone;
    if (this.layout.timeOfDay < 0) {
      const ts = this.times.parse(buf, start, end);
      if (ts !== ts) throw this.badBar('date', this.text(col), `date "${this.text(col)}" is not a date or time`);
      return this.times.local && zone !== null ? zone.toUtc(ts) : ts;
    }
    const day = this.times.parseDate(buf, start, end);
    if (day !== day) throw this.badBar('date', this.text(col), `date "${this.text(col)}" is not a date`);
    const timeCol = this.layout.timeOfDay;
    const clock = this.times.parseTimeOfDay(buf, starts[timeCol] as number, ends[timeCol] as number);
    if (clock !== clock) throw this.badBar('time', this.text(timeCol), `time "${this.text(timeCol)}" is not a time of day`);
    return zone === null ? day + clock : zone.toUtc(day + clock);
  }

  private rejectNegative(): never {
    const l = this.layout;
    const col = [l.open, l.high, l.low, l.close, l.volume, l.adjClose].find((c) => c >= 0 && (this.values[c] as number) < 0) ?? -1;
    const field = this.fieldName(col);
    throw this.badBar(field, this.text(col), `${field} ${this.text(col)} is negative`);
  }

  /** Names the largest price the high falls below (close, then open, then low on ties). */
  private rejectHigh(high: number, open: number, close: number, low: number): never {
    const l = this.layout;
    const [name, col] = close >= open && close >= low ? ['close', l.close] : open >= low ? ['open', l.open] : ['low', l.low];
    throw this.badBar('high', this.text(l.high), `high ${this.text(l.high)} < ${name} ${this.text(col)}`);
  }

  /** Names the smaller of open and close that the low rises above. */
  private rejectLow(open: number, close: number): never {
    const l = this.layout;
    const [name, col] = close <= open ? ['close', l.close] : ['open', l.open];
    throw this.badBar('low', this.text(l.low), `low ${this.text(l.low)} > ${name} ${this.text(col)}`);
  }

  private rejectOrder(columns: BarColumns, ts: number): never {
    const { timestamp, timeOfDay, symbol } = this.layout;
    const value = timeOfDay < 0 ? this.text(timestamp) : `${this.text(timestamp)} ${this.text(timeOfDay)}`;
    const what = orderMessage(ts, columns.lastTs, columns.lastLine, symbol < 0 ? null : columns.symbol, columns.descending);
    throw this.badBar('date', value, what, { previousLine: columns.lastLine });
  }

  private text(col: number): string {
    return this.fields.text(col);
  }

  private badBar(field: string, value: string, what: string, extra: Record<string, unknown> = {}): Pi5Error {
    return badBar(this.file, this.line, field, value, what, extra);
  }

  private columnCountError(): Pi5Error {
    const what = `expected ${this.columnCount} columns (${this.layout.names.join(',')}), found ${this.fields.count}`;
    return badRow(this.file, this.line, 'columns', this.fields.count, what);
  }
}
