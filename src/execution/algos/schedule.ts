// Slice schedules for TWAP and VWAP: cumulative target quantities due by given times. Rounding the
// cumulative target (not each slice) spreads an uneven remainder and always sums to the total.

export interface ScheduleEntry {
  /** Due at the first time step at or after this time. */
  readonly atMs: number;
  /** Quantity that should have been sent once this entry is due, this one included. */
  readonly cumulative: number;
}

/** Cumulative targets for `weights` (any scale, ≥ 0), rounded so the last one is exactly `total`. */
export function cumulativeTargets(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  let acc = 0;
  return weights.map((w) => {
    acc += w;
    return Math.round((total * acc) / sum);
  });
}

/** Walks a schedule: how much has become due by a time, past what was already issued. */
export class ScheduleCursor {
  private next = 0;
  private issued = 0;

  constructor(private readonly entries: readonly ScheduleEntry[]) {}

  /** Quantity newly due by `ts` (entries passed together are sent as one slice). */
  dueBy(ts: number): number {
    let target = this.issued;
    while (this.next < this.entries.length && (this.entries[this.next] as ScheduleEntry).atMs <= ts) {
      target = (this.entries[this.next] as ScheduleEntry).cumulative;
      this.next++;
    }
    const due = target - this.issued;
    // Issued whether or not the child is admitted: a denied slice is reported, not retried.
    this.issued = target;
    return due;
  }

  get done(): boolean {
    return this.next >= this.entries.length;
  }
}
