// Moving average convergence/divergence: fast EMA − slow EMA, its signal EMA, and their difference.

import { EMA } from './ema.js';
import { Pi5Error } from '../core/errors.js';
import { requirePeriod, type SeriesIndicator } from './indicator.js';

/**
 * MACD(fast = 12, slow = 26, signal = 9). All three EMAs are SMA-seeded (see `EMA`); both line EMAs start
 * on the first input and the signal EMA on the first MACD value (update `slow`).
 * Ready after `slow + signal − 1` updates (34 with the defaults); until then every output is NaN.
 * `value` is the MACD line.
 */
export class MACD implements SeriesIndicator {
  readonly warmUp: number;
  private readonly fastEma: EMA;
  private readonly slowEma: EMA;
  private readonly signalEma: EMA;
  private m = NaN;
  private s = NaN;
  private h = NaN;

  constructor(fast = 12, slow = 26, signal = 9) {
    requirePeriod('MACD fast', fast);
    requirePeriod('MACD slow', slow);
    requirePeriod('MACD signal', signal);
    if (fast >= slow) {
      throw new Pi5Error('PI5_ERR_BAD_PARAM', `MACD: fast period ${fast} must be below slow period ${slow}`, {
        fast,
        slow,
      });
    }
    this.fastEma = new EMA(fast);
    this.slowEma = new EMA(slow);
    this.signalEma = new EMA(signal);
    this.warmUp = slow + signal - 1;
  }

  get value(): number {
    return this.m;
  }
  get macd(): number {
    return this.m;
  }
  get signal(): number {
    return this.s;
  }
  get histogram(): number {
    return this.h;
  }

  get isReady(): boolean {
    return this.signalEma.isReady;
  }

  update(x: number): number {
    const fast = this.fastEma.update(x);
    const slow = this.slowEma.update(x);
    if (this.slowEma.isReady) {
      const line = fast - slow;
      const sig = this.signalEma.update(line);
      if (this.signalEma.isReady) {
        this.m = line;
        this.s = sig;
        this.h = line - sig;
      }
    }
    return this.m;
  }

  reset(): void {
    this.fastEma.reset();
    this.slowEma.reset();
    this.signalEma.reset();
    this.m = NaN;
    this.s = NaN;
    this.h = NaN;
  }
}
