// Replays in-memory series as time steps (every bar sharing a time, in series order), the same merge a
// backtest makes, so a paper session over the same data sees exactly the bars a backtest sees.

import { barAt, type BarSeries } from '../../model/barSeries.js';
import type { Bar } from '../../model/types.js';
import { SeriesHistory } from '../history.js';
import { unionTimes } from '../../model/timeline.js';
import type { StepSource } from './stepSource.js';

export class ReplayFeed implements StepSource {
  readonly kind = 'replay';
  readonly histories: readonly SeriesHistory[];
  readonly times: Float64Array;
  private readonly cursors: Int32Array;
  private nextIndex = 0;
  /** Bars handed on so far (progress reports). */
  barsDelivered = 0;

  constructor(readonly series: readonly BarSeries[]) {
    this.histories = series.map((s) => new SeriesHistory(s));
    this.times = unionTimes(series);
    this.cursors = new Int32Array(series.length);
  }

  get length(): number {
    return this.times.length;
  }

  /** Index of the step `next()` returns. */
  get position(): number {
    return this.nextIndex;
  }

  get done(): boolean {
    return this.nextIndex >= this.times.length;
  }

  /** Time of the next step, or null at the end of the feed. */
  nextTs(): number | null {
    return this.nextIndex < this.times.length ? (this.times[this.nextIndex] as number) : null;
  }

  /**
   * Delivers the next step's bars in series order, moving each symbol's history to its bar just before the bar
   * is handed on, as the backtest runner does (a strategy reading another symbol sees only what a backtest
   * would). Returns the step's index, or -1 at the end of the feed.
   */
  deliverStep(onBar: (bar: Bar) => void): number {
    const k = this.nextIndex;
    if (k >= this.times.length) return -1;
    const ts = this.times[k] as number;
    this.nextIndex = k + 1;
    for (let j = 0; j < this.series.length; j++) {
      const s = this.series[j] as BarSeries;
      const i = this.cursors[j] as number;
      if (i >= s.length || (s.ts[i] as number) !== ts) continue;
      (this.histories[j] as SeriesHistory).cursor = i;
      this.cursors[j] = i + 1;
      this.barsDelivered++;
      onBar(barAt(s, i));
    }
    return k;
  }
}
