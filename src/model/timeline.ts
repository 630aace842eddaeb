// Merges many symbols' series by time: the sorted union of bar times, so each time step visits the
// bars that share it in the order the series were given (deterministic ties).

import type { BarSeries } from './barSeries.js';

function sameTimes(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Union of two sorted arrays of distinct times. */
function mergeTwo(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x < y) {
      out[n++] = x;
      i++;
    } else if (y < x) {
      out[n++] = y;
      j++;
    } else {
      out[n++] = x;
      i++;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++] as number;
  while (j < b.length) out[n++] = b[j++] as number;
  return n === out.length ? out : out.slice(0, n);
}

/** Sorted distinct bar times across all series: pairwise merges, O(n log k). */
export function unionTimes(series: readonly BarSeries[]): Float64Array {
  const first = series[0];
  if (!first) return new Float64Array(0);
  // Common case: every symbol trades on the same calendar.
  if (series.every((s) => sameTimes(s.ts, first.ts))) return first.ts;
  let level: Float64Array[] = series.map((s) => s.ts);
  while (level.length > 1) {
    const next: Float64Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const a = level[i] as Float64Array;
      const b = level[i + 1];
      next.push(b === undefined ? a : mergeTwo(a, b));
    }
    level = next;
  }
  return level[0] as Float64Array;
}
