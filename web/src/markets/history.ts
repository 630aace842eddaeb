// The Markets chart's loaded history: pages of older bars put in front of what is loaded, live bars at the end.
// Pure (unit-tested); the seams are where bars could go missing or twice, so every join checks times.

import type { OHLCV } from './indicators.js';

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

export function rowsOf(c: BarColumns): OHLCV[] {
  const out = new Array<OHLCV>(c.ts.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = { ts: c.ts[i] as number, open: c.open[i] as number, high: c.high[i] as number, low: c.low[i] as number, close: c.close[i] as number, volume: c.volume[i] as number };
  }
  return out;
}

/**
 * How many older bars to ask for next: as many as are loaded (so the whole history takes a logarithmic number of
 * requests, and each draw costs at most twice the last), from FIRST_PAGE up to the API's limit.
 */
export function nextPageSize(loaded: number): number {
  return Math.min(MAX_PAGE, Math.max(FIRST_PAGE, loaded));
}

/** The `to` of the next older page: just before the oldest loaded bar (`to` is inclusive, times are whole ms). */
export function olderPageTo(loaded: readonly OHLCV[]): number | null {
  const first = loaded[0];
  return first === undefined ? null : first.ts - 1;
}

/**
 * `older` (oldest first) in front of `loaded`: bars at or after the first loaded one are dropped (a page that
 * overlaps its seam), and a page out of time order is refused rather than drawn wrong.
 */
export function withOlder(loaded: readonly OHLCV[], older: readonly OHLCV[]): OHLCV[] {
  const first = loaded[0]?.ts ?? Infinity;
  let n = older.length;
  while (n > 0 && (older[n - 1] as OHLCV).ts >= first) n--;
  for (let i = 1; i < n; i++) {
    if ((older[i] as OHLCV).ts <= (older[i - 1] as OHLCV).ts) throw new Error(`older bars out of time order at ${i}: ${(older[i] as OHLCV).ts} after ${(older[i - 1] as OHLCV).ts}`);
  }
  return n === 0 ? [...loaded] : [...older.slice(0, n), ...loaded];
}

/**
 * Live bars (in arrival order) after the loaded ones: each replaces the last bar of the same time (the forming
 * bar), follows a newer one, or is ignored when older.
 */
export function withLive(loaded: readonly OHLCV[], live: readonly OHLCV[]): OHLCV[] {
  const out = [...loaded];
  for (const bar of live) {
    const last = out[out.length - 1];
    if (last === undefined || bar.ts > last.ts) out.push(bar);
    else if (bar.ts === last.ts) out[out.length - 1] = bar;
  }
  return out;
}
