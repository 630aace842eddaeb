// Rolling beta of the portfolio's step returns to a benchmark's: the last `lookback` + 1 equity marks and
// benchmark closes, aligned by step, handed to the backtest's own beta so both use one formula.

import { benchmarkStats } from '../../core/stats/benchmark.js';

export class BetaWindow {
  private readonly equity: Float64Array;
  private readonly closes: Float64Array;
  /** benchmarkStats' layout: a leading slot it never reads, then the equity marks. */
  private readonly scratchEquity: Float64Array;
  private readonly scratchCloses: Float64Array;
  private head = 0;
  private count = 0;

  constructor(lookback: number) {
    const marks = lookback + 1;
    this.equity = new Float64Array(marks);
    this.closes = new Float64Array(marks);
    this.scratchEquity = new Float64Array(marks + 1);
    this.scratchCloses = new Float64Array(marks);
  }

  /** The equity mark and the benchmark's last close (NaN before its first bar) at one step's close. */
  push(equity: number, benchmarkClose: number): void {
    this.equity[this.head] = equity;
    this.closes[this.head] = benchmarkClose;
    this.head = this.head + 1 === this.equity.length ? 0 : this.head + 1;
    if (this.count < this.equity.length) this.count++;
  }

  /**
   * cov(r, b) ÷ var(b) over the newest run of steps with a usable benchmark close and equity; null with
   * fewer than two return pairs, a flat benchmark, or a result that is not finite.
   */
  beta(): number | null {
    const size = this.equity.length;
    let m = 0;
    // Walk back from the newest mark until the benchmark had no price yet (or equity was unusable).
    while (m < this.count) {
      const i = (this.head - 1 - m + 2 * size) % size;
      const c = this.closes[i] as number;
      const e = this.equity[i] as number;
      if (!(Number.isFinite(c) && c > 0 && Number.isFinite(e) && e !== 0)) break;
      m++;
    }
    if (m < 3) return null;
    for (let j = 0; j < m; j++) {
      const i = (this.head - m + j + 2 * size) % size;
      this.scratchEquity[j + 1] = this.equity[i] as number;
      this.scratchCloses[j] = this.closes[i] as number;
    }
    const beta = benchmarkStats(this.scratchEquity.subarray(0, m + 1), this.scratchCloses.subarray(0, m), 1).beta;
    return beta !== null && Number.isFinite(beta) ? beta : null;
  }
}
