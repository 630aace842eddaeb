// Average directional index with +DI/−DI, Wilder smoothing throughout (Wilder 1978, as in TA-Lib).

import { trueRange } from './atr.js';
import { requirePeriod, type BarIndicator } from './indicator.js';

/**
 * ADX(period = 14). From the second bar: +DM = up if up > down and up > 0 else 0 (up = high − prevHigh,
 * down = prevLow − low), −DM likewise, TR uses the previous close. TR, +DM and −DM are seeded with the mean
 * of their first `period` values (bars 2 … period+1) then Wilder-smoothed (s ← (s·(period−1) + x) / period);
 * ±DI = 100·DM/TR; DX = 100·|+DI − −DI| / (+DI + −DI); ADX is the mean of the first `period` DX values, then
 * Wilder-smoothed. Ready after `2·period` bars; all outputs (adx, plusDI, minusDI) are NaN until then.
 * Flat markets: TR = 0 gives ±DI = 0, and +DI + −DI = 0 gives DX = 0.
 */
export class ADX implements BarIndicator {
  readonly period: number;
  readonly warmUp: number;
  private count = 0;
  private prevHigh = NaN;
  private prevLow = NaN;
  private prevClose = NaN;
  private tr = 0;
  private plusDm = 0;
  private minusDm = 0;
  private dxAcc = 0;
  private adxRaw = 0;
  private a = NaN;
  private pdi = NaN;
  private mdi = NaN;

  constructor(period = 14) {
    this.period = requirePeriod('ADX', period);
    this.warmUp = 2 * period;
  }

  get value(): number {
    return this.a;
  }
  get adx(): number {
    return this.a;
  }
  get plusDI(): number {
    return this.pdi;
  }
  get minusDI(): number {
    return this.mdi;
  }

  get isReady(): boolean {
    return this.count >= this.warmUp;
  }

  updateBar(high: number, low: number, close: number): number {
    const n = ++this.count;
    if (n > 1) this.step(n - 1, high, low);
    this.prevHigh = high;
    this.prevLow = low;
    this.prevClose = close;
    return this.a;
  }

  /** k counts directional movements (bars after the first). */
  private step(k: number, high: number, low: number): void {
    const p = this.period;
    const up = high - this.prevHigh;
    const down = this.prevLow - low;
    const pdm = up > down && up > 0 ? up : 0;
    const mdm = down > up && down > 0 ? down : 0;
    const tr = trueRange(high, low, this.prevClose);
    if (k > p) {
      this.tr = (this.tr * (p - 1) + tr) / p;
      this.plusDm = (this.plusDm * (p - 1) + pdm) / p;
      this.minusDm = (this.minusDm * (p - 1) + mdm) / p;
    } else {
      this.tr += tr;
      this.plusDm += pdm;
      this.minusDm += mdm;
      if (k < p) return;
      this.tr /= p;
      this.plusDm /= p;
      this.minusDm /= p;
    }
    const pdi = this.tr > 0 ? (100 * this.plusDm) / this.tr : 0;
    const mdi = this.tr > 0 ? (100 * this.minusDm) / this.tr : 0;
    const diSum = pdi + mdi;
    const dx = diSum > 0 ? (100 * Math.abs(pdi - mdi)) / diSum : 0;
    // The first DX arrives at k = p; the p-th at k = 2p − 1, i.e. bar 2p.
    const j = k - p + 1;
    if (j > p) {
      this.adxRaw = (this.adxRaw * (p - 1) + dx) / p;
    } else {
      this.dxAcc += dx;
      if (j < p) return;
      this.adxRaw = this.dxAcc / p;
    }
    this.a = this.adxRaw;
    this.pdi = pdi;
    this.mdi = mdi;
  }

  reset(): void {
    this.count = 0;
    this.prevHigh = NaN;
    this.prevLow = NaN;
    this.prevClose = NaN;
    this.tr = 0;
    this.plusDm = 0;
    this.minusDm = 0;
    this.dxAcc = 0;
    this.adxRaw = 0;
    this.a = NaN;
    this.pdi = NaN;
    this.mdi = NaN;
  }
}
