// The price chart: candlesticks with volume in its own pane below, chosen overlays, fills marked as arrows (▲ buy
// under the bar, ▼ sell over it, so direction does not rely on colour), the forming bar moved by live `bars`
// events, and older bars asked for when the view nears the left edge.
// Drawing 100k+ bars is the page's cost: series data is built in plain loops from the typed columns (one object
// per bar per series, the library's format, and nothing else), overlays are computed when their bars or their
// choice change and only for the overlay concerned, and fills only move the markers.

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
import { withLive } from './history.js';
import { barOf, bollinger, ema, sma, vwap, type Bars, type OHLCV } from './indicators.js';

export type Overlay = 'sma20' | 'sma50' | 'ema20' | 'bb20' | 'vwap';

export interface Fill {
  readonly ts: number;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly quantity: number;
}

/** What the chart shows after a draw or a live bar: the page's bar count follows it. */
export interface ChartSpan {
  readonly bars: number;
  readonly firstTs: number | null;
  readonly lastTs: number | null;
}

const COLORS: Record<Overlay, string> = { sma20: '#e8a33d', sma50: '#b36bd6', ema20: '#2bb3a3', bb20: '#8a96a3', vwap: '#d65b8a' };
const sec = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;

function css(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Bars before the left edge of the view under which older bars are asked for. */
const NEAR_LEFT_EDGE = 50;
/** Pixels a bar needs to be read as a candle. */
const READABLE_BAR_PX = 4;
/** The volume pane's height against the price pane's. */
const VOLUME_PANE_SHARE = 0.25;

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

function candleData(b: Bars): CandlestickData<Time>[] {
  const out = new Array<CandlestickData<Time>>(b.length);
  for (let i = 0; i < b.length; i++) out[i] = { time: sec(b.ts[i] as number), open: b.open[i] as number, high: b.high[i] as number, low: b.low[i] as number, close: b.close[i] as number };
  return out;
}

function volumeData(b: Bars, p: Palette): HistogramData<Time>[] {
  const out = new Array<HistogramData<Time>>(b.length);
  for (let i = 0; i < b.length; i++) out[i] = { time: sec(b.ts[i] as number), value: b.volume[i] as number, color: (b.close[i] as number) >= (b.open[i] as number) ? p.volGain : p.volLoss };
  return out;
}

/** A line from the first value on (NaN while an overlay warms up). */
function lineData(b: Bars, values: Float64Array): LineData<Time>[] {
  let i = 0;
  while (i < values.length && Number.isNaN(values[i])) i++;
  const out = new Array<LineData<Time>>(values.length - i);
  for (let j = 0; i < values.length; i++, j++) out[j] = { time: sec(b.ts[i] as number), value: values[i] as number };
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

interface Drawn {
  readonly chart: IChartApi;
  readonly candles: ISeriesApi<'Candlestick'>;
  readonly volume: ISeriesApi<'Histogram'>;
  readonly markers: ISeriesMarkersPluginApi<Time>;
  readonly palette: Palette;
  /** Each shown overlay's line series. */
  readonly lines: Map<Overlay, ISeriesApi<'Line'>[]>;
  /** What the series hold: the loaded bars and the live ones after them. */
  all: Bars;
  /** Live bars since the chart opened, kept so that a redraw with older bars keeps the forming bar. */
  live: OHLCV[];
  fitted: boolean;
}

function setOverlay(d: Drawn, o: Overlay, intraday: boolean): void {
  const lines = overlayLines(o, d.all, intraday);
  let series = d.lines.get(o);
  if (series === undefined) {
    series = lines.map((l) => d.chart.addSeries(LineSeries, { color: COLORS[o], lineWidth: 1, priceLineVisible: false, lastValueVisible: false, title: l.title, crosshairMarkerVisible: false }));
    d.lines.set(o, series);
  }
  lines.forEach((l, i) => series[i]?.setData(lineData(d.all, l.values)));
}

/**
 * `id` for a second chart on a page; `follow: false` (a finished backtest's bars) ignores live bars; `onOlder`
 * is called when the view nears the oldest loaded bar (the page loads older ones and passes them in `bars`);
 * `onSpan` hears what the chart shows after each draw and each new live bar.
 * The chart is made once per symbol and timeframe: new bars redraw the series and keep the view where it is.
 */
export function PriceChart(props: { symbol: string; timeframe: string; bars: Bars; overlays: readonly Overlay[]; fills: readonly Fill[]; barMs: number; intraday: boolean; id?: string; follow?: boolean; onOlder?: () => void; onSpan?: (s: ChartSpan) => void }) {
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
    const out: (Fill & { at: number })[] = [];
    for (const f of fills) {
      const at = barOf(bars.ts, f.ts, barMs);
      if (at !== null) out.push({ ...f, at });
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
    const d: Drawn = { chart, candles, volume, markers: createSeriesMarkers(candles, []), palette: p, lines: new Map(), all: props.bars, live: [], fitted: false };
    chart.timeScale().subscribeVisibleLogicalRangeChange((r) => {
      if (r !== null && r.from < NEAR_LEFT_EDGE) onOlder.current?.();
    });

    // The forming bar: a live bar of this symbol at the last bar's time (or a newer one) moves the chart.
    const off = !follow ? () => undefined : live.on('bars', (e) => {
      const b = e.data as OHLCV & { symbol: string; timeframe?: string };
      const lastTs = Number(el.dataset.lastTs ?? 0);
      if (b.symbol !== symbol || (b.timeframe !== undefined && b.timeframe !== timeframe) || b.ts < lastTs) return;
      const bar: OHLCV = { ts: b.ts, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
      d.live.push(bar);
      candles.update({ time: sec(b.ts), open: b.open, high: b.high, low: b.low, close: b.close });
      volume.update({ time: sec(b.ts), value: b.volume, color: b.close >= b.open ? p.volGain : p.volLoss });
      if (b.ts > lastTs) {
        el.dataset.lastTs = String(b.ts);
        const n = Number(el.dataset.drawn ?? 0) + 1;
        el.dataset.drawn = String(n);
        onSpan.current?.({ bars: n, firstTs: d.all.length > 0 ? (d.all.ts[0] as number) : b.ts, lastTs: b.ts });
      }
    });
    setDrawn(d);
    return () => {
      off();
      chart.remove();
      setDrawn(null);
    };
  }, [intraday, symbol, timeframe, live, follow]);

  // The bars: candles, volume and every shown overlay, redrawn only when the bars change.
  useEffect(() => {
    const el = box.current;
    if (!el || drawn === null) return;
    const { chart, candles, volume } = drawn;
    // Live bars older than the loaded ones are in `bars` already; newer ones stay after them.
    const lastLoaded = bars.length > 0 ? (bars.ts[bars.length - 1] as number) : -Infinity;
    drawn.live = drawn.live.filter((b) => b.ts >= lastLoaded);
    const all = withLive(bars, drawn.live);
    drawn.all = all;
    // Every series but the candles is emptied first, so that only the candles' call re-sorts the chart's time
    // points: lightweight-charts re-sorts and re-numbers all of them whenever a series holding data is replaced
    // while another holds data too, but not when a series set from empty lands on times already there. Emptying
    // the shorter old history is cheap, and nothing is painted in between (docs/benchmarks.md: −11% of these
    // calls' CPU when warm, within the noise of a page's first chart).
    volume.setData([]);
    for (const series of drawn.lines.values()) for (const s of series) s.setData([]);
    candles.setData(candleData(all));
    volume.setData(volumeData(all, drawn.palette));
    for (const o of drawn.lines.keys()) setOverlay(drawn, o, intraday);
    const lastTs = all.length > 0 ? (all.ts[all.length - 1] as number) : null;
    el.dataset.lastTs = String(lastTs ?? 0);
    if (!drawn.fitted) {
      // A short series fills the width; a long one opens on its latest bars at a readable spacing (the chart's
      // default), not squeezed to half a pixel a bar: older ones are a scroll away.
      if (all.length * READABLE_BAR_PX <= el.clientWidth) chart.timeScale().fitContent();
      drawn.fitted = true;
    }
    // Bars handed to the chart (it paints them in its next frame): what tests and the bench wait for.
    el.dataset.drawn = String(all.length);
    onSpan.current?.({ bars: all.length, firstTs: all.length > 0 ? (all.ts[0] as number) : null, lastTs });
    // The price axis' lowest value once painted (tests check volume no longer pushes it below the prices).
    requestAnimationFrame(() => {
      const r = candles.priceScale().getVisibleRange();
      if (r !== null) el.dataset.priceLow = String(r.from);
    });
    // Still at the left edge after older bars came in (zoomed far out): ask for more.
    const r = chart.timeScale().getVisibleLogicalRange();
    if (r !== null && r.from < NEAR_LEFT_EDGE) onOlder.current?.();
  }, [drawn, bars, intraday]);

  // Overlays: a newly chosen one is computed and drawn, a dropped one removed; the others stay as they are.
  useEffect(() => {
    if (drawn === null) return;
    for (const [o, series] of drawn.lines) {
      if (overlays.includes(o)) continue;
      for (const s of series) drawn.chart.removeSeries(s);
      drawn.lines.delete(o);
    }
    for (const o of overlays) if (!drawn.lines.has(o)) setOverlay(drawn, o, intraday);
  }, [drawn, overlays, intraday]);

  // Fills: only the markers move.
  useEffect(() => {
    if (drawn === null) return;
    const { gain, loss } = drawn.palette;
    const markers: SeriesMarker<Time>[] = placed.map((f) => ({ time: sec(f.at), position: f.side === 'buy' ? 'belowBar' : 'aboveBar', shape: f.side === 'buy' ? 'arrowUp' : 'arrowDown', color: f.side === 'buy' ? gain : loss, text: `${f.side === 'buy' ? 'B' : 'S'} ${f.quantity}@${f.price.toFixed(2)}` }));
    markers.sort((a, b) => (a.time as number) - (b.time as number));
    drawn.markers.setMarkers(markers);
  }, [drawn, placed]);

  return <div class="chart tall" ref={box} id={props.id ?? 'price-chart'} role="img" aria-label={`${symbol} ${timeframe} candlestick chart with volume${placed.length ? `, ${placed.length} fills marked` : ''}`} data-bars={bars.length} data-markers={placed.length} />;
}
