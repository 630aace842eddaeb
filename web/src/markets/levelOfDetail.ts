// The price chart's level of detail: how many real bars one candle stands for, given how many are in view and the
// pixels the chart has for them, and the candles, overlay points and fill marks at that level. Pure (unit-tested).
// lightweight-charts' cost grows with the points it is handed (~0.9 s of CPU for 120k bars in a page's first
// chart), not with the pixels, so a long history is handed as at most WINDOW_POINTS points: k consecutive bars
// merged into one candle when more bars are in view than the chart can show readably, and the real bars of the
// view (with a margin) when zoomed in. Docs: docs/dashboard.md, docs/decisions/0013-chart-level-of-detail.md.

import { newBars } from './history.js';
import type { Bars, OHLCV } from './indicators.js';

/** Pixels a candle needs to be read as one. */
export const READABLE_BAR_PX = 4;
/**
 * How far past a level's bounds the view may go before the level changes (0.25: candles from 3.2 px up to 10 px
 * keep their level), so that zooming around a boundary does not swap the series back and forth.
 */
export const HYSTERESIS = 0.25;
/** The most points handed to the chart at once (~0.1 s of the library's CPU in a page's first chart). */
export const WINDOW_POINTS = 10_000;
/**
 * Points handed to the chart per point in view, and the fewest: a window moves after a pan of several screens,
 * and a swap hands a few thousand points (tens of ms), not WINDOW_POINTS (~0.1 s, a visible hitch in a zoom).
 */
export const WINDOW_VIEWS = 16;
export const MIN_WINDOW_POINTS = 2_048;
/** The coarsest level (a million bars a candle: far beyond any stored history). */
export const MAX_LEVEL = 2 ** 20;

/** A point index range [from, to) at some level. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** The level (a power of 2) whose candles are READABLE_BAR_PX wide or more for `need` bars per readable candle. */
function idealLevel(need: number): number {
  if (!(need > 1)) return 1;
  return Math.min(MAX_LEVEL, 2 ** Math.ceil(Math.log2(need)));
}

/**
 * Bars per candle for `visibleBars` real bars in view on `widthPx` pixels, `current` being the level shown: kept
 * while its candles are between READABLE_BAR_PX / (1 + HYSTERESIS) and 2 · READABLE_BAR_PX · (1 + HYSTERESIS)
 * wide, else the coarsest power of 2 that makes them READABLE_BAR_PX or wider (1: the real bars).
 */
export function chooseLevel(visibleBars: number, widthPx: number, current: number): number {
  if (!(widthPx > 0) || !(visibleBars > 0)) return current;
  const need = (visibleBars * READABLE_BAR_PX) / widthPx;
  const upper = current * (1 + HYSTERESIS);
  const lower = current === 1 ? -Infinity : current / 2 / (1 + HYSTERESIS);
  return need <= upper && need > lower ? current : idealLevel(need);
}

/** Candles of `k` bars each, from the first bar on (the last one may hold fewer); `b` itself for k = 1. */
export function aggregate(b: Bars, k: number): Bars {
  if (k <= 1) return b;
  const length = Math.ceil(b.length / k);
  const out = newBars(length);
  for (let c = 0, i = 0; c < length; c++) {
    const end = Math.min(b.length, i + k);
    out.ts[c] = b.ts[i] as number;
    out.open[c] = b.open[i] as number;
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    for (; i < end; i++) {
      const h = b.high[i] as number;
      const l = b.low[i] as number;
      if (h > high) high = h;
      if (l < low) low = l;
      volume += b.volume[i] as number;
    }
    out.high[c] = high;
    out.low[c] = low;
    out.close[c] = b.close[end - 1] as number;
    out.volume[c] = volume;
  }
  return out;
}

/** The candle holding the last bar of `b` at level `k` (what a live bar updates), or null without bars. */
export function lastCandle(b: Bars, k: number): OHLCV | null {
  if (b.length === 0) return null;
  const from = Math.floor((b.length - 1) / k) * k;
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  for (let i = from; i < b.length; i++) {
    high = Math.max(high, b.high[i] as number);
    low = Math.min(low, b.low[i] as number);
    volume += b.volume[i] as number;
  }
  return { ts: b.ts[from] as number, open: b.open[from] as number, high, low, close: b.close[b.length - 1] as number, volume };
}

