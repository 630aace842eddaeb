// Chart overlays computed in the browser over the loaded bars: SMA, EMA, Bollinger bands, VWAP; and placing
// fills on the bar they happened in. Pure (unit-tested). Outputs align with the input: NaN until warmed up (typed
// arrays: no boxed number per bar).

import type { BarSeries } from '../../../src/model/barSeries.js';

export interface OHLCV {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * Loaded bars one typed array per field, oldest first: joined, measured and drawn without an object per bar. The
 * server's own column layout (type only: nothing of the server is bundled).
 */
export type Bars = Pick<BarSeries, 'length' | 'ts' | 'open' | 'high' | 'low' | 'close' | 'volume'>;

export function sma(values: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] as number;
    if (i >= n) sum -= values[i - n] as number;
    out[i] = i >= n - 1 ? sum / n : Number.NaN;
  }
  return out;
}

/** EMA seeded with the SMA of the first n values (the usual convention). */
export function ema(values: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(values.length);
  const k = 2 / (n + 1);
  let prev = Number.NaN;
  let seed = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (i < n - 1) {
      seed += v;
      out[i] = Number.NaN;
    } else {
      prev = i === n - 1 ? (seed + v) / n : v * k + prev * (1 - k);
      out[i] = prev;
    }
  }
  return out;
}

/** Middle (SMA), upper and lower bands at k population standard deviations. */
export function bollinger(values: ArrayLike<number>, n: number, k: number): { mid: Float64Array; upper: Float64Array; lower: Float64Array } {
  const mid = sma(values, n);
  const upper = new Float64Array(values.length).fill(Number.NaN);
  const lower = new Float64Array(values.length).fill(Number.NaN);
  for (let i = n - 1; i < values.length; i++) {
    const m = mid[i] as number;
    let ss = 0;
    for (let j = i - n + 1; j <= i; j++) ss += ((values[j] as number) - m) ** 2;
    const sd = Math.sqrt(ss / n);
    upper[i] = m + k * sd;
    lower[i] = m - k * sd;
  }
  return { mid, upper, lower };
}

const DAY = 86_400_000;

/**
 * Volume-weighted average of the typical price (h+l+c)/3. Intraday bars restart it each UTC day (the
 * session VWAP); daily or coarser bars anchor it at the first loaded bar. NaN before any volume.
 */
export function vwap(bars: Bars, resetDaily: boolean): Float64Array {
  const out = new Float64Array(bars.length);
  let pv = 0;
  let vol = 0;
  let day = Number.NaN;
  for (let i = 0; i < bars.length; i++) {
    const d = Math.floor((bars.ts[i] as number) / DAY);
    if (resetDaily && d !== day) {
      pv = 0;
      vol = 0;
    }
    day = d;
    const v = bars.volume[i] as number;
    pv += (((bars.high[i] as number) + (bars.low[i] as number) + (bars.close[i] as number)) / 3) * v;
    vol += v;
    out[i] = vol > 0 ? pv / vol : Number.NaN;
  }
  return out;
}

/** Index of the bar a time falls in (the last bar starting at or before it, if within barMs of its start), or -1. */
export function barIndexOf(ts: ArrayLike<number>, t: number, barMs: number): number {
  let lo = 0;
  let hi = ts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ts[mid] ?? Infinity) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && t < (ts[found] ?? 0) + barMs ? found : -1;
}

/** Milliseconds of a timeframe such as '5m', '1h', '1d', '1w', '1M' (a month counted as 31 days: an upper bound). */
export function timeframeMs(tf: string): number | null {
  const m = /^(\d+)([mhdwM])$/.exec(tf);
  if (!m) return null;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, M: 31 * 86_400_000 }[m[2] as 'm' | 'h' | 'd' | 'w' | 'M'];
  return Number(m[1]) * unit;
}
