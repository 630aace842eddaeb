// Replays in-memory series as time steps (every bar sharing a time, in series order), the same merge a
// backtest makes, so a paper session over the same data sees exactly the bars a backtest sees.

import { barAt, type BarSeries } from '../../model/barSeries.js';
import type { Bar } from '../../model/types.js';
import { SeriesHistory } from '../history.js';
import { unionTimes } from '../../model/timeline.js';
import type { StepSource } from './stepSource.js';

type BarSlot = { -readonly [K in keyof Bar]: Bar[K] };

export interface ReplayFeedOptions {
  /**
   * Hand on one bar object per series, rewritten for each of its bars, instead of a fresh one: only for runs
   * whose every reader of bars is done with one when its `onBar` returns (a backtest of a strategy declaring
   * `keepsBars: false`). A fresh bar costs ~180 bytes of short-lived heap with its boxed numbers, most of what
   * an optimizer trial allocates; a rewritten one costs none.
   */
  readonly reuseBars?: boolean;
}

export class ReplayFeed implements StepSource {
  readonly kind = 'replay';
  readonly histories: readonly SeriesHistory[];
  readonly times: Float64Array;
  private readonly cursors: Int32Array;
  /** One bar object per series when bars are reused, else null. */
  private readonly slots: readonly BarSlot[] | null;
  private nextIndex = 0;
  /** Bars handed on so far (progress reports). */
  barsDelivered = 0;

  constructor(
    readonly series: readonly BarSeries[],
    options: ReplayFeedOptions = {},
  ) {
    this.histories = series.map((s) => new SeriesHistory(s));
    this.times = unionTimes(series);
    this.cursors = new Int32Array(series.length);
    this.slots = options.reuseBars === true ? series.map(emptySlot) : null;
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
      onBar(this.slots === null ? barAt(s, i) : rewrite(this.slots[j] as BarSlot, s, i));
    }
    return k;
  }
}

/** Fields in barAt's order, so a slot has the hidden class of every other bar; the numbers start as doubles (NaN), so each rewrite updates them in place instead of allocating. */
function emptySlot(s: BarSeries): BarSlot {
  return { symbol: s.symbol, timeframe: s.timeframe, ts: NaN, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN };
}

function rewrite(slot: BarSlot, s: BarSeries, i: number): Bar {
  slot.ts = s.ts[i] as number;
  slot.open = s.open[i] as number;
  slot.high = s.high[i] as number;
  slot.low = s.low[i] as number;
  slot.close = s.close[i] as number;
  slot.volume = s.volume[i] as number;
  return slot;
}
