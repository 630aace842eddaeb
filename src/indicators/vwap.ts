// Volume-weighted average price, cumulative since the session start; call reset() when a session opens.

import type { BarIndicator } from './indicator.js';

/**
 * VWAP(): Σ(typical·volume) / Σvolume over the bars since the last reset(), typical = (high + low + close)/3.
 * The 1/3 is applied once at the end, not per bar, to save a rounding. Ready once the session has seen
 * positive volume (warm-up 1 bar with volume > 0); bars with zero volume leave it unchanged.
 * Sessions: reset() is the one way to start a session (the engine or strategy knows the session calendar).
 * Float sums: relative error grows at most like (bars in session)·2^-53, far below a tick.
 */
export class VWAP implements BarIndicator {
  readonly warmUp = 1;
  private sumPv3 = 0;
  private sumVolume = 0;
  private v = NaN;

  get value(): number {
    return this.v;
  }

  get isReady(): boolean {
    return this.sumVolume > 0;
  }

  /** Volume accumulated in the current session. */
  get sessionVolume(): number {
    return this.sumVolume;
  }

  updateBar(high: number, low: number, close: number, volume: number): number {
    this.sumPv3 += (high + low + close) * volume;
    this.sumVolume += volume;
    if (this.sumVolume > 0) this.v = this.sumPv3 / (3 * this.sumVolume);
    return this.v;
  }

  reset(): void {
    this.sumPv3 = 0;
    this.sumVolume = 0;
    this.v = NaN;
  }
}
