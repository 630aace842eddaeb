// Exponential moving average, seeded with the mean of its first `period` inputs (the TA-Lib / StockCharts
// convention), so its early values do not hinge on the very first input.

import { requirePeriod, type SeriesIndicator } from './indicator.js';

/**
 * EMA(period): α = 2 / (period + 1); value ← value + α·(x − value). Ready after `period` updates,
 * when value = the mean of those inputs. Plain floats throughout (unlike `SMA`, no rounding to pu), because
 * an EMA is often fed values that are not prices, such as the MACD line; the recursion is float anyway.
 */
export class EMA implements SeriesIndicator {
  readonly period: number;
  readonly warmUp: number;
  readonly alpha: number;
  private count = 0;
  private seedSum = 0;
  private v = NaN;

  constructor(period: number) {
    this.period = requirePeriod('EMA', period);
    this.warmUp = period;
    this.alpha = 2 / (period + 1);
  }

  get value(): number {
    return this.v;
  }

  get isReady(): boolean {
    return this.count >= this.period;
  }

  update(x: number): number {
    const n = ++this.count;
    if (n > this.period) {
      this.v += this.alpha * (x - this.v);
    } else {
      this.seedSum += x;
      if (n === this.period) this.v = this.seedSum / this.period;
    }
    return this.v;
  }

  reset(): void {
    this.count = 0;
    this.seedSum = 0;
    this.v = NaN;
  }
}
