// The Markets chart's loaded history: pages of older bars put in front of what is loaded, live bars at the end,
// and the time slices a whole history is fetched in. Pure (unit-tested); the seams are where bars could go
// missing or twice, so every join checks times.

import type { Bars, OHLCV } from './indicators.js';

/** `GET /bars?format=columns`: one array per field. */
export interface BarColumns {
  readonly ts: readonly number[];
  readonly open: readonly number[];
  readonly high: readonly number[];
  readonly low: readonly number[];
  readonly close: readonly number[];
  readonly volume: readonly number[];
}

/** The first page: enough for any screen at the finest bar spacing, quick to fetch and draw. */
export const FIRST_PAGE = 10_000;
/** The API's most bars per columns answer. */
export const MAX_PAGE = 100_000;
/** Bars a whole-history slice aims at: below MAX_PAGE, so that a slice whose bars were underestimated still fits one answer. */
export const SLICE_BARS = 60_000;
/** The most slices asked for at once (the server answers them in turn; more only adds requests). */
export const MAX_SLICES = 8;

const FIELDS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

export const NO_BARS: Bars = barsOf({ ts: [], open: [], high: [], low: [], close: [], volume: [] });

/** The columns answer as typed arrays (one copy per field, no object per bar). */
export function barsOf(c: BarColumns): Bars {
  return { length: c.ts.length, ts: Float64Array.from(c.ts), open: Float64Array.from(c.open), high: Float64Array.from(c.high), low: Float64Array.from(c.low), close: Float64Array.from(c.close), volume: Float64Array.from(c.volume) };
}

/** `length` bars of zeros, to be written. */
export function newBars(length: number): { length: number; ts: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  return { length, ts: new Float64Array(length), open: new Float64Array(length), high: new Float64Array(length), low: new Float64Array(length), close: new Float64Array(length), volume: new Float64Array(length) };
}

/** Bars [from, to) of `b` (views, no copy). */
function slice(b: Bars, from: number, to: number): Bars {
  return { length: to - from, ts: b.ts.subarray(from, to), open: b.open.subarray(from, to), high: b.high.subarray(from, to), low: b.low.subarray(from, to), close: b.close.subarray(from, to), volume: b.volume.subarray(from, to) };
}

/**
 * Parts (oldest first) joined into one: bars of a part at or after the first bar of the next part are dropped
 * (pages that overlap at their seam), and a part out of time order is refused rather than drawn wrong.
 */
export function joinBars(parts: readonly Bars[]): Bars {
  const kept: Bars[] = [];
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p] as Bars;
    const nextFirst = parts.slice(p + 1).find((x) => x.length > 0)?.ts[0] ?? Infinity;
    let n = part.length;
    while (n > 0 && (part.ts[n - 1] as number) >= nextFirst) n--;
    for (let i = 1; i < n; i++) {
      if ((part.ts[i] as number) <= (part.ts[i - 1] as number)) throw new Error(`older bars out of time order at ${i}: ${part.ts[i] as number} after ${part.ts[i - 1] as number}`);
    }
    if (n > 0) kept.push(n === part.length ? part : slice(part, 0, n));
  }
  if (kept.length === 1) return kept[0] as Bars;
  const length = kept.reduce((a, b) => a + b.length, 0);
  const out = newBars(length);
  let at = 0;
  for (const part of kept) {
    for (const f of FIELDS) out[f].set(part[f], at);
    at += part.length;
  }
  return out;
}

/** `older` (oldest first) in front of `loaded`, as joinBars joins them. */
export function withOlder(loaded: Bars, older: Bars): Bars {
  return joinBars([older, loaded]);
}

/** The bar at `i` as an object (for the few bars handled one at a time). */
export function barAt(b: Bars, i: number): OHLCV {
  return { ts: b.ts[i] as number, open: b.open[i] as number, high: b.high[i] as number, low: b.low[i] as number, close: b.close[i] as number, volume: b.volume[i] as number };
}

/**
 * How many older bars to ask for next: as many as are loaded (so scrolling back takes a logarithmic number of
 * requests, and each draw costs at most twice the last), from FIRST_PAGE up to the API's limit.
 */
export function nextPageSize(loaded: number): number {
  return Math.min(MAX_PAGE, Math.max(FIRST_PAGE, loaded));
}

/** The `to` of the next older page: just before the oldest loaded bar (`to` is inclusive, times are whole ms). */
export function olderPageTo(loaded: Bars): number | null {
  return loaded.length === 0 ? null : (loaded.ts[0] as number) - 1;
}

