// Risk parity by inverse volatility: each active symbol gets a share of equity proportional to 1/σ, so every
// position carries about the same risk whatever its instrument's volatility.

import { finishQuantity, quantityFor } from './common.js';
import type { PriceHistory, Sizer, SizingInput } from './types.js';
import { VolatilityEstimator, type VolatilityMethod } from './volatility.js';

export interface RiskParityOptions {
  readonly method: VolatilityMethod;
  readonly lookback: number;
}

/**
 * qty = equity × w ÷ price with w = (1/σ) ÷ Σ(1/σⱼ) over the active symbols (this one always included),
 * σ the per-bar relative volatility (annualizing would scale every σ alike and cancel). Peers without an
 * estimate (short history, flat prices) are left out of the sum; this symbol without one gets nothing.
 */
export class RiskParitySizer implements Sizer {
  readonly spec: string;
  private readonly estimator: VolatilityEstimator;
  constructor(
    readonly options: RiskParityOptions,
    spec?: string,
  ) {
    this.spec = spec ?? `risk-parity:${options.method}:${options.lookback}`;
    this.estimator = new VolatilityEstimator(options.method, options.lookback);
  }

  /** Inverse-volatility weight of `i.symbol` among the active symbols (0 without an estimate). */
  weight(i: SizingInput): number {
    const own = i.history ? this.inverseVol(i.history) : 0;
    if (!(own > 0)) return 0;
    let sum = own;
    for (const s of i.activeSymbols?.() ?? []) {
      if (s === i.symbol) continue;
      const h = i.historyOf?.(s);
      const inv = h ? this.inverseVol(h) : 0;
      if (inv > 0) sum += inv;
    }
    return own / sum;
  }

  size(i: SizingInput): number {
    return finishQuantity(quantityFor(i.equity * this.weight(i), i.price), i);
  }

  private inverseVol(h: PriceHistory): number {
    const sigma = this.estimator.estimate(h);
    return sigma > 0 && Number.isFinite(sigma) ? 1 / sigma : 0;
  }
}
