// Relative strength index with Wilder smoothing, seeded with the simple average of the first `period`
// gains and losses (Wilder's original method, as in TA-Lib).

import { requirePeriod, type SeriesIndicator } from './indicator.js';

/**
 * RSI(period) = 100 − 100 / (1 + avgGain/avgLoss), with avg ← (avg·(period−1) + x) / period.
 * Ready after `period + 1` updates (the first input only sets the previous close).
 *
 * Flat markets: no gains and no losses gives 50 (neither side dominates); gains without losses give 100;
 * losses without gains give 0 (the limits of the formula). This form stays within [0, 100] under rounding.
 */
export class RSI implements SeriesIndicator {
  readonly period: number;
  readonly warmUp: number;
  private count = 0;
  private prev = NaN;
  private avgGain = 0;
  private avgLoss = 0;
  private v = NaN;

  constructor(period = 14) {
    this.period = requirePeriod('RSI', period);
    this.warmUp = period + 1;
  }

  get value(): number {
    return this.v;
  }

  get isReady(): boolean {
    return this.count > this.period;
  }

  update(x: number): number {
    const n = ++this.count;
    const p = this.period;
    if (n > 1) {
      const change = x - this.prev;
      const gain = change > 0 ? change : 0;
      const loss = change < 0 ? -change : 0;
      if (n > p + 1) {
        this.avgGain = (this.avgGain * (p - 1) + gain) / p;
        this.avgLoss = (this.avgLoss * (p - 1) + loss) / p;
      } else {
        // Until the seed is complete the fields hold plain sums.
        this.avgGain += gain;
        this.avgLoss += loss;
        if (n === p + 1) {
          this.avgGain /= p;
          this.avgLoss /= p;
        }
      }
      if (n > p) {
        const g = this.avgGain;
        const l = this.avgLoss;
        this.v = l > 0 ? 100 - 100 / (1 + g / l) : g > 0 ? 100 : 50;
      }
    }
    this.prev = x;
    return this.v;
  }

  reset(): void {
    this.count = 0;
    this.prev = NaN;
    this.avgGain = 0;
    this.avgLoss = 0;
    this.v = NaN;
  }
}
