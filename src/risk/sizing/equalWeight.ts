// Equal weight across active signals: equity split evenly between the symbols held or being entered.

import { finishQuantity, quantityFor } from './common.js';
import type { Sizer, SizingInput } from './types.js';

/**
 * qty = equity ÷ max(n, slots) ÷ price, n the active symbols (this one included; 1 when the caller does not
 * say). Signals arrive one at a time, so the first entry of a bar cannot know how many follow: `slots` sets a
 * floor on the divisor (e.g. the number of names a rotation holds) so it does not take the whole account.
 */
export class EqualWeightSizer implements Sizer {
  readonly spec: string;
  constructor(
    readonly slots = 1,
    spec?: string,
  ) {
    this.spec = spec ?? (slots > 1 ? `equal:${slots}` : 'equal');
  }

  /** The divisor: active symbols counting this one, at least `slots`. */
  divisor(i: SizingInput): number {
    const active = i.activeSymbols?.() ?? [];
    const n = active.includes(i.symbol) ? active.length : active.length + 1;
    return Math.max(n, this.slots);
  }

  size(i: SizingInput): number {
    return finishQuantity(quantityFor(i.equity / this.divisor(i), i.price), i);
  }
}
