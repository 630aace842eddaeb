// The sizers that need nothing but the account and the entry price: fixed quantity, fixed notional, percent
// of equity, and fixed-fractional risk to the signal's stop.

import { finishQuantity, quantityFor } from './common.js';
import type { Sizer, SizingInput } from './types.js';

/** qty = quantity. */
export class FixedQuantitySizer implements Sizer {
  constructor(
    readonly quantity: number,
    readonly spec = String(quantity),
  ) {}
  size(i: SizingInput): number {
    return finishQuantity(this.quantity, i);
  }
}

/** qty = notional ÷ price. */
export class FixedNotionalSizer implements Sizer {
  constructor(
    readonly notional: number,
    readonly spec = `$${notional}`,
  ) {}
  size(i: SizingInput): number {
    return finishQuantity(quantityFor(this.notional, i.price), i);
  }
}

/** qty = equity × pct / 100 ÷ price. */
export class PercentOfEquitySizer implements Sizer {
  constructor(
    readonly pct: number,
    readonly spec = `${pct}%`,
  ) {}
  size(i: SizingInput): number {
    return finishQuantity(quantityFor((i.equity * this.pct) / 100, i.price), i);
  }
}

/** qty = equity × riskPct / 100 ÷ |price − stop|; nothing without a stop away from the price. */
export class FixedFractionalRiskSizer implements Sizer {
  constructor(
    readonly riskPct: number,
    readonly spec = `risk:${riskPct}%`,
  ) {}
  size(i: SizingInput): number {
    const stop = i.stopPrice;
    if (stop === undefined) return 0;
    const distance = Math.abs(i.price - stop);
    if (!(distance > 0)) return 0;
    return finishQuantity((i.equity * this.riskPct) / 100 / distance, i);
  }
}
