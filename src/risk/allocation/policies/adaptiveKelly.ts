// Adaptive Kelly: each strategy's Kelly fraction f* = W − (1 − W)/R from its own closed trades (the sizing
// module's estimate), scaled by `fraction`, capped at `capPct`, then normalized so the weights sum to 1.
// Needs `minTrades` closed trades from every strategy.

import { estimateEdge, kellyFraction } from '../../sizing/kelly.js';
import { normalize, type AllocationPolicy } from './types.js';

export const adaptiveKellyPolicy: AllocationPolicy = (tracks, opts) => {
  const k = opts.kelly;
  if (tracks.some((t) => t.trades.length < k.minTrades)) return null;
  return normalize(
    tracks.map((t) => {
      const { winRate, payoff } = estimateEdge(t.trades);
      return Math.min(k.fraction * kellyFraction(winRate, payoff), k.capPct / 100);
    }),
  );
};
