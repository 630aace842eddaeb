// TWAP: the quantity in `slices` equal parts (default 10). With an end time the slices are due evenly over
// [start, end) — slice k at start + k × (end − start) / slices; without one, one slice on each bar from the start.

import { cumulativeTargets, ScheduleCursor } from './schedule.js';
import { ParentAlgo, type AlgoBar } from './parentAlgo.js';

export const DEFAULT_TWAP_SLICES = 10;

export class TwapAlgo extends ParentAlgo {
  private cursor: ScheduleCursor | null = null;
  private barsSeen = 0;
  private targets: number[] = [];

  protected wanted(bar: AlgoBar): number {
    const r = this.request;
    const n = r.slices ?? DEFAULT_TWAP_SLICES;
    if (r.end !== undefined) {
      if (this.cursor === null) {
        const step = (r.end - this.start) / n;
        const cum = cumulativeTargets(r.quantity, new Array<number>(n).fill(1));
        this.cursor = new ScheduleCursor(cum.map((c, k) => ({ atMs: this.start + k * step, cumulative: c })));
      }
      return this.cursor.dueBy(bar.ts);
    }
    if (this.targets.length === 0) this.targets = cumulativeTargets(r.quantity, new Array<number>(n).fill(1));
    const k = this.barsSeen++;
    if (k >= n) return 0;
    return (this.targets[k] as number) - (k === 0 ? 0 : (this.targets[k - 1] as number));
  }

  protected scheduleDone(): boolean {
    if (this.request.end !== undefined) return this.cursor?.done ?? false;
    return this.barsSeen >= (this.request.slices ?? DEFAULT_TWAP_SLICES);
  }
}
