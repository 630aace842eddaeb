// The last `capacity` step returns, kept both in arrival order (a ring, to know which one leaves) and
// sorted (so each historical VaR and expected shortfall is a lookup plus a short tail sum, not a sort).

import { linearQuantileRank, quantileLinear } from '../../core/stats/numeric.js';

export interface TailRisk {
  /** −q_α(r), numpy's linear quantile of the window's returns: a positive loss. */
  readonly valueAtRisk: number;
  /** −mean(r : r ≤ q_α(r)), the same tail rule as the backtest's cvar95. */
  readonly expectedShortfall: number;
}

export class ReturnWindow {
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.ring = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /**
   * Adds a return, dropping the oldest once full. Insertion into the sorted copy is a binary search and
   * one block move: O(capacity) memory traffic, far below a per-step sort. Non-finite returns (equity at
   * zero) are refused by the caller, so the binary searches never meet NaN.
   */
  push(r: number): void {
    if (this.count === this.capacity) {
      const old = this.ring[this.head] as number;
      const at = this.lowerBound(old);
      this.sorted.copyWithin(at, at + 1, this.count);
      this.count--;
    }
    const pos = this.upperBound(r);
    this.sorted.copyWithin(pos + 1, pos, this.count);
    this.sorted[pos] = r;
    this.count++;
    this.ring[this.head] = r;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
  }

  /** The window's returns in ascending order (a view; valid until the next push). */
  ascending(): Float64Array {
    return this.sorted.subarray(0, this.count);
  }

  /** VaR and ES at tail probability `alpha` (0.05 for 95%); null on an empty window. */
  tail(alpha: number): TailRisk | null {
    const n = this.count;
    if (n === 0) return null;
    const sorted = this.ascending();
    const q = quantileLinear(sorted, alpha);
    // As in the backtest's VaR: the lower order statistic guards an ulp lost in the interpolation,
    // so the tail is never empty.
    const cut = Math.max(q, sorted[linearQuantileRank(n, alpha).rank] as number);
    let sum = 0;
    let k = 0;
    while (k < n && (sorted[k] as number) <= cut) sum += sorted[k++] as number;
    // 0 − x rather than −x so a zero quantile reports 0, not −0.
    return { valueAtRisk: 0 - q, expectedShortfall: 0 - sum / k };
  }

  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBound(x: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
