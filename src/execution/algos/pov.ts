// POV (percent of volume): on each bar, a child of `participation` × that bar's volume (rounded down),
// capped by what is neither filled nor working. It runs until filled, canceled or its end time.

import { ParentAlgo, type AlgoBar } from './parentAlgo.js';

export class PovAlgo extends ParentAlgo {
  protected wanted(bar: AlgoBar): number {
    // The small epsilon keeps 0.1 × 2500 at 250 despite binary floating point.
    return Math.floor((this.request.participation ?? 0) * bar.volume + 1e-9);
  }

  protected scheduleDone(): boolean {
    return false;
  }
}
