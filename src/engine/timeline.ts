// Merges many symbols' series by time: the sorted union of bar times, so each time step visits the
// bars that share it in the order the series were given (deterministic ties).

import type { BarSeries } from '../model/barSeries.js';

/** Sorted distinct bar times across all series. */
export function unionTimes(series: readonly BarSeries[]): Float64Array {
  if (series.length === 1) return (series[0] as BarSeries).ts;
  let total = 0;
  for (const s of series) total += s.length;
  const all = new Float64Array(total);
  let k = 0;
  for (const s of series) {
    all.set(s.ts, k);
    k += s.length;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) {
    if (n === 0 || all[i] !== all[n - 1]) all[n++] = all[i] as number;
  }
  return all.slice(0, n);
}
