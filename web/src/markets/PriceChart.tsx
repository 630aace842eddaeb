// The price chart: candlesticks with volume below, chosen overlays, fills marked as arrows (▲ buy under the
// bar, ▼ sell over it, so direction does not rely on colour), the forming bar moved by live `bars` events, and
// older bars asked for when the view nears the left edge.

import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { withLive } from './history.js';
import { barOf, bollinger, ema, sma, vwap, type OHLCV } from './indicators.js';

export type Overlay = 'sma20' | 'sma50' | 'ema20' | 'bb20' | 'vwap';

export interface Fill {
  readonly ts: number;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly quantity: number;
}

const COLORS: Record<string, string> = { sma20: '#e8a33d', sma50: '#b36bd6', ema20: '#2bb3a3', bb: '#8a96a3', vwap: '#d65b8a' };
const sec = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;

function css(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Bars before the left edge of the view under which older bars are asked for. */
const NEAR_LEFT_EDGE = 50;
/** Pixels a bar needs to be read as a candle. */
const READABLE_BAR_PX = 4;

interface Drawn {
  readonly chart: IChartApi;
  readonly candles: ISeriesApi<'Candlestick'>;
  readonly volume: ISeriesApi<'Histogram'>;
  readonly markers: ISeriesMarkersPluginApi<Time>;
  lines: ISeriesApi<'Line'>[];
  /** Live bars since the chart opened, kept so that a redraw with older bars keeps the forming bar. */
  live: OHLCV[];
  fitted: boolean;
}

/**
 * `id` for a second chart on a page; `follow: false` (a finished backtest's bars) ignores live bars; `onOlder`
 * is called when the view nears the oldest loaded bar (the page loads older ones and passes them in `bars`).
 * The chart is made once per symbol and timeframe: new bars redraw the series and keep the view where it is.
 */
export function PriceChart(props: { symbol: string; timeframe: string; bars: readonly OHLCV[]; overlays: readonly Overlay[]; fills: readonly Fill[]; barMs: number; intraday: boolean; id?: string; follow?: boolean; onOlder?: () => void }) {
  const { live } = useApp();
  const box = useRef<HTMLDivElement>(null);
  const { bars, overlays, fills, barMs, intraday, symbol, timeframe } = props;
  const follow = props.follow !== false;
  const onOlder = useRef(props.onOlder);
  onOlder.current = props.onOlder;
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  const placed = useMemo(() => {
    const times = bars.map((b) => b.ts);
    return fills.flatMap((f) => {
      const at = barOf(times, f.ts, barMs);
      return at === null ? [] : [{ ...f, at }];
    });
  }, [bars, fills, barMs]);
  const colors = (): { gain: string; loss: string } => ({ gain: css('--gain', '#137333'), loss: css('--loss', '#b3261e') });
  const volColor = (b: OHLCV, c: { gain: string; loss: string }): string => (b.close >= b.open ? `${c.gain}66` : `${c.loss}66`);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = colors();
    const chart: IChartApi = createChart(el, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: css('--muted', '#888'), attributionLogo: false },
      grid: { vertLines: { color: css('--grid', '#8882') }, horzLines: { color: css('--grid', '#8882') } },
      timeScale: { timeVisible: intraday, borderVisible: false },
      rightPriceScale: { borderVisible: false, scaleMargins: { top: 0.05, bottom: 0.25 } },
    });
    const candles = chart.addSeries(CandlestickSeries, { upColor: c.gain, downColor: c.loss, borderUpColor: c.gain, borderDownColor: c.loss, wickUpColor: c.gain, wickDownColor: c.loss });
    const volume = chart.addSeries(HistogramSeries, { priceScaleId: 'vol', priceFormat: { type: 'volume' }, priceLineVisible: false, lastValueVisible: false });
    chart.priceScale('vol').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    const d: Drawn = { chart, candles, volume, markers: createSeriesMarkers(candles, []), lines: [], live: [], fitted: false };
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
      el.dataset.lastTs = String(b.ts);
      candles.update({ time: sec(b.ts), open: b.open, high: b.high, low: b.low, close: b.close });
      volume.update({ time: sec(b.ts), value: b.volume, color: volColor(bar, c) });
    });
    setDrawn(d);
    return () => {
      off();
      chart.remove();
      setDrawn(null);
    };
  }, [intraday, symbol, timeframe, live, follow]);

  useEffect(() => {
    const el = box.current;
    if (!el || drawn === null) return;
    const c = colors();
    const { chart, candles, volume } = drawn;
    // Live bars older than the loaded ones are in `bars` already; newer ones stay after them.
    const lastLoaded = bars[bars.length - 1]?.ts ?? -Infinity;
    drawn.live = drawn.live.filter((b) => b.ts >= lastLoaded);
    const all = withLive(bars, drawn.live);
    candles.setData(all.map((b) => ({ time: sec(b.ts), open: b.open, high: b.high, low: b.low, close: b.close })));
    volume.setData(all.map((b) => ({ time: sec(b.ts), value: b.volume, color: volColor(b, c) })));
    el.dataset.lastTs = String(all[all.length - 1]?.ts ?? 0);

    for (const l of drawn.lines) chart.removeSeries(l);
    drawn.lines = [];
    const closes = all.map((b) => b.close);
    const line = (values: (number | null)[], color: string, title: string): void => {
      const s = chart.addSeries(LineSeries, { color, lineWidth: 1, priceLineVisible: false, lastValueVisible: false, title, crosshairMarkerVisible: false });
      s.setData(all.flatMap((b, i) => (values[i] === null || values[i] === undefined ? [] : [{ time: sec(b.ts), value: values[i] as number }])));
      drawn.lines.push(s);
    };
    if (overlays.includes('sma20')) line(sma(closes, 20), COLORS.sma20 ?? '', 'SMA 20');
    if (overlays.includes('sma50')) line(sma(closes, 50), COLORS.sma50 ?? '', 'SMA 50');
    if (overlays.includes('ema20')) line(ema(closes, 20), COLORS.ema20 ?? '', 'EMA 20');
    if (overlays.includes('bb20')) {
      const bb = bollinger(closes, 20, 2);
      line(bb.upper, COLORS.bb ?? '', 'BB upper');
      line(bb.lower, COLORS.bb ?? '', 'BB lower');
    }
    if (overlays.includes('vwap')) line(vwap(all, intraday), COLORS.vwap ?? '', 'VWAP');

    const markers: SeriesMarker<Time>[] = [];
    for (const f of placed) {
      markers.push({ time: sec(f.at), position: f.side === 'buy' ? 'belowBar' : 'aboveBar', shape: f.side === 'buy' ? 'arrowUp' : 'arrowDown', color: f.side === 'buy' ? c.gain : c.loss, text: `${f.side === 'buy' ? 'B' : 'S'} ${f.quantity}@${f.price.toFixed(2)}` });
    }
    markers.sort((a, b) => (a.time as number) - (b.time as number));
    drawn.markers.setMarkers(markers);
    if (!drawn.fitted) {
      // A short series fills the width; a long one opens on its latest bars at a readable spacing (the chart's
      // default), not squeezed to half a pixel a bar: older ones are a scroll away.
      if (all.length * READABLE_BAR_PX <= el.clientWidth) chart.timeScale().fitContent();
      drawn.fitted = true;
    }
    // Bars handed to the chart (it paints them in its next frame): what tests and the bench wait for.
    el.dataset.drawn = String(all.length);
    // Still at the left edge after older bars came in (zoomed far out): ask for more.
    const r = chart.timeScale().getVisibleLogicalRange();
    if (r !== null && r.from < NEAR_LEFT_EDGE) onOlder.current?.();
  }, [drawn, bars, overlays, placed, intraday]);

  return <div class="chart tall" ref={box} id={props.id ?? 'price-chart'} role="img" aria-label={`${symbol} ${timeframe} candlestick chart with volume${placed.length ? `, ${placed.length} fills marked` : ''}`} data-bars={bars.length} data-markers={placed.length} />;
}
