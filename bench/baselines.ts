// Simple references measured beside our figures in the same run: what a straightforward hand-written
// loop does with the same data, so ratios mean something on a noisy machine.

import type { BarSeries } from '../src/model/barSeries.js';

/**
 * The SMA crossover as a plain loop over the arrays: float running sums, next-open fills, no events,
 * orders, risk or portfolio. The engine does much more per bar; this is the floor it is compared with.
 */
export function plainLoopSmaCross(s: BarSeries, fast: number, slow: number): number {
  const close = s.close;
  const open = s.open;
  let sumF = 0;
  let sumS = 0;
  let prevDiff = NaN;
  let pos = 0;
  let pending = 0;
  let cash = 100_000;
  for (let i = 0; i < s.length; i++) {
    if (pending !== 0) {
      cash -= pending * (open[i] as number);
      pos += pending;
      pending = 0;
    }
    const c = close[i] as number;
    sumF += c;
    sumS += c;
    if (i >= fast) sumF -= close[i - fast] as number;
    if (i >= slow) sumS -= close[i - slow] as number;
    if (i + 1 >= slow) {
      const diff = sumF / fast - sumS / slow;
      if (diff > 0 && prevDiff <= 0 && pos === 0) pending = 100;
      else if (diff < 0 && prevDiff >= 0 && pos > 0) pending = -pos;
      prevDiff = diff;
    }
  }
  return cash + pos * (close[s.length - 1] as number);
}
