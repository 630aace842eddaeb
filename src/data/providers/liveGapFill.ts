// Gap backfill for live bar feeds (DESIGN.md §10): after a reconnect, the bars missed since the last one
// received per symbol are fetched from a historical provider and emitted, oldest first and flagged, before
// the live bars that arrived meanwhile; a bar whose ts was already emitted is dropped, so nothing repeats.

import { barAt } from '../../model/barSeries.js';
import type { Bar } from '../../model/types.js';
import type { HistoricalBarProvider, LiveBar } from './types.js';

export interface GapFillOptions {
  /** Bar length in ms and its timeframe text (minute bars: 60_000, '1m'). */
  readonly barMs: number;
  readonly timeframe: string;
  readonly emit: (b: LiveBar) => void;
}

export class BarGapFiller {
  /** Open instant of the last bar emitted per symbol. */
  private readonly last = new Map<string, number>();
  /** Per symbol with no bar yet: the first bar open that counts as missed (the minute it was subscribed in). */
  private readonly anchor = new Map<string, number>();
  private buffering = false;
  private buffer: Bar[] = [];

  constructor(private readonly o: GapFillOptions) {}

  track(symbol: string, nowMs: number): void {
    if (!this.last.has(symbol) && !this.anchor.has(symbol)) this.anchor.set(symbol, Math.floor(nowMs / this.o.barMs) * this.o.barMs);
  }

  untrack(symbol: string): void {
    this.last.delete(symbol);
    this.anchor.delete(symbol);
  }

  /**
   * Holds live bars back from now until fill() or release(): called when the connection drops, because the
   * new connection's first bars can arrive before the backfill request is even sent.
   */
  hold(): void {
    this.buffering = true;
  }

  /** Emits the held bars (skipping those already emitted) and stops holding. */
  release(): void {
    this.buffering = false;
    const held = this.buffer;
    this.buffer = [];
    for (const b of held) this.accept(b, false);
  }

  /** A bar from the live stream: held back while a backfill runs, otherwise emitted unless already seen. */
  live(bar: Bar): void {
    if (this.buffering) this.buffer.push(bar);
    else this.accept(bar, false);
  }

  /**
   * Fetches [last + 1 bar, start of the current bar) per tracked symbol from `provider`, emits those bars,
   * then the live bars buffered meanwhile. A failing symbol is reported through `onError` and skipped.
   */
  async fill(provider: HistoricalBarProvider, nowMs: number, onError: (symbol: string, e: unknown) => void): Promise<number> {
    this.buffering = true;
    let emitted = 0;
    try {
      // The bar in progress is not closed yet: the live stream sends it when its minute ends.
      const to = Math.floor(nowMs / this.o.barMs) * this.o.barMs - 1;
      for (const symbol of new Set([...this.last.keys(), ...this.anchor.keys()])) {
        const lastTs = this.last.get(symbol);
        const from = lastTs === undefined ? (this.anchor.get(symbol) as number) : lastTs + this.o.barMs;
        if (from > to) continue;
        try {
          const r = await provider.fetchBars({ symbol, timeframe: this.o.timeframe, from, to });
          for (let i = 0; i < r.series.length; i++) emitted += this.accept(barAt(r.series, i), true) ? 1 : 0;
        } catch (e) {
          onError(symbol, e);
        }
      }
    } finally {
      this.release();
    }
    return emitted;
  }

  /** True when a bar of this symbol at or after `ts` was already emitted. */
  emitted(symbol: string, ts: number): boolean {
    const lastTs = this.last.get(symbol);
    return lastTs !== undefined && ts <= lastTs;
  }

  private accept(bar: Bar, backfilled: boolean): boolean {
    const lastTs = this.last.get(bar.symbol);
    if (lastTs !== undefined && bar.ts <= lastTs) return false;
    this.last.set(bar.symbol, bar.ts);
    this.anchor.delete(bar.symbol);
    this.o.emit({ bar, backfilled });
    return true;
  }
}
