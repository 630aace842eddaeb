// Recent volatility of a symbol from its bars, through the indicator library's ATR and RollingStdev, so
// sizing and strategies agree on the numbers. Volatility here is relative (a fraction of the price).

import { parseTimeframe, periodsPerYear as timeframePeriodsPerYear } from '../../model/timeframe.js';
import { ATR } from '../../indicators/atr.js';
import { RollingStdev } from '../../indicators/stdev.js';
import type { PriceHistory, SizingInput } from './types.js';

export type VolatilityMethod = 'atr' | 'stdev';

/** Returns carry more places than prices: 12 decimals keeps 1e-12 resolution while the integer sums stay exact. */
const RETURN_DECIMALS = 12;

/** ATR over the last `lookback` bars (its oldest true range is that bar's high − low) ÷ the last close. */
function atrVolatility(h: PriceHistory, lookback: number): number {
  if (h.length < lookback) return NaN;
  const atr = new ATR(lookback);
  for (let ago = lookback - 1; ago >= 0; ago--) atr.updateBar(h.high(ago), h.low(ago), h.close(ago));
  const last = h.close(0);
  return last > 0 ? atr.value / last : NaN;
}

/** Feeds the simple returns close/prevClose − 1 from `fromAgo` down to the newest; false at a non-positive close. */
function feedReturns(sd: RollingStdev, h: PriceHistory, fromAgo: number): boolean {
  for (let ago = fromAgo; ago >= 0; ago--) {
    const prev = h.close(ago + 1);
    if (!(prev > 0)) return false;
    sd.update(h.close(ago) / prev - 1);
  }
  return true;
}

/** Sample standard deviation of the last `lookback` simple returns (lookback + 1 closes). */
function stdevVolatility(h: PriceHistory, lookback: number): number {
  if (h.length < lookback + 1) return NaN;
  const sd = new RollingStdev(lookback, 'sample', RETURN_DECIMALS);
  return feedReturns(sd, h, lookback - 1) ? sd.value : NaN;
}

/** Per-bar relative volatility; NaN when the history is too short or prices are not positive. */
export function barVolatility(h: PriceHistory, method: VolatilityMethod, lookback: number): number {
  return method === 'atr' ? atrVolatility(h, lookback) : stdevVolatility(h, lookback);
}

interface Cached {
  length: number;
  newestTime: number;
  value: number;
  /** The stdev window, kept so the next bar costs one update (its sums are exact: same value as a fresh one). */
  sd: RollingStdev | null;
}

/**
 * `barVolatility` with a memory per history object: a repeat on the same bar is free, and a stdev window
 * takes only the bars added since. Histories without `time` are always computed afresh.
 */
export class VolatilityEstimator {
  private readonly cache = new WeakMap<PriceHistory, Cached>();
  constructor(
    readonly method: VolatilityMethod,
    readonly lookback: number,
  ) {}

  estimate(h: PriceHistory): number {
    if (!h.time || h.length === 0) return barVolatility(h, this.method, this.lookback);
    const newestTime = h.time(0);
    const c = this.cache.get(h);
    if (c && c.length === h.length && c.newestTime === newestTime) return c.value;
    const next = this.method === 'stdev' ? this.stdev(h, c) : { value: atrVolatility(h, this.lookback), sd: null };
    this.cache.set(h, { length: h.length, newestTime, ...next });
    return next.value;
  }

  private stdev(h: PriceHistory, c: Cached | undefined): { value: number; sd: RollingStdev | null } {
    const n = this.lookback;
    if (h.length < n + 1 || !h.time) return { value: NaN, sd: null };
    const added = c ? h.length - c.length : 0;
    // Extend the old window only when the history grew by whole bars on top of the bar it ended at.
    if (c?.sd && added > 0 && added <= n && h.time(added) === c.newestTime) {
      return feedReturns(c.sd, h, added - 1) ? { value: c.sd.value, sd: c.sd } : { value: NaN, sd: null };
    }
    const sd = new RollingStdev(n, 'sample', RETURN_DECIMALS);
    return feedReturns(sd, h, n - 1) ? { value: sd.value, sd } : { value: NaN, sd: null };
  }
}

/** Bars per year: the input's override, else from the history's timeframe (252 trading days, 390-minute sessions). */
export function periodsPerYearFor(i: SizingInput, h: PriceHistory): number {
  if (i.periodsPerYear !== undefined) return i.periodsPerYear;
  const tf = parseTimeframe(h.timeframe);
  return tf ? timeframePeriodsPerYear(tf) : NaN;
}
