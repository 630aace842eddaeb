// Growable columns of one symbol while a CSV is read: capacities double, the result is trimmed with
// subarray, so loading costs one pass and no per-row objects.

import type { Timeframe } from '../../model/types.js';
import type { CsvBarSeries } from './types.js';

export class BarColumns {
  length = 0;
  priceDecimals = 0;
  skippedRows = 0;
  /** Time and line of the last row, to name both lines when order breaks. */
  lastTs = -Infinity;
  lastLine = 0;
  /** The file lists bars newest first; they are reversed on output. */
  descending = false;
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  adjClose: Float64Array | null;
  private capacity: number;

  constructor(
    readonly symbol: string,
    capacity: number,
    withAdjClose: boolean,
  ) {
    this.capacity = Math.max(16, Math.ceil(capacity));
    this.ts = new Float64Array(this.capacity);
    this.open = new Float64Array(this.capacity);
    this.high = new Float64Array(this.capacity);
    this.low = new Float64Array(this.capacity);
    this.close = new Float64Array(this.capacity);
    this.volume = new Float64Array(this.capacity);
    this.adjClose = withAdjClose ? new Float64Array(this.capacity) : null;
  }

  push(ts: number, open: number, high: number, low: number, close: number, volume: number, adjClose: number): void {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.ts[i] = ts;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    if (this.adjClose !== null) this.adjClose[i] = adjClose;
  }

  toSeries(timeframe: Timeframe): CsvBarSeries {
    const n = this.length;
    if (this.descending) {
      this.descending = false;
      for (const column of [this.ts, this.open, this.high, this.low, this.close, this.volume, this.adjClose]) {
        column?.subarray(0, n).reverse();
      }
    }
    const series: CsvBarSeries = {
      symbol: this.symbol,
      timeframe,
      priceDecimals: this.priceDecimals,
      length: n,
      ts: this.ts.subarray(0, n),
      open: this.open.subarray(0, n),
      high: this.high.subarray(0, n),
      low: this.low.subarray(0, n),
      close: this.close.subarray(0, n),
      volume: this.volume.subarray(0, n),
      skippedRows: this.skippedRows,
    };
    return this.adjClose === null ? series : { ...series, adjClose: this.adjClose.subarray(0, n) };
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = (a: Float64Array): Float64Array => {
      const b = new Float64Array(this.capacity);
      b.set(a);
      return b;
    };
    this.ts = grown(this.ts);
    this.open = grown(this.open);
    this.high = grown(this.high);
    this.low = grown(this.low);
    this.close = grown(this.close);
    this.volume = grown(this.volume);
    if (this.adjClose !== null) this.adjClose = grown(this.adjClose);
  }
}
