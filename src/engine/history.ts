// BarHistory implementations: a zero-copy view over an in-memory series (backtests) and a growable
// columnar buffer (aggregated timeframes and live feeds). `ago` 0 is the newest closed bar.

import { Pi5Error } from '../core/errors.js';
import type { BarSeries } from '../model/barSeries.js';
import type { Bar, Timeframe } from '../model/types.js';
import type { BarHistory } from '../strategy/api.js';

function outOfRange(h: BarHistory, ago: number): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `history ${h.symbol} ${h.timeframe}: bar ${ago} ago is not available (${h.length} bars so far)`);
}

abstract class ColumnHistory implements BarHistory {
  abstract readonly symbol: string;
  abstract readonly timeframe: Timeframe;
  abstract get length(): number;
  protected abstract col(name: 'ts' | 'open' | 'high' | 'low' | 'close' | 'volume'): Float64Array;
  protected abstract index(ago: number): number;

  time(ago = 0): number {
    return this.col('ts')[this.index(ago)] as number;
  }
  open(ago = 0): number {
    return this.col('open')[this.index(ago)] as number;
  }
  high(ago = 0): number {
    return this.col('high')[this.index(ago)] as number;
  }
  low(ago = 0): number {
    return this.col('low')[this.index(ago)] as number;
  }
  close(ago = 0): number {
    return this.col('close')[this.index(ago)] as number;
  }
  volume(ago = 0): number {
    return this.col('volume')[this.index(ago)] as number;
  }
  bar(ago = 0): Bar {
    const i = this.index(ago);
    return {
      symbol: this.symbol,
      timeframe: this.timeframe,
      ts: this.col('ts')[i] as number,
      open: this.col('open')[i] as number,
      high: this.col('high')[i] as number,
      low: this.col('low')[i] as number,
      close: this.col('close')[i] as number,
      volume: this.col('volume')[i] as number,
    };
  }
  closes(n: number): number[] {
    const k = Math.min(n, this.length);
    const out = new Array<number>(k);
    for (let j = 0; j < k; j++) out[j] = this.close(k - 1 - j);
    return out;
  }
  protected checked(ago: number): number {
    if (!(ago >= 0 && ago < this.length)) throw outOfRange(this, ago);
    return ago;
  }
}

/** A view of a backtest series up to the current bar; `cursor` is moved by the runner. */
export class SeriesHistory extends ColumnHistory {
  cursor = -1;
  constructor(private readonly series: BarSeries) {
    super();
  }
  get symbol(): string {
    return this.series.symbol;
  }
  get timeframe(): Timeframe {
    return this.series.timeframe;
  }
  get length(): number {
    return this.cursor + 1;
  }
  protected col(name: 'ts' | 'open' | 'high' | 'low' | 'close' | 'volume'): Float64Array {
    return this.series[name];
  }
  protected index(ago: number): number {
    return this.cursor - this.checked(ago);
  }
}

/** A growable buffer of closed bars (aggregated timeframes, live feeds). */
export class BufferHistory extends ColumnHistory {
  private n = 0;
  private cols: Record<'ts' | 'open' | 'high' | 'low' | 'close' | 'volume', Float64Array>;

  constructor(
    readonly symbol: string,
    readonly timeframe: Timeframe,
    capacity = 256,
  ) {
    super();
    this.cols = this.alloc(capacity);
  }
  private alloc(capacity: number): Record<'ts' | 'open' | 'high' | 'low' | 'close' | 'volume', Float64Array> {
    return {
      ts: new Float64Array(capacity),
      open: new Float64Array(capacity),
      high: new Float64Array(capacity),
      low: new Float64Array(capacity),
      close: new Float64Array(capacity),
      volume: new Float64Array(capacity),
    };
  }
  get length(): number {
    return this.n;
  }
  push(bar: Bar): void {
    if (this.n === this.cols.ts.length) {
      const bigger = this.alloc(this.n * 2);
      for (const k of Object.keys(bigger) as Array<keyof typeof bigger>) bigger[k].set(this.cols[k]);
      this.cols = bigger;
    }
    const i = this.n++;
    this.cols.ts[i] = bar.ts;
    this.cols.open[i] = bar.open;
    this.cols.high[i] = bar.high;
    this.cols.low[i] = bar.low;
    this.cols.close[i] = bar.close;
    this.cols.volume[i] = bar.volume;
  }
  protected col(name: 'ts' | 'open' | 'high' | 'low' | 'close' | 'volume'): Float64Array {
    return this.cols[name];
  }
  protected index(ago: number): number {
    return this.n - 1 - this.checked(ago);
  }
}
