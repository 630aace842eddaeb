// Sharpe weighted: in proportion to each strategy's trailing Sharpe ratio (mean ÷ sample stdev of its step
// returns, not annualized: the scale cancels in the weights), floored at 0. A flat series has no Sharpe: 0.

import { mean, normalize, sampleStdev, windows, type AllocationPolicy } from './types.js';

export function trailingSharpe(returns: readonly number[]): number {
  const sd = sampleStdev(returns);
  if (!(sd > 0)) return 0;
  return mean(returns) / sd;
}

export const sharpeWeightedPolicy: AllocationPolicy = (tracks, opts) => {
  const w = windows(tracks, opts);
  return w === null ? null : normalize(w.map((r) => Math.max(0, trailingSharpe(r))));
};
