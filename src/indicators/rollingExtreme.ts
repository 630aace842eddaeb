// Rolling maximum and minimum over a fixed window in O(1) amortized per update, via a monotonic deque kept in
// preallocated typed arrays; results are exact (they are inputs).

import { requirePeriod, type SeriesIndicator } from './indicator.js';

/**
 * The deque behind both classes; it tracks the maximum of sign·x, so RollingMin reuses it with sign −1
 * (negation is exact) and every call site sees one class shape.
 */
class MonotonicWindow {
  private readonly vals: Float64Array;
  // Sequence numbers as doubles: exact up to 2^53 updates.
  private readonly seqs: Float64Array;
  private head = 0;
  private size = 0;
  count = 0;

  constructor(
    readonly period: number,
    private readonly sign: number,
  ) {
    this.vals = new Float64Array(period);
    this.seqs = new Float64Array(period);
  }

  push(x: number): number {
    const p = this.period;
    const y = this.sign * x;
    // Expire first so the deque never holds more than `period` entries.
    if (this.size > 0 && (this.seqs[this.head] ?? 0) <= this.count - p) {
      this.head = this.head + 1 === p ? 0 : this.head + 1;
      this.size--;
    }
    // Entries no greater than the newcomer can never be the extreme again.
    while (this.size > 0) {
      let back = this.head + this.size - 1;
      if (back >= p) back -= p;
      if ((this.vals[back] ?? 0) > y) break;
      this.size--;
    }
    let pos = this.head + this.size;
    if (pos >= p) pos -= p;
    this.vals[pos] = y;
    this.seqs[pos] = this.count;
    this.size++;
    this.count++;
    return this.sign * (this.vals[this.head] ?? 0);
  }

  reset(): void {
    this.head = 0;
    this.size = 0;
    this.count = 0;
  }
}

/** The shared body of RollingMax and RollingMin: a monotonic window in one direction. */
abstract class RollingExtreme implements SeriesIndicator {
  readonly period: number;
  readonly warmUp: number;
  private readonly window: MonotonicWindow;
  private v = NaN;

  protected constructor(name: string, period: number, direction: 1 | -1) {
    this.period = requirePeriod(name, period);
    this.warmUp = period;
    this.window = new MonotonicWindow(period, direction);
  }

  get value(): number {
    return this.v;
  }

  get isReady(): boolean {
    return this.window.count >= this.period;
  }

  update(x: number): number {
    const m = this.window.push(x);
    if (this.window.count >= this.period) this.v = m;
    return this.v;
  }

  reset(): void {
    this.window.reset();
    this.v = NaN;
  }
}

/** RollingMax(period): the largest of the last `period` inputs. Ready after `period` updates. No NaN inputs. */
export class RollingMax extends RollingExtreme {
  constructor(period: number) {
    super('RollingMax', period, 1);
  }
}

/** RollingMin(period): the smallest of the last `period` inputs. Ready after `period` updates. No NaN inputs. */
export class RollingMin extends RollingExtreme {
  constructor(period: number) {
    super('RollingMin', period, -1);
  }
}
