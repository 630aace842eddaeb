// The demo session's feed: seeded synthetic bars that never run out. Bars are generated a chunk at a time;
// each extension regenerates the walk from its seed, so step k is the same bar whether it came from the first
// chunk or the hundredth, and a restarted session re-runs exactly the bars it ran before.

import { Pi5Error } from '../../core/errors.js';
import { generateSyntheticBars, type SyntheticBarsOptions } from '../../data/synthetic.js';
import { barAt, type BarSeries } from '../../model/barSeries.js';
import type { Bar } from '../../model/types.js';
import { BufferHistory } from '../history.js';
import type { StepSource } from './stepSource.js';

export interface EndlessSymbol {
  readonly symbol: string;
  readonly seed: number;
  readonly startPrice: number;
}

export interface EndlessFeedOptions {
  readonly symbols: readonly EndlessSymbol[];
  /** Bars generated per extension (the first chunk is the one older sessions replayed whole). */
  readonly chunkBars: number;
  /** First bar's time, epoch ms. */
  readonly start: number;
  readonly timeframe: string;
}

export class EndlessSyntheticFeed implements StepSource {
  readonly kind = 'replay';
  readonly done = false;
  readonly histories: readonly BufferHistory[];
  private series: BarSeries[] = [];
  private nextIndex = 0;

  constructor(private readonly opts: EndlessFeedOptions) {
    if (!(opts.chunkBars > 0)) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `synthetic feed: chunk of ${opts.chunkBars} bars`);
    this.histories = opts.symbols.map((s) => new BufferHistory(s.symbol, opts.timeframe));
    this.generate(opts.chunkBars);
  }

  /** The whole walk up to `bars` bars per symbol; every symbol shares the same bar times. */
  private generate(bars: number): void {
    const o = this.opts;
    this.series = o.symbols.map((s) => generateSyntheticBars({ ...s, bars, start: o.start, timeframe: o.timeframe } satisfies SyntheticBarsOptions));
  }

  /** Steps generated so far (grows by a chunk whenever the feed reaches the end). */
  get length(): number {
    return this.series[0]?.length ?? 0;
  }

  get position(): number {
    return this.nextIndex;
  }

  nextTs(): number | null {
    if (this.nextIndex >= this.length) this.generate(this.length + this.opts.chunkBars);
    return (this.series[0]?.ts[this.nextIndex] as number | undefined) ?? null;
  }

  deliverStep(onBar: (bar: Bar) => void): number {
    if (this.nextTs() === null) return -1;
    const k = this.nextIndex++;
    this.series.forEach((s, j) => {
      const bar = barAt(s, k);
      (this.histories[j] as BufferHistory).push(bar);
      onBar(bar);
    });
    return k;
  }
}
