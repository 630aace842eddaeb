// Chart overlays computed in the browser over the loaded bars: SMA, EMA, Bollinger bands, VWAP; and placing
// fills on the bar they happened in. Pure (unit-tested). Outputs align with the input: null until warmed up.

export interface OHLCV {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export function sma(values: readonly number[], n: number): (number | null)[] {
  const out: (number | null)[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] ?? 0;
    if (i >= n) sum -= values[i - n] ?? 0;
    out.push(i >= n - 1 ? sum / n : null);
  }
  return out;
}

/** EMA seeded with the SMA of the first n values (the usual convention). */
export function ema(values: readonly number[], n: number): (number | null)[] {
  const out: (number | null)[] = [];
  const k = 2 / (n + 1);
  let prev: number | null = null;
  let seed = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    if (i < n - 1) {
      seed += v;
      out.push(null);
    } else if (prev === null) {
      prev = (seed + v) / n;
      out.push(prev);
    } else {
      prev = v * k + prev * (1 - k);
      out.push(prev);
    }
  }
  return out;
}

/** Middle (SMA), upper and lower bands at k population standard deviations. */
export function bollinger(values: readonly number[], n: number, k: number): { mid: (number | null)[]; upper: (number | null)[]; lower: (number | null)[] } {
  const mid = sma(values, n);
  const upper: (number | null)[] = [];
  const lower: (number | null)[] = [];
  for (let i = 0; i < values.length; i++) {
    const m = mid[i];
    if (m === null || m === undefined) {
      upper.push(null);
      lower.push(null);
      continue;
    }
    let ss = 0;
    for (let j = i - n + 1; j <= i; j++) ss += ((values[j] ?? 0) - m) ** 2;
    const sd = Math.sqrt(ss / n);
    upper.push(m + k * sd);
    lower.push(m - k * sd);
  }
  return { mid, upper, lower };
}

const DAY = 86_400_000;

/**
 * Volume-weighted average of the typical price (h+l+c)/3. Intraday bars restart it each UTC day (the
 * session VWAP); daily or coarser bars anchor it at the first loaded bar.
 */
export function vwap(bars: readonly OHLCV[], resetDaily: boolean): (number | null)[] {
  const out: (number | null)[] = [];
  let pv = 0;
  let vol = 0;
  let day = Number.NaN;
  for (const b of bars) {
    const d = Math.floor(b.ts / DAY);
    if (resetDaily && d !== day) {
      pv = 0;
      vol = 0;
    }
    day = d;
    pv += ((b.high + b.low + b.close) / 3) * b.volume;
    vol += b.volume;
    out.push(vol > 0 ? pv / vol : null);
  }
  return out;
}

/** The ts of the bar a time falls in (the last bar starting at or before it), or null outside the bars. */
export function barOf(ts: readonly number[], t: number, barMs: number): number | null {
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
  if (found < 0) return null;
  const start = ts[found] ?? 0;
  return t < start + barMs ? start : null;
}

/** Milliseconds of a timeframe such as '5m', '1h', '1d', '1w', '1M' (a month counted as 31 days: an upper bound). */
export function timeframeMs(tf: string): number | null {
  const m = /^(\d+)([mhdwM])$/.exec(tf);
  if (!m) return null;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, M: 31 * 86_400_000 }[m[2] as 'm' | 'h' | 'd' | 'w' | 'M'];
  return Number(m[1]) * unit;
}
