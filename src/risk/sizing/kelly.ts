// Fractional Kelly: the growth-optimal bet W − (1 − W) / R, scaled down by a fraction (full Kelly is far too
// volatile when W and R are only estimates) and capped, as a share of equity.

import { finishQuantity, quantityFor } from './common.js';
import type { Sizer, SizingInput, TradeOutcome } from './types.js';

export interface KellyOptions {
  /** Multiplier on the Kelly fraction, in (0, 1] (0.5 = half Kelly). */
  readonly fraction: number;
  /** Largest share of equity, in percent (20 = 20%). */
  readonly capPct: number;
  /** Probability of a winning trade in [0, 1]; with `payoff`, fixes the edge instead of estimating it. */
  readonly winRate?: number;
  /** Average win ÷ average loss (> 0). */
  readonly payoff?: number;
  /** Closed trades needed before an estimate is trusted. */
  readonly minTrades: number;
}

export const DEFAULT_KELLY_CAP_PCT = 25;
export const DEFAULT_KELLY_MIN_TRADES = 20;

/** f* = W − (1 − W) / R, floored at 0 (no edge, no bet); R = ∞ (no losing trade yet) gives W. */
export function kellyFraction(winRate: number, payoff: number): number {
  const f = winRate - (1 - winRate) / payoff;
  return f > 0 ? f : 0;
}

/**
 * Win rate and payoff from trade returns r = pnl ÷ (quantity × entryPrice), so trades of different sizes weigh
 * alike: W = wins ÷ trades, R = mean winning r ÷ mean |losing r|. Break-even trades count only in W's denominator.
 */
export function estimateEdge(trades: readonly TradeOutcome[]): { winRate: number; payoff: number } {
  let wins = 0;
  let losses = 0;
  let winSum = 0;
  let lossSum = 0;
  for (const t of trades) {
    const r = t.pnl / (t.quantity * t.entryPrice);
    if (!Number.isFinite(r)) continue;
    if (r > 0) {
      wins++;
      winSum += r;
    } else if (r < 0) {
      losses++;
      lossSum -= r;
    }
  }
  const n = trades.length;
  const payoff = losses === 0 ? Infinity : wins === 0 ? 0 : winSum / wins / (lossSum / losses);
  return { winRate: n === 0 ? 0 : wins / n, payoff };
}

/**
 * qty = equity × min(fraction × f*, cap) ÷ price. With winRate and payoff given they are used as they are;
 * otherwise they are estimated from the closed trades, and nothing is traded before `minTrades` of them.
 */
export class KellySizer implements Sizer {
  readonly spec: string;
  constructor(
    readonly options: KellyOptions,
    spec?: string,
  ) {
    this.spec = spec ?? `kelly:${options.fraction}:cap=${options.capPct}%`;
  }

  /** The share of equity to commit (0 … cap/100). */
  equityShare(i: SizingInput): number {
    const o = this.options;
    let edge: { winRate: number; payoff: number };
    if (o.winRate !== undefined && o.payoff !== undefined) {
      edge = { winRate: o.winRate, payoff: o.payoff };
    } else {
      const trades = i.closedTrades?.() ?? [];
      if (trades.length < o.minTrades || trades.length === 0) return 0;
      edge = estimateEdge(trades);
    }
    return Math.min(o.fraction * kellyFraction(edge.winRate, edge.payoff), o.capPct / 100);
  }

  size(i: SizingInput): number {
    return finishQuantity(quantityFor(i.equity * this.equityShare(i), i.price), i);
  }
}
