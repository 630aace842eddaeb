// Rolling standard deviation, exact up to the final square root: Σx² over the window is kept as integer limbs
// of price units, so n·Σx² − (Σx)² is formed without cancellation or drift, in O(1) per update.

import { PU_DECIMALS } from '../model/money.js';
import { requirePeriod, unitsPerOne, type SeriesIndicator } from './indicator.js';

export type StdevKind = 'sample' | 'population';

// Limb base 2^18: an integer |x| < 2^53 splits into x = h·B² + m·B + l (0 ≤ l, m < B, |h| < 2^17), so every
// limb product is < 2^37 and a window of up to 2^15 of them sums to < 2^52, which doubles hold exactly.
const B = 262_144;
const INV_B = 1 / B;
export const MAX_STDEV_PERIOD = 32_768;

/**
 * RollingStdev(period, kind = 'sample', decimals = 8): √(Σ(x − mean)² / d) over the last `period` inputs,
 * d = period − 1 ('sample', period ≥ 2) or period ('population'); period ≤ 32 768. Ready after `period`
 * updates. `mean` is bit-identical to `SMA(period, decimals)`.
 *
 * Inputs are rounded to `decimals` places (8: `toPu`, for prices; use more, e.g. 12, for returns); exact
 * while period × max|x| × 10^decimals < 2^53, as for `SMA`.
 * The only float steps are the conversion of the exact integer n·Σx² − (Σx)² to a double (a few ulps),
 * the division and the square root, so a constant window gives exactly 0 and nothing accumulates.
 */
export class RollingStdev implements SeriesIndicator {
  readonly period: number;
  readonly warmUp: number;
  readonly kind: StdevKind;
  private readonly scale: number;
  private readonly ring: Float64Array;
  private readonly meanDivisor: number;
  private readonly varDivisor: number;
  private idx = 0;
  private count = 0;
  private sumUnits = 0;
  // Σx² over the window as limb sums with weights B^0 … B^4.
  private a0 = 0;
  private a1 = 0;
  private a2 = 0;
  private a3 = 0;
  private a4 = 0;
  private mu = NaN;
  private sd = NaN;

  constructor(period: number, kind: StdevKind = 'sample', decimals: number = PU_DECIMALS) {
    this.period = requirePeriod(`RollingStdev(${kind})`, period, kind === 'sample' ? 2 : 1, MAX_STDEV_PERIOD);
    this.kind = kind;
    this.warmUp = period;
    this.scale = unitsPerOne('RollingStdev', decimals);
    this.ring = new Float64Array(period);
    this.meanDivisor = period * this.scale;
    this.varDivisor = period * (kind === 'sample' ? period - 1 : period);
  }

  get value(): number {
    return this.sd;
  }
  get stdev(): number {
    return this.sd;
  }
  get mean(): number {
    return this.mu;
  }

  get isReady(): boolean {
    return this.count >= this.period;
  }

  update(x: number): number {
    const u = Math.round(x * this.scale);
    const i = this.idx;
    const old = this.ring[i] ?? 0;
    this.ring[i] = u;
    this.idx = i + 1 === this.period ? 0 : i + 1;
    this.sumUnits += u - old;
    this.addSquare(u, 1);
    this.addSquare(old, -1);
    if (++this.count >= this.period) {
      this.mu = this.sumUnits / this.meanDivisor;
      this.sd = Math.sqrt(this.spreadPu2() / this.varDivisor) / this.scale;
    }
    return this.sd;
  }

  reset(): void {
    this.ring.fill(0);
    this.idx = 0;
    this.count = 0;
    this.sumUnits = 0;
    this.a0 = this.a1 = this.a2 = this.a3 = this.a4 = 0;
    this.mu = NaN;
    this.sd = NaN;
  }

  private addSquare(x: number, sign: number): void {
    const q = Math.floor(x * INV_B);
    const l = x - q * B;
    const h = Math.floor(q * INV_B);
    const m = q - h * B;
    this.a0 += sign * (l * l);
    this.a1 += sign * (2 * l * m);
    this.a2 += sign * (m * m + 2 * l * h);
    this.a3 += sign * (2 * m * h);
    this.a4 += sign * (h * h);
  }

  /** n·Σx² − (Σx)² in units², computed on exact limbs; only the final conversion rounds. */
  private spreadPu2(): number {
    const n = this.period;
    // Carry-normalise Σx² to limbs q0..q4 in [0, B) and a signed top q5.
    let t = this.a0;
    let c = Math.floor(t * INV_B);
    const q0 = t - c * B;
    t = this.a1 + c;
    c = Math.floor(t * INV_B);
    const q1 = t - c * B;
    t = this.a2 + c;
    c = Math.floor(t * INV_B);
    const q2 = t - c * B;
    t = this.a3 + c;
    c = Math.floor(t * INV_B);
    const q3 = t - c * B;
    t = this.a4 + c;
    c = Math.floor(t * INV_B);
    const q4 = t - c * B;
    const q5 = c;
    // Σx as limbs s0, s1 in [0, B) and a signed top s2.
    const sum = this.sumUnits;
    const sq = Math.floor(sum * INV_B);
    const s0 = sum - sq * B;
    const s2 = Math.floor(sq * INV_B);
    const s1 = sq - s2 * B;
    // n·Σx² − (Σx)² limb by limb, then carry-normalise and evaluate from the top.
    t = n * q0 - s0 * s0;
    c = Math.floor(t * INV_B);
    const r0 = t - c * B;
    t = n * q1 - 2 * s0 * s1 + c;
    c = Math.floor(t * INV_B);
    const r1 = t - c * B;
    t = n * q2 - (s1 * s1 + 2 * s0 * s2) + c;
    c = Math.floor(t * INV_B);
    const r2 = t - c * B;
    t = n * q3 - 2 * s1 * s2 + c;
    c = Math.floor(t * INV_B);
    const r3 = t - c * B;
    t = n * q4 - s2 * s2 + c;
    c = Math.floor(t * INV_B);
    const r4 = t - c * B;
    const top = n * q5 + c;
    return ((((top * B + r4) * B + r3) * B + r2) * B + r1) * B + r0;
  }
}
