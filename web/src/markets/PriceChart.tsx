// The price chart: candlesticks with volume in its own pane below, chosen overlays, fills marked as arrows (▲ buy
// under the bar, ▼ sell over it, so direction does not rely on colour), the forming bar moved by live `bars`
// events, and older bars asked for when the view nears the left edge.
// Drawing 100k+ bars is the library's cost (it grows with the points handed to it), so the chart is handed a
// level of detail (levelOfDetail.ts): k bars merged into one candle when more bars are in view than its pixels can
// show, the real bars of the view and a margin when zoomed in, a few thousand points at most; the level and window
// are chosen again once the view has settled after a zoom or pan, keeping the view on the same bars. Overlays are
// computed on the real bars and sampled to the candles. Series data is built in plain loops from typed columns.

import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type LineData,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { pushLive, withLive } from './history.js';
import { barIndexOf, bollinger, ema, sma, vwap, type Bars, type OHLCV } from './indicators.js';
import { aggregate, barsInView, candleCount, chooseLevel, fillsOnCandles, lastCandle, nearWindowEdge, READABLE_BAR_PX, sampleToCandles, toBar, toCandle, windowAround, windowPoints, type Span } from './levelOfDetail.js';

export type Overlay = 'sma20' | 'sma50' | 'ema20' | 'bb20' | 'vwap';

export interface Fill {
  readonly ts: number;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly quantity: number;
}

/** What the chart shows after a draw or a live bar: the page's bar count and level line follow it. */
export interface ChartSpan {
  /** Real bars on the chart (loaded and live), whatever the level. */
  readonly bars: number;
  readonly firstTs: number | null;
  readonly lastTs: number | null;
  /** Bars per candle shown (1: the real bars). */
  readonly perCandle: number;
}

const COLORS: Record<Overlay, string> = { sma20: '#e8a33d', sma50: '#b36bd6', ema20: '#2bb3a3', bb20: '#8a96a3', vwap: '#d65b8a' };
const sec = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;

