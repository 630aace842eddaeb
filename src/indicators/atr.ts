// Average true range with Wilder smoothing, seeded like Wilder's original worksheet.

import { requirePeriod, type BarIndicator } from './indicator.js';

/** max(high − low, |high − prevClose|, |low − prevClose|); with no previous close it is high − low. */
export function trueRange(high: number, low: number, prevClose: number): number {
  const range = high - low;
  if (Number.isNaN(prevClose)) return range; // first bar
  const up = Math.abs(high - prevClose);
  const down = Math.abs(low - prevClose);
  return range >= up ? (range >= down ? range : down) : up >= down ? up : down;
}

/**
 * ATR(period = 14). The first bar's true range is high − low (it has no previous close); the first value is
 * the simple mean of the first `period` true ranges, then ATR ← (ATR·(period−1) + TR) / period.
 * Ready after `period` bars. (TA-Lib instead skips the first bar and is ready one bar later.)
 */
export class ATR implements BarIndicator {
  readonly period: number;
  readonly warmUp: number;
  private count = 0;
  private prevClose = NaN;
  private acc = 0;
  private v = NaN;

  constructor(period = 14) {
    this.period = requirePeriod('ATR', period);
    this.warmUp = period;
  }

  get value(): number {
    return this.v;
  }

  get isReady(): boolean {
    return this.count >= this.period;
  }

  updateBar(high: number, low: number, close: number): number {
    const tr = trueRange(high, low, this.prevClose);
    this.prevClose = close;
    const n = ++this.count;
    const p = this.period;
    if (n > p) {
      this.v = (this.v * (p - 1) + tr) / p;
    } else {
      this.acc += tr;
      if (n === p) this.v = this.acc / p;
    }
    return this.v;
  }

  reset(): void {
    this.count = 0;
    this.prevClose = NaN;
    this.acc = 0;
    this.v = NaN;
  }
}
