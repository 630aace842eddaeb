// Builds bars of a coarser timeframe from base bars of one symbol. A coarser bar is emitted as soon as it
// is known to be complete: when a base bar closes at the bucket's end, or when the next bucket starts.

import { bucketEnd, bucketStart, type TimeframeSpec } from './timeframe.js';
import type { Bar } from './types.js';

export class BarAggregator {
  private start = NaN;
  private end = NaN;
  private open = 0;
  private high = 0;
  private low = 0;
  private close = 0;
  private volume = 0;

  constructor(
    readonly symbol: string,
    readonly target: TimeframeSpec,
    private readonly baseMs: number,
    private readonly emit: (bar: Bar) => void,
  ) {}

  /** Call before the base bar's own processing: closes the previous bucket if this bar starts a new one. */
  beforeBar(ts: number): void {
    if (!Number.isNaN(this.start) && ts >= this.end) this.flush();
  }

  /** Adds the base bar; emits the coarser bar if this base bar completes its bucket. */
  add(bar: Bar): void {
    if (Number.isNaN(this.start)) {
      this.start = bucketStart(this.target, bar.ts);
      this.end = bucketEnd(this.target, this.start);
      this.open = bar.open;
      this.high = bar.high;
      this.low = bar.low;
      this.volume = 0;
    }
    if (bar.high > this.high) this.high = bar.high;
    if (bar.low < this.low) this.low = bar.low;
    this.close = bar.close;
    this.volume += bar.volume;
    if (bar.ts + this.baseMs >= this.end) this.flush();
  }

  /** Emits a partly built bucket (end of data in offline resampling; never used live). */
  flushOpen(): void {
    if (!Number.isNaN(this.start)) this.flush();
  }

  private flush(): void {
    const bar: Bar = {
      symbol: this.symbol,
      timeframe: this.target.text,
      ts: this.start,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume: this.volume,
    };
    this.start = NaN;
    this.emit(bar);
  }
}
