// Simple moving average, exact: the window sum is kept in integer price units (1 pu = 1e-8), so it never drifts
// and equal averages compare equal however long the series.

import { PU_DECIMALS } from '../model/money.js';
import { requirePeriod, unitsPerOne, type SeriesIndicator } from './indicator.js';

/**
 * SMA(period, decimals = 8): mean of the last `period` inputs. Ready after `period` updates.
 *
 * Inputs are rounded to `decimals` places; with the default that is `toPu` (prices have at most 8 decimals),
 * and the result is the double nearest the exact mean of the rounded inputs. Exact while
 * period × max|x| × 10^decimals < 2^53 (with prices: period × max|price| < 9.0e7, e.g. period 900 at
 * 100 000); beyond that the integer sum starts rounding. Feed non-price series (returns) with more decimals.
 */
export class SMA implements SeriesIndicator {
  readonly period: number;
  readonly warmUp: number;
  private readonly scale: number;
  private readonly ring: Float64Array;
  // One division by period·scale (an exact integer) rounds once, to the double nearest the exact mean, so
  // means that are equal (or ordered) in exact arithmetic stay equal (or ordered) as doubles.
  private readonly divisor: number;
  private idx = 0;
  private count = 0;
  private sumUnits = 0;
  private v = NaN;

  constructor(period: number, decimals: number = PU_DECIMALS) {
    this.period = requirePeriod('SMA', period);
    this.warmUp = period;
    this.scale = unitsPerOne('SMA', decimals);
    this.ring = new Float64Array(period);
    this.divisor = period * this.scale;
  }

  get value(): number {
    return this.v;
  }

  get isReady(): boolean {
    return this.count >= this.period;
  }

  update(x: number): number {
    const u = Math.round(x * this.scale);
    const i = this.idx;
    // Slots start at 0, so the first pass subtracts nothing.
    this.sumUnits += u - (this.ring[i] ?? 0);
    this.ring[i] = u;
    this.idx = i + 1 === this.period ? 0 : i + 1;
    if (++this.count >= this.period) this.v = this.sumUnits / this.divisor;
    return this.v;
  }

  reset(): void {
    this.ring.fill(0);
    this.idx = 0;
    this.count = 0;
    this.sumUnits = 0;
    this.v = NaN;
  }
}