function css(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Candles before the left edge of the loaded bars under which older bars are asked for. */
const NEAR_LEFT_EDGE = 50;
/** lightweight-charts' default pixels per bar: what a chart opens on. */
const DEFAULT_BAR_SPACING = 6;
/** The volume pane's height against the price pane's. */
const VOLUME_PANE_SHARE = 0.25;
/**
 * A view that stopped moving for SETTLE_MS (or has moved for SETTLE_MAX_MS) gets its level and window chosen
 * again: one swap after a zoom or a pan, not one per frame of it.
 */
const SETTLE_MS = 100;
const SETTLE_MAX_MS = 300;

interface Palette {
  readonly gain: string;
  readonly loss: string;
  /** Volume bars: the candle colours, faded (made once, not per bar). */
  readonly volGain: string;
  readonly volLoss: string;
}

function palette(): Palette {
  const gain = css('--gain', '#137333');
  const loss = css('--loss', '#b3261e');
  return { gain, loss, volGain: `${gain}66`, volLoss: `${loss}66` };
}

function candleData(b: Bars, w: Span): CandlestickData<Time>[] {
  const out = new Array<CandlestickData<Time>>(w.to - w.from);
  for (let i = w.from; i < w.to; i++) out[i - w.from] = { time: sec(b.ts[i] as number), open: b.open[i] as number, high: b.high[i] as number, low: b.low[i] as number, close: b.close[i] as number };
  return out;
}

function volumeData(b: Bars, w: Span, p: Palette): HistogramData<Time>[] {
  const out = new Array<HistogramData<Time>>(w.to - w.from);
  for (let i = w.from; i < w.to; i++) out[i - w.from] = { time: sec(b.ts[i] as number), value: b.volume[i] as number, color: (b.close[i] as number) >= (b.open[i] as number) ? p.volGain : p.volLoss };
  return out;
}

/** A line over candles w of `b` (values aligned with w), from its first value on (NaN while an overlay warms up). */
function lineData(b: Bars, w: Span, values: Float64Array): LineData<Time>[] {
  let i = 0;
  while (i < values.length && Number.isNaN(values[i])) i++;
  const out = new Array<LineData<Time>>(values.length - i);
  for (let j = 0; i < values.length; i++, j++) out[j] = { time: sec(b.ts[w.from + i] as number), value: values[i] as number };
  return out;
}

/** An overlay's lines (title and values) over the bars. */
function overlayLines(o: Overlay, b: Bars, intraday: boolean): { title: string; values: Float64Array }[] {
  switch (o) {
    case 'sma20':
      return [{ title: 'SMA 20', values: sma(b.close, 20) }];
    case 'sma50':
      return [{ title: 'SMA 50', values: sma(b.close, 50) }];
    case 'ema20':
      return [{ title: 'EMA 20', values: ema(b.close, 20) }];
    case 'bb20': {
      const bb = bollinger(b.close, 20, 2);
      return [
        { title: 'BB upper', values: bb.upper },
        { title: 'BB lower', values: bb.lower },
      ];
    }
    case 'vwap':
      return [{ title: 'VWAP', values: vwap(b, intraday) }];
  }
}

type Placed = Fill & { readonly at: number };

interface Drawn {
  readonly el: HTMLElement;
  readonly chart: IChartApi;
  readonly candles: ISeriesApi<'Candlestick'>;
  readonly volume: ISeriesApi<'Histogram'>;
  readonly markers: ISeriesMarkersPluginApi<Time>;
  readonly palette: Palette;
  readonly intraday: boolean;
  /** Each shown overlay's line series. */
  readonly lines: Map<Overlay, ISeriesApi<'Line'>[]>;
  /** The real bars on the chart: the loaded bars and the live ones after them. */
  all: Bars;
  /** Live bars since the chart opened, kept so that a redraw with older bars keeps the forming bar. */
  live: OHLCV[];
  /** Room after `all` for live bars (history.ts pushLive). */
  room: Bars | null;
  /** Candles of `all` per level (made on first use, dropped when `all` changes). */
  levels: Map<number, Bars>;
  /** Each shown overlay's lines on the real bars of `values.of`. */
  values: { of: Bars; lines: Map<Overlay, { title: string; values: Float64Array }[]> };
  /** Fills on the loaded bars (`at`: the bar's index; live bars only come after them). */
  fills: readonly Placed[];
  /** Bars per candle handed to the chart, and which candles of that level. */
  level: number;
  shown: Span;
  /** The view is being set by a swap: its range events are the swap's, not the user's. */
  swapping: boolean;
  settleTimer: ReturnType<typeof setTimeout> | undefined;
  settleSince: number;
  fitted: boolean;
  /** The chart was removed: a frame callback scheduled before that must not touch it ("Object is disposed"). */
  removed: boolean;
}

function candlesAt(d: Drawn, k: number): Bars {
  let c = d.levels.get(k);
  if (c === undefined) {
    c = aggregate(d.all, k);
    d.levels.set(k, c);
  }
  return c;
}

/** An overlay's lines on the real bars, computed once per `all`. */
function overlayValues(d: Drawn, o: Overlay): { title: string; values: Float64Array }[] {
  if (d.values.of !== d.all) d.values = { of: d.all, lines: new Map() };
  let lines = d.values.lines.get(o);
  if (lines === undefined) {
    lines = overlayLines(o, d.all, d.intraday);
    d.values.lines.set(o, lines);
  }
  return lines;
}

/** An overlay's line series (made when first shown) set to the shown candles. */
function drawOverlay(d: Drawn, o: Overlay): void {
  const lines = overlayValues(d, o);
  let series = d.lines.get(o);
  if (series === undefined) {
    series = lines.map((l) => d.chart.addSeries(LineSeries, { color: COLORS[o], lineWidth: 1, priceLineVisible: false, lastValueVisible: false, title: l.title, crosshairMarkerVisible: false }));
    d.lines.set(o, series);
  }
  const c = candlesAt(d, d.level);
  lines.forEach((l, i) => series[i]?.setData(lineData(c, d.shown, sampleToCandles(l.values, d.level, d.shown))));
}

function drawMarkers(d: Drawn): void {
  const { gain, loss } = d.palette;
  const c = candlesAt(d, d.level);
  const markers: SeriesMarker<Time>[] = fillsOnCandles(d.fills, d.level, d.shown).map((f) => ({ time: sec(c.ts[f.candle] as number), position: f.side === 'buy' ? 'belowBar' : 'aboveBar', shape: f.side === 'buy' ? 'arrowUp' : 'arrowDown', color: f.side === 'buy' ? gain : loss, text: `${f.side === 'buy' ? 'B' : 'S'} ${f.quantity}@${f.price.toFixed(2)}` }));
  markers.sort((a, b) => (a.time as number) - (b.time as number));
  d.markers.setMarkers(markers);
  // Markers handed to the chart (those in the shown window): what tests check after a zoom.
  d.el.dataset.markersShown = String(markers.length);
}

/** The view in real bar positions (fractional, possibly past the bars), or null before the chart has one. */
function barView(d: Drawn): Span | null {
  const r = d.chart.timeScale().getVisibleLogicalRange();
  if (r === null) return null;
  return { from: toBar(d.shown.from + r.from, d.level), to: toBar(d.shown.from + r.to, d.level) };
}

/**
 * Hands the chart level k around `view` (real bar positions; null: the latest candles, the view left to the
 * chart) and puts the view back on the same bars. Every series but the candles is emptied first, so that only
 * the candles' call re-sorts the chart's time points: lightweight-charts re-sorts and re-numbers all of them
 * whenever a series holding data is replaced while another holds data too, but not when a series set from empty
 * lands on times already there (docs/benchmarks.md).
 */
function show(d: Drawn, k: number, view: Span | null): void {
  const c = candlesAt(d, k);
  const at = view === null ? null : { from: toCandle(view.from, k), to: toCandle(view.to, k) };
  d.level = k;
  // No view yet (the first draw): the latest candles, as many as for the view the chart opens on (its default
  // bar spacing across its width).
  const width = d.chart.timeScale().width() || d.el.clientWidth;
  d.shown = windowAround(c.length, at ?? { from: c.length - width / DEFAULT_BAR_SPACING, to: c.length }, windowPoints(at === null ? width / DEFAULT_BAR_SPACING : at.to - at.from));
  d.swapping = true;
  try {
    d.volume.setData([]);
    for (const series of d.lines.values()) for (const s of series) s.setData([]);
    d.candles.setData(candleData(c, d.shown));
    d.volume.setData(volumeData(c, d.shown, d.palette));
    for (const o of d.lines.keys()) drawOverlay(d, o);
    drawMarkers(d);
    if (at !== null) d.chart.timeScale().setVisibleLogicalRange({ from: at.from - d.shown.from, to: at.to - d.shown.from });
  } finally {
    d.swapping = false;
  }
}

/** The view in real bar positions and the plot's width in pixels, on the element (tests zoom to a bar with it). */
function markView(d: Drawn): void {
  const v = barView(d);
  if (v !== null) d.el.dataset.view = `${v.from.toFixed(2)},${v.to.toFixed(2)},${d.chart.timeScale().width()}`;
}

/** What the chart holds, on the element (for tests and the bench) and to `onSpan`. */
function reportSpan(d: Drawn, onSpan: ((s: ChartSpan) => void) | undefined): void {
  const n = d.all.length;
  const lastTs = n > 0 ? (d.all.ts[n - 1] as number) : null;
  d.el.dataset.lastTs = String(lastTs ?? 0);
  d.el.dataset.level = String(d.level);
  d.el.dataset.points = String(d.shown.to - d.shown.from);
  // Real bars on the chart, at whatever level (it paints them in its next frame): what tests and the bench wait for.
  d.el.dataset.drawn = String(n);
  markView(d);
  onSpan?.({ bars: n, firstTs: n > 0 ? (d.all.ts[0] as number) : null, lastTs, perCandle: d.level });
}

/** The level and window for the view as it is now, swapped in when either changes. */
function settle(d: Drawn, onSwap: () => void): void {
  const view = barView(d);
  if (view === null) return;
  const k = chooseLevel(barsInView(view, d.all.length), d.chart.timeScale().width(), d.level);
  const at = { from: toCandle(view.from, k), to: toCandle(view.to, k) };
  if (k === d.level && !nearWindowEdge(d.shown, candleCount(d.all.length, k), at)) return;
  show(d, k, view);
  onSwap();
}

/**
 * `id` for a second chart on a page; `follow: false` (a finished backtest's bars) ignores live bars; `onOlder`
 * is called with the chart's oldest bar time when the view nears it (the page loads older ones and passes them in
 * `bars`);
 * `onSpan` hears what the chart shows after each draw, swap of level and new live bar.
 * The chart is made once per symbol and timeframe: new bars redraw the series and keep the view where it is.
 */
export function PriceChart(props: { symbol: string; timeframe: string; bars: Bars; overlays: readonly Overlay[]; fills: readonly Fill[]; barMs: number; intraday: boolean; id?: string; follow?: boolean; onOlder?: (oldestTs: number) => void; onSpan?: (s: ChartSpan) => void }) {
  const { live } = useApp();
  const box = useRef<HTMLDivElement>(null);
  const { bars, overlays, fills, barMs, intraday, symbol, timeframe } = props;
  const follow = props.follow !== false;
  const onOlder = useRef(props.onOlder);
  onOlder.current = props.onOlder;
  const onSpan = useRef(props.onSpan);
  onSpan.current = props.onSpan;
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  const placed = useMemo(() => {
    const out: Placed[] = [];
    for (const f of fills) {
      const at = barIndexOf(bars.ts, f.ts, barMs);
      if (at >= 0) out.push({ ...f, at });
    }
    return out;
  }, [bars, fills, barMs]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const p = palette();
    const chart: IChartApi = createChart(el, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: css('--muted', '#888'), attributionLogo: false, panes: { separatorColor: css('--grid', '#8882') } },
      grid: { vertLines: { color: css('--grid', '#8882') }, horzLines: { color: css('--grid', '#8882') } },
      timeScale: { timeVisible: intraday, borderVisible: false },
      rightPriceScale: { borderVisible: false, scaleMargins: { top: 0.05, bottom: 0.05 } },
    });
    const candles = chart.addSeries(CandlestickSeries, { upColor: p.gain, downColor: p.loss, borderUpColor: p.gain, borderDownColor: p.loss, wickUpColor: p.gain, wickDownColor: p.loss });
    // Volume in a pane of its own, on its own scale from 0: it never stretches the price axis.
    const volume = chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, priceLineVisible: false, lastValueVisible: false }, 1);
    volume.priceScale().applyOptions({ scaleMargins: { top: 0.1, bottom: 0 } });
    const panes = chart.panes();
    panes[0]?.setStretchFactor(1 - VOLUME_PANE_SHARE);
    panes[1]?.setStretchFactor(VOLUME_PANE_SHARE);
    const all = props.bars;
    const d: Drawn = { el, chart, candles, volume, markers: createSeriesMarkers(candles, []), palette: p, intraday, lines: new Map(), all, live: [], room: null, levels: new Map(), values: { of: all, lines: new Map() }, fills: [], level: 1, shown: { from: 0, to: 0 }, swapping: false, settleTimer: undefined, settleSince: 0, fitted: false, removed: false };
    const report = (): void => reportSpan(d, onSpan.current);
    const settleNow = (): void => {
      d.settleTimer = undefined;
      settle(d, report);
    };
    chart.timeScale().subscribeVisibleLogicalRangeChange((r) => {
      if (r === null || d.swapping) return;
      markView(d);
      if (d.shown.from + r.from < NEAR_LEFT_EDGE && d.all.length > 0) onOlder.current?.(d.all.ts[0] as number);
      // Debounced, but at most SETTLE_MAX_MS after the view started moving (a long pan swaps on its way).
      const now = performance.now();
      if (d.settleTimer === undefined) d.settleSince = now;
      else clearTimeout(d.settleTimer);
      d.settleTimer = setTimeout(settleNow, Math.max(0, Math.min(SETTLE_MS, d.settleSince + SETTLE_MAX_MS - now)));
    });

    // The forming bar: a live bar of this symbol at the last bar's time (or a newer one) moves the chart's last
    // candle, when the chart holds it (else it is there at the next swap).
    const off = !follow ? () => undefined : live.on('bars', (e) => {
      const b = e.data as OHLCV & { symbol: string; timeframe?: string };
      const lastTs = d.all.length > 0 ? (d.all.ts[d.all.length - 1] as number) : 0;
      if (b.symbol !== symbol || (b.timeframe !== undefined && b.timeframe !== timeframe) || b.ts < lastTs) return;
      const bar: OHLCV = { ts: b.ts, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
      d.live.push(bar);
      const hadEnd = d.shown.to >= candleCount(d.all.length, d.level);
      ({ bars: d.all, room: d.room } = pushLive({ bars: d.all, room: d.room }, bar));
      d.levels.clear();
      const c = lastCandle(d.all, d.level);
      if (hadEnd && c !== null) {
        d.shown = { from: d.shown.from, to: candleCount(d.all.length, d.level) };
        candles.update({ time: sec(c.ts), open: c.open, high: c.high, low: c.low, close: c.close });
        volume.update({ time: sec(c.ts), value: c.volume, color: c.close >= c.open ? p.volGain : p.volLoss });
      }
      if (b.ts > lastTs) report();
    });
    setDrawn(d);
    return () => {
      off();
      clearTimeout(d.settleTimer);
      d.removed = true;
      chart.remove();
      setDrawn(null);
    };
  }, [intraday, symbol, timeframe, live, follow]);

  // The bars: candles, volume and every shown overlay, redrawn only when the bars change, on the same bars.
  useEffect(() => {
    const el = box.current;
    // A chart removed in this same commit (its symbol or timeframe changed): the new one's render redraws.
    if (!el || drawn === null || drawn.removed) return;
    const d = drawn;
    // Live bars older than the loaded ones are in `bars` already; newer ones stay after them.
    const lastLoaded = bars.length > 0 ? (bars.ts[bars.length - 1] as number) : -Infinity;
    d.live = d.live.filter((b) => b.ts >= lastLoaded);
    const all = withLive(bars, d.live);
    // The view in bars of the new series: older bars put in front move every bar along by their count.
    const was = d.fitted ? barView(d) : null;
    const moved = was === null || d.all.length === 0 ? 0 : Math.max(0, barIndexOf(all.ts, d.all.ts[0] as number, 1));
    const view = was === null ? null : { from: was.from + moved, to: was.to + moved };
    d.all = all;
    d.room = null;
    d.levels.clear();
    d.fills = placed;
    const width = d.chart.timeScale().width() || el.clientWidth;
    show(d, view === null ? 1 : chooseLevel(barsInView(view, all.length), width, d.level), view);
    if (!d.fitted) {
      // A short series fills the width; a long one opens on its latest bars at a readable spacing (the chart's
      // default), not squeezed to half a pixel a bar: older ones are a scroll away.
      if (all.length * READABLE_BAR_PX <= el.clientWidth) d.chart.timeScale().fitContent();
      d.fitted = true;
    }
    reportSpan(d, onSpan.current);
    // The price axis' lowest value once painted (tests check volume no longer pushes it below the prices).
    requestAnimationFrame(() => {
      if (d.removed) return;
      const r = d.candles.priceScale().getVisibleRange();
      if (r !== null) el.dataset.priceLow = String(r.from);
    });
    // Still at the left edge after older bars came in (zoomed far out): ask for more.
    const r = d.chart.timeScale().getVisibleLogicalRange();
    if (r !== null && d.shown.from + r.from < NEAR_LEFT_EDGE && all.length > 0) onOlder.current?.(all.ts[0] as number);
  }, [drawn, bars, intraday]);

  // Overlays: a newly chosen one is computed and drawn, a dropped one removed; the others stay as they are.
  useEffect(() => {
    if (drawn === null || drawn.removed) return;
    for (const [o, series] of drawn.lines) {
      if (overlays.includes(o)) continue;
      for (const s of series) drawn.chart.removeSeries(s);
      drawn.lines.delete(o);
    }
    for (const o of overlays) if (!drawn.lines.has(o)) drawOverlay(drawn, o);
  }, [drawn, overlays]);

  // Fills: only the markers move.
  useEffect(() => {
    if (drawn === null || drawn.removed) return;
    drawn.fills = placed;
    drawMarkers(drawn);
  }, [drawn, placed]);

  return <div class="chart tall" ref={box} id={props.id ?? 'price-chart'} role="img" aria-label={`${symbol} ${timeframe} candlestick chart with volume${placed.length ? `, ${placed.length} fills marked` : ''}`} data-bars={bars.length} data-markers={placed.length} />;
}
