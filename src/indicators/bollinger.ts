// Bollinger Bands: the SMA ± k population standard deviations (Bollinger's own definition, as in TA-Lib).

import { Pi5Error } from '../core/errors.js';
import { MAX_STDEV_PERIOD, RollingStdev } from './stdev.js';
import { requirePeriod, type SeriesIndicator } from './indicator.js';

/**
 * BollingerBands(period = 20, k = 2): middle = SMA(period) (bit-identical to `SMA`),
 * upper/lower = middle ± k·σ with σ the population (divide by n) standard deviation. Ready after `period`
 * updates. `value` is the middle band. The mean and σ are exact up to their final rounding (see
 * `RollingStdev`); the band arithmetic is two plain float operations.
 */
export class BollingerBands implements SeriesIndicator {
  readonly period: number;
  readonly k: number;
  readonly warmUp: number;
  private readonly sd: RollingStdev;
  private u = NaN;
  private mid = NaN;
  private lo = NaN;

  constructor(period = 20, k = 2) {
    this.period = requirePeriod('BollingerBands', period, 1, MAX_STDEV_PERIOD);
    if (!Number.isFinite(k) || k < 0) {
      throw new Pi5Error('PI5_ERR_BAD_PARAM', `BollingerBands: k must be a finite number ≥ 0, got ${String(k)}`, { k });
    }
    this.k = k;
    this.warmUp = period;
    this.sd = new RollingStdev(period, 'population');
  }

  get value(): number {
    return this.mid;
  }
  get upper(): number {
    return this.u;
  }
  get middle(): number {
    return this.mid;
  }
  get lower(): number {
    return this.lo;
  }
  /** The population standard deviation behind the bands. */
  get stdev(): number {
    return this.sd.stdev;
  }

  get isReady(): boolean {
    return this.sd.isReady;
  }

  update(x: number): number {
    const sigma = this.sd.update(x);
    if (this.sd.isReady) {
      const mid = this.sd.mean;
      const width = this.k * sigma;
      this.mid = mid;
      this.u = mid + width;
      this.lo = mid - width;
    }
    return this.mid;
  }

  reset(): void {
    this.sd.reset();
    this.u = NaN;
    this.mid = NaN;
    this.lo = NaN;
  }
}
