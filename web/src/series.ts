// The live equity series: REST history first, then one point per WebSocket `portfolio` event. Points are kept
// in time order, one per timestamp (a repeated step replaces its point), and the oldest are dropped past a cap
// so a long replay never grows the page's memory. Pure, unit-tested.

export interface Point {
  readonly time: number;
  readonly value: number;
}

export class BoundedSeries {
  private points: Point[] = [];
  constructor(private readonly cap: number) {}

  /** Replaces everything (e.g. with the REST history), sorted and de-duplicated. */
  reset(points: readonly Point[]): void {
    const sorted = [...points].sort((a, b) => a.time - b.time);
    const out: Point[] = [];
    for (const p of sorted) {
      if (out.length > 0 && out[out.length - 1]?.time === p.time) out[out.length - 1] = p;
      else out.push(p);
    }
    this.points = out.slice(-this.cap);
  }

  /**
   * Adds a point. Returns 'append' for a newer point, 'replace' for one at the last time, 'ignore' for an older
   * one (an event that raced the history request): a chart can then update() instead of setData().
   */
  push(p: Point): 'append' | 'replace' | 'ignore' {
    const last = this.points[this.points.length - 1];
    if (last !== undefined && p.time < last.time) return 'ignore';
    if (last !== undefined && p.time === last.time) {
      this.points[this.points.length - 1] = p;
      return 'replace';
    }
    this.points.push(p);
    if (this.points.length > this.cap) this.points.splice(0, this.points.length - this.cap);
    return 'append';
  }

  get length(): number {
    return this.points.length;
  }

  last(): Point | undefined {
    return this.points[this.points.length - 1];
  }

  all(): readonly Point[] {
    return this.points;
  }
}
