// Timeframe of a series from its timestamps: the most common positive gap between consecutive bars,
// named in the project's timeframe notation ('5m', '1h', '1d', '1w', '1M').

import type { Timeframe } from '../../model/types.js';

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Most common non-zero gap; counts runs of equal gaps at once so regular data costs few map updates. */
export function modalGap(ts: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  let run = 0;
  let runGap = NaN;
  for (let i = 1; i < ts.length; i++) {
    // Absolute: newest-first columns are inferred before they are reversed.
    const gap = Math.abs((ts[i] as number) - (ts[i - 1] as number));
    if (!(gap > 0)) continue;
    if (gap === runGap) {
      run++;
      continue;
    }
    if (run > 0) counts.set(runGap, (counts.get(runGap) ?? 0) + run);
    runGap = gap;
    run = 1;
  }
  if (run > 0) counts.set(runGap, (counts.get(runGap) ?? 0) + run);
  let best = NaN;
  let bestCount = 0;
  for (const [gap, count] of counts) {
    if (count > bestCount || (count === bestCount && gap < best)) {
      best = gap;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Names a gap: exact seconds, minutes and hours below 20 h; 20–36 h is a day (DST-shifted daily bars
 * are 23 or 25 h apart); 5–10 days a week (holiday-shifted keys); 25–35 days a month, 85–95 days a
 * quarter. Null when the gap fits none of these.
 */
export function timeframeOfGap(gap: number): Timeframe | null {
  if (!(gap > 0)) return null;
  if (gap < MINUTE) return gap % SECOND === 0 ? `${gap / SECOND}s` : null;
  if (gap < 20 * HOUR) {
    if (gap % HOUR === 0) return `${gap / HOUR}h`;
    return gap % MINUTE === 0 ? `${gap / MINUTE}m` : null;
  }
  if (gap < 36 * HOUR) return '1d';
  if (gap < 5 * DAY) return gap % DAY === 0 ? `${gap / DAY}d` : null;
  if (gap < 10 * DAY) return '1w';
  if (gap >= 25 * DAY && gap <= 35 * DAY) return '1M';
  if (gap >= 85 * DAY && gap <= 95 * DAY) return '3M';
  return null;
}

/** The timeframe of `ts`, or null with fewer than two bars or an unnamed gap. */
export function inferTimeframe(ts: ArrayLike<number>): Timeframe | null {
  return timeframeOfGap(modalGap(ts));
}