/**
 * Live bars (in arrival order) after the loaded ones: each replaces the last bar of the same time (the forming
 * bar), follows a newer one, or is ignored when older. `loaded` itself when no live bar adds anything.
 */
export function withLive(loaded: Bars, live: readonly OHLCV[]): Bars {
  const rows: OHLCV[] = [];
  let last = loaded.length === 0 ? -Infinity : (loaded.ts[loaded.length - 1] as number);
  let replacesLast = false;
  for (const bar of live) {
    if (bar.ts > last) {
      rows.push(bar);
      last = bar.ts;
    } else if (bar.ts === last) {
      if (rows.length > 0) rows[rows.length - 1] = bar;
      else {
        rows.push(bar);
        replacesLast = true;
      }
    }
  }
  if (rows.length === 0) return loaded;
  const keep = replacesLast ? loaded.length - 1 : loaded.length;
  const length = keep + rows.length;
  const out = newBars(length);
  for (const f of FIELDS) {
    out[f].set(loaded[f].subarray(0, keep));
    for (let i = 0; i < rows.length; i++) out[f][keep + i] = (rows[i] as OHLCV)[f];
  }
  return out;
}

/** Bars with room after them: `bars` views the first entries of `room`'s longer arrays. */
export interface Growing {
  readonly bars: Bars;
  readonly room: Bars | null;
}

/**
 * One live bar after `g.bars`, as withLive puts it (replacing a last bar of the same time, after an older one,
 * ignored when older), in O(1) amortized: written into the room after the bars (doubled when full), so a live bar
 * does not copy every loaded bar. The loaded bars' own arrays are never written: the first live bar copies them.
 */
export function pushLive(g: Growing, bar: OHLCV): Growing {
  const b = g.bars;
  const n = b.length;
  const last = n === 0 ? -Infinity : (b.ts[n - 1] as number);
  if (bar.ts < last) return g;
  const at = bar.ts === last ? n - 1 : n;
  const length = at + 1;
  let room = g.room;
  if (room === null || room.ts.buffer !== b.ts.buffer || b.ts.byteOffset !== 0 || room.length < length) {
    room = newBars(Math.max(16, 2 * length));
    for (const f of FIELDS) room[f].set(b[f].subarray(0, at));
  }
  for (const f of FIELDS) room[f][at] = bar[f];
  return { bars: slice(room, 0, length), room };
}

/**
 * The time slices [from, to] (inclusive ms) the history from `firstTs` up to `to` is fetched in, all at once
 * instead of page after page: their count from the bars expected (the loaded bars' density carried back to
 * `firstTs`), at most MAX_SLICES, cut at equal times. A slice holding more than one answer's bars is paged on
 * from its last bar by the caller, so a wrong guess costs requests, never bars.
 */
export function historySlices(firstTs: number, to: number, loaded: Bars): { from: number; to: number }[] {
  if (to < firstTs) return [];
  const span = loaded.length < 2 ? 0 : (loaded.ts[loaded.length - 1] as number) - (loaded.ts[0] as number);
  const expected = span > 0 ? ((to - firstTs) / span) * (loaded.length - 1) : SLICE_BARS;
  const n = Math.max(1, Math.min(MAX_SLICES, Math.ceil(expected / SLICE_BARS)));
  const out: { from: number; to: number }[] = [];
  let from = firstTs;
  for (let i = 1; i <= n; i++) {
    const end = i === n ? to : Math.floor(firstTs + ((to - firstTs + 1) * i) / n) - 1;
    if (end >= from) out.push({ from, to: end });
    from = end + 1;
  }
  return out;
}

/** One `GET /bars?format=columns` answer: with `from`, the first `limit` bars in [from, to]; without, the last `limit` up to `to`. */
export type PageOf = (limit: number, from: number | null, to: number | null) => Promise<Bars>;

/**
 * Every bar in [from, to] (from null: back to the first stored bar), in as many answers as it takes: a full
 * answer means more bars lie beyond it, newer ones after a `from` page, older ones before a `to` page.
 */
export async function barsInRange(page: PageOf, from: number | null, to: number): Promise<Bars> {
  const parts: Bars[] = [];
  for (let f = from, t: number | null = to; ; ) {
    const bars = await page(MAX_PAGE, f, t);
    if (f === null) parts.unshift(bars);
    else parts.push(bars);
    if (bars.length < MAX_PAGE) return joinBars(parts);
    if (f === null) t = olderPageTo(bars);
    else f = (bars.ts[bars.length - 1] as number) + 1;
  }
}
