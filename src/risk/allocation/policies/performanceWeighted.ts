// Performance weighted: in proportion to each strategy's compounded return over the lookback, losers
// floored at 0 (a losing strategy gets nothing until its trailing return is positive again).

import { normalize, windows, type AllocationPolicy } from './types.js';

/** Π(1 + r) − 1 over the window. */
export function trailingReturn(returns: readonly number[]): number {
  let g = 1;
  for (const r of returns) g *= 1 + r;
  return g - 1;
}

export const performanceWeightedPolicy: AllocationPolicy = (tracks, opts) => {
  const w = windows(tracks, opts);
  return w === null ? null : normalize(w.map((r) => Math.max(0, trailingReturn(r))));
};
