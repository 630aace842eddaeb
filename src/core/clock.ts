// Clocks: the only place the engine learns the time. Backtests use a simulated clock moved by the data;
// live sessions use the wall clock. Nothing else calls Date.now().

export interface Clock {
  now(): number;
}

export class SimulatedClock implements Clock {
  private t: number;
  constructor(start = 0) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  /** Moves time forward; time never goes backwards. */
  advanceTo(ts: number): void {
    if (ts > this.t) this.t = ts;
  }
}

export class WallClock implements Clock {
  now(): number {
    return Date.now();
  }
}

/** Milliseconds from an arbitrary origin that never jump (latency measurements; `performance.now()`). */
export type MonotonicMs = () => number;
export const monotonicMs: MonotonicMs = () => performance.now();