/**
 * Bars of `length` in a view of bar positions (bar i spans i ± 0.5): what the level is chosen for. Blank space
 * past either end of the bars counts for nothing, so zooming out past a short history does not merge its bars.
 */
export function barsInView(view: Span, length: number): number {
  return Math.max(0, Math.min(view.to, length - 0.5) - Math.max(view.from, -0.5));
}

/** Candles of `length` bars at level k. */
export function candleCount(length: number, k: number): number {
  return Math.ceil(length / k);
}

/**
 * An overlay computed on the real bars (`values`, one per bar), sampled to candles [from, to) at level k: the
 * value at each candle's last bar, so that a line means the same at every zoom.
 */
export function sampleToCandles(values: Float64Array, k: number, span: Span): Float64Array {
  const out = new Float64Array(Math.max(0, span.to - span.from));
  for (let c = span.from; c < span.to; c++) out[c - span.from] = values[Math.min(values.length, (c + 1) * k) - 1] as number;
  return out;
}

/** How many points to hand the chart for a view of `viewPoints` points. */
export function windowPoints(viewPoints: number): number {
  return Math.min(WINDOW_POINTS, Math.max(MIN_WINDOW_POINTS, Math.ceil(WINDOW_VIEWS * viewPoints)));
}

/**
 * The points [from, to) at a level to hand the chart when `view` (fractional point positions, possibly past the
 * data) is in sight: everything when it fits in `max` points, else `max` points centred on the view, moved
 * inside [0, total).
 */
export function windowAround(total: number, view: Span, max: number = WINDOW_POINTS): Span {
  if (total <= max) return { from: 0, to: total };
  const centre = (view.from + view.to) / 2;
  const from = Math.max(0, Math.min(total - max, Math.round(centre - max / 2)));
  return { from, to: from + max };
}

/**
 * Whether the view (point positions at the shown level) has come within a view's width (at most an eighth of
 * the window) of an edge of the shown window that is not an edge of the data: then the window is moved.
 */
export function nearWindowEdge(shown: Span, total: number, view: Span): boolean {
  const margin = Math.min(view.to - view.from, (shown.to - shown.from) / 8);
  return (shown.from > 0 && view.from < shown.from + margin) || (shown.to < total && view.to > shown.to - margin);
}

const UNITS: readonly { ms: number; unit: string }[] = [
  { ms: 86_400_000, unit: 'd' },
  { ms: 3_600_000, unit: 'h' },
  { ms: 60_000, unit: 'm' },
  { ms: 1_000, unit: 's' },
];

/** A span of time in the largest unit that divides it into at most 99 (days: any number), else about, to a tenth. */
function duration(ms: number): string {
  for (const { ms: u, unit } of UNITS) {
    if (ms % u === 0 && (ms / u <= 99 || unit === 'd')) return `${ms / u}${unit}`;
  }
  const big = UNITS.find((x) => ms >= x.ms) ?? (UNITS[UNITS.length - 1] as { ms: number; unit: string });
  return `≈${(ms / big.ms).toFixed(1)}${big.unit}`;
}

/** What one candle stands for, in words: "1 candle = 1 bar", "1 candle = 32 bars (32m)". */
export function levelLabel(k: number, barMs: number): string {
  return k <= 1 ? '1 candle = 1 bar' : `1 candle = ${k.toLocaleString('en-US')} bars (${duration(k * barMs)})`;
}

/**
 * Fills placed on real bars (`at`: the bar's index) with the candle of level k holding each, keeping those in the
 * window [from, to) of candles only (a marker needs a point of the series at its time).
 */
export function fillsOnCandles<F extends { readonly at: number }>(fills: readonly F[], k: number, span: Span): (F & { readonly candle: number })[] {
  const out: (F & { readonly candle: number })[] = [];
  for (const f of fills) {
    const candle = Math.floor(f.at / k);
    if (candle >= span.from && candle < span.to) out.push({ ...f, candle });
  }
  return out;
}

/** A real bar position (fractional, bar i's centre at i) as a candle position at level k, and back. */
export function toCandle(bar: number, k: number): number {
  return (bar + 0.5) / k - 0.5;
}

export function toBar(candle: number, k: number): number {
  return (candle + 0.5) * k - 0.5;
}
