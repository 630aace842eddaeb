// Completed bars out of Yahoo's polled v8 chart (interval 1m, or 1d for daily sessions): each poll brings the
// day's (or the week's) rows again, the last one still forming. A row is complete once a later row exists (Yahoo
// starts a row when its interval trades) or its interval ended `closeGraceMs` ago on the wall clock. Each complete
// bar is emitted once; a bar already emitted that comes back with other values is emitted again as a correction
// (like Alpaca's updatedBars), for a few dozen recent bars. What the first poll finds complete is emitted as
// backfill: the session keeps what it has not run yet and counts the rest as ignored.

import type { Bar } from '../../../model/types.js';
import type { LiveBar } from '../types.js';
import { dayKeyer } from './mapper.js';
import type { ChartResult } from './schema.js';

/** Yahoo's interval for a session's bars, and how much of the chart one poll asks for. */
export const POLLED: Readonly<Record<'1m' | '1d', { readonly interval: string; readonly range: string; readonly ms: number }>> = {
  '1m': { interval: '1m', range: '1d', ms: 60_000 },
  '1d': { interval: '1d', range: '5d', ms: 86_400_000 },
};

/** Bars kept to recognise a correction of one already emitted. */
const RECENT = 60;

const roundTo = (x: number, decimals: number): number => Math.round(x * 10 ** decimals) / 10 ** decimals;

export class YahooBarTracker {
  private lastTs = -Infinity;
  private first = true;
  /** Emitted bars by time, oldest first (at most RECENT). */
  private readonly recent = new Map<number, string>();

  constructor(
    readonly symbol: string,
    readonly timeframe: '1m' | '1d',
    private readonly closeGraceMs: number,
  ) {}

  /** The bars to emit from one polled chart at wall time `now`. */
  take(result: ChartResult, now: number): LiveBar[] {
    const rows = this.rows(result);
    const ms = POLLED[this.timeframe].ms;
    const out: LiveBar[] = [];
    for (const [i, bar] of rows.entries()) {
      const complete = i < rows.length - 1 || bar.ts + ms + this.closeGraceMs <= now;
      if (!complete) break;
      const key = `${bar.open}/${bar.high}/${bar.low}/${bar.close}/${bar.volume}`;
      if (bar.ts > this.lastTs) {
        out.push({ bar, backfilled: this.first });
        this.lastTs = bar.ts;
      } else if (this.recent.has(bar.ts) && this.recent.get(bar.ts) !== key) {
        out.push({ bar, backfilled: false, corrected: true });
      } else {
        continue;
      }
      this.recent.set(bar.ts, key);
      if (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value as number);
    }
    this.first = false;
    return out;
  }

  /** The chart's rows with prices, as bars (daily ones keyed by their exchange date), oldest first. */
  private rows(r: ChartResult): Bar[] {
    const q = r.indicators.quote[0];
    const stamps = r.timestamp ?? [];
    const decimals = Math.min(8, r.meta.priceHint ?? 2);
    const day = dayKeyer(r.meta);
    const out: Bar[] = [];
    for (let i = 0; i < stamps.length; i++) {
      const [o, h, l, c] = [q?.open?.[i], q?.high?.[i], q?.low?.[i], q?.close?.[i]];
      if (o == null || h == null || l == null || c == null) continue;
      const instant = (stamps[i] as number) * 1000;
      const ts = this.timeframe === '1d' ? day(instant) : instant;
      const bar: Bar = { symbol: this.symbol, timeframe: this.timeframe, ts, open: roundTo(o, decimals), high: roundTo(h, decimals), low: roundTo(l, decimals), close: roundTo(c, decimals), volume: Math.round(q?.volume?.[i] ?? 0) };
      // Yahoo may repeat the forming row: the later one is the fresher.
      if (out.length > 0 && out[out.length - 1]?.ts === ts) out[out.length - 1] = bar;
      else if (out.length === 0 || (out[out.length - 1] as Bar).ts < ts) out.push(bar);
    }
    return out;
  }
}
