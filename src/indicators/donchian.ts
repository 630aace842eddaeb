// Donchian channel: highest high and lowest low of the last n bars, O(1) amortized via monotonic deques.

import { RollingMax, RollingMin } from './rollingExtreme.js';
import { requirePeriod, type BarIndicator } from './indicator.js';

/**
 * DonchianChannel(period = 20): upper = max(high), lower = min(low) over the last `period` bars, including
 * the current one (compare against the previous bar's channel for breakout signals); middle = (upper + lower)/2.
 * Ready after `period` bars; `value` is the middle. upper and lower are exact (they are inputs).
 */
export class DonchianChannel implements BarIndicator {
  readonly period: number;
  readonly warmUp: number;
  private readonly highs: RollingMax;
  private readonly lows: RollingMin;
  private u = NaN;
  private lo = NaN;
  private mid = NaN;

  constructor(period = 20) {
    this.period = requirePeriod('DonchianChannel', period);
    this.warmUp = period;
    this.highs = new RollingMax(period);
    this.lows = new RollingMin(period);
  }

  get value(): number {
    return this.mid;
  }
  get upper(): number {
    return this.u;
  }
  get lower(): number {
    return this.lo;
  }
  get middle(): number {
    return this.mid;
  }

  get isReady(): boolean {
    return this.highs.isReady;
  }

  updateBar(high: number, low: number): number {
    const u = this.highs.update(high);
    const lo = this.lows.update(low);
    if (this.highs.isReady) {
      this.u = u;
      this.lo = lo;
      this.mid = (u + lo) / 2;
    }
    return this.mid;
  }

  reset(): void {
    this.highs.reset();
    this.lows.reset();
    this.u = NaN;
    this.lo = NaN;
    this.mid = NaN;
  }
}
