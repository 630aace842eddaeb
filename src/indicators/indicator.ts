// The shapes every indicator shares, so strategies and the shared contract test can treat them alike.
// All outputs of an indicator are NaN until `isReady`; `warmUp` is the number of updates that takes.

import { Pi5Error } from '../core/errors.js';

export interface Indicator {
  /** The primary output; NaN until ready. */
  readonly value: number;
  readonly isReady: boolean;
  /** Updates needed before the indicator is ready. */
  readonly warmUp: number;
  /** Back to the state right after construction. */
  reset(): void;
}

/** Fed one number per update (usually a close). */
export interface SeriesIndicator extends Indicator {
  update(x: number): number;
}

/** Fed one bar per update. */
export interface BarIndicator extends Indicator {
  updateBar(high: number, low: number, close: number, volume?: number): number;
}

/** Indicator windows are validated once at construction so updates can stay branch-light. */
export function requirePeriod(indicator: string, period: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(period) || period < min || period > max) {
    throw new Pi5Error(
      'PI5_ERR_BAD_PARAM',
      `${indicator}: period must be an integer in [${min}, ${max}], got ${String(period)}`,
      { indicator, period },
    );
  }
  return period;
}

/**
 * Scale for the integer sums of SMA and RollingStdev: inputs are rounded to `decimals` places. The default, 8,
 * is the money module's price unit (x · 10^8 rounded is exactly `toPu(x)`); non-price series such as returns
 * want more places.
 */
export function unitsPerOne(indicator: string, decimals: number): number {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) {
    const message = `${indicator}: decimals must be an integer in [0, 15], got ${String(decimals)}`;
    throw new Pi5Error('PI5_ERR_BAD_PARAM', message, { indicator, decimals });
  }
  return 10 ** decimals;
}
