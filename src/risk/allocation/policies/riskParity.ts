// Risk parity (inverse volatility): w_i ∝ 1/σ_i, σ_i the sample stdev of the strategy's step returns over the
// lookback. A strategy with no volatility estimate (flat P&L: it has not traded) keeps the equal share 1/n, so
// it can start trading; the others split the rest by inverse volatility.

import { sampleStdev, windows, type AllocationPolicy } from './types.js';

export const riskParityPolicy: AllocationPolicy = (tracks, opts) => {
  const w = windows(tracks, opts);
  if (w === null) return null;
  const n = w.length;
  const inv = w.map((r) => {
    const sd = sampleStdev(r);
    return sd > 0 ? 1 / sd : 0;
  });
  const flat = inv.filter((x) => x === 0).length;
  const sum = inv.reduce((a, b) => a + b, 0);
  const rest = (n - flat) / n;
  return inv.map((x) => (x === 0 || !(sum > 0) ? 1 / n : (rest * x) / sum));
};
