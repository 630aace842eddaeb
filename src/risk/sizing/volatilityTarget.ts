// Volatility targeting: a position whose own annualized volatility is a set share of equity, so calm
// instruments get more shares and wild ones fewer.

import { finishQuantity, quantityFor } from './common.js';
import type { Sizer, SizingInput } from './types.js';
import { VolatilityEstimator, periodsPerYearFor, type VolatilityMethod } from './volatility.js';

export interface VolatilityTargetOptions {
  /** Target annualized volatility of the position, in percent of equity (15 = 15%). */
  readonly targetPct: number;
  readonly method: VolatilityMethod;
  /** Bars (ATR) or returns (stdev) the estimate looks back over. */
  readonly lookback: number;
}

/**
 * qty = equity × target ÷ σ ÷ price, σ the per-bar relative volatility (volatility.ts) × √(bars per year). Nothing
 * until the history covers the lookback, and nothing for σ = 0: a flat series gives no estimate to scale by.
 */
export class VolatilityTargetSizer implements Sizer {
  readonly spec: string;
  private readonly estimator: VolatilityEstimator;
  constructor(
    readonly options: VolatilityTargetOptions,
    spec?: string,
  ) {
    this.spec = spec ?? `vol:${options.targetPct}%:${options.method}:${options.lookback}`;
    this.estimator = new VolatilityEstimator(options.method, options.lookback);
  }

  size(i: SizingInput): number {
    const h = i.history;
    if (!h) return 0;
    const sigma = this.estimator.estimate(h) * Math.sqrt(periodsPerYearFor(i, h));
    if (!(sigma > 0) || !Number.isFinite(sigma)) return 0;
    return finishQuantity(quantityFor((i.equity * this.options.targetPct) / 100 / sigma, i.price), i);
  }
}
