// Drawdown of the equity curve: the deepest fall from a running peak, and the longest time spent
// between one peak and the first bar strictly above it (METRICS.md, maxDrawdown and its duration).

import { DAY_MS } from './returns.js';

export interface DrawdownStats {
  /** max_t (1 − E_t / max_{s≤t} E_s), a positive fraction. */
  readonly maxDrawdown: number;
  /** Longest peak-to-new-high span as an index difference in E_0..E_N. */
  readonly maxDrawdownDuration: number;
  /** The same span in days. */
  readonly maxDrawdownDays: number;
}

/** Time of E_i: E_0 has no bar of its own, so it takes the first bar's time (the cash is there when it opens). */
function timeOfEquity(times: Float64Array, i: number): number {
  if (times.length === 0) return 0;
  return times[i === 0 ? 0 : i - 1] as number;
}

/**
 * Scans E_0..E_N once. A running peak is set at index 0 and at every bar strictly above it; equalling
 * the peak does not end the span. A span still open at the end runs to the last bar. When several
 * spans tie for the most bars, maxDrawdownDays is the longest of them in days (weekends and holidays
 * can make equal bar counts differ in time).
 */
export function drawdownStats(equity: Float64Array, times: Float64Array): DrawdownStats {
  const n = equity.length - 1;
  let peak = equity[0] as number;
  let peakIndex = 0;
  let maxDrawdown = 0;
  let longestBars = 0;
  let longestMs = 0;
  for (let t = 1; t <= n; t++) {
    const e = equity[t] as number;
    if (e > peak) {
      const bars = t - peakIndex;
      if (bars >= longestBars) {
        const ms = timeOfEquity(times, t) - timeOfEquity(times, peakIndex);
        if (bars > longestBars || ms > longestMs) longestMs = ms;
        longestBars = bars;
      }
      peak = e;
      peakIndex = t;
    } else {
      // (peak − E_t) / peak rather than 1 − E_t / peak: the difference is exact near the peak.
      const dd = (peak - e) / peak;
      if (dd > maxDrawdown) maxDrawdown = dd;
    }
  }
  const openBars = n - peakIndex;
  if (openBars >= longestBars) {
    const ms = timeOfEquity(times, n) - timeOfEquity(times, peakIndex);
    if (openBars > longestBars || ms > longestMs) longestMs = ms;
    longestBars = openBars;
  }
  return { maxDrawdown, maxDrawdownDuration: longestBars, maxDrawdownDays: longestMs / DAY_MS };
}
