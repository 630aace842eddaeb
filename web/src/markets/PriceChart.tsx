// The price chart: candlesticks with volume below, chosen overlays, fills marked as arrows (▲ buy under the
// bar, ▼ sell over it, so direction does not rely on colour), and the forming bar moved by live `bars` events.

import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { useApp } from '../context.js';
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

/** `id` for a second chart on a page; `follow: false` (a finished backtest's bars) ignores live bars. */
export function PriceChart(props: { symbol: string; timeframe: string; bars: readonly OHLCV[]; overlays: readonly Overlay[]; fills: readonly Fill[]; barMs: number; intraday: boolean; id?: string; follow?: boolean }) {
  const { live } = useApp();
  const box = useRef<HTMLDivElement>(null);
  const { bars, overlays, fills, barMs, intraday, symbol, timeframe } = props;
  const follow = props.follow !== false;
  const placed = useMemo(() => {
    const times = bars.map((b) => b.ts);
    return fills.flatMap((f) => {
      const at = barOf(times, f.ts, barMs);
      return at === null ? [] : [{ ...f, at }];
    });
  }, [bars, fills, barMs]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const gain = css('--gain', '#137333');
    const loss = css('--loss', '#b3261e');
    const chart: IChartApi = createChart(el, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: css('--muted', '#888'), attributionLogo: false },
      grid: { vertLines: { color: css('--grid', '#8882') }, horzLines: { color: css('--grid', '#8882') } },
      timeScale: { timeVisible: intraday, borderVisible: false },
      rightPriceScale: { borderVisible: false, scaleMargins: { top: 0.05, bottom: 0.25 } },
    });
    const candles: ISeriesApi<'Candlestick'> = chart.addSeries(CandlestickSeries, { upColor: gain, downColor: loss, borderUpColor: gain, borderDownColor: loss, wickUpColor: gain, wickDownColor: loss });
    const volume: ISeriesApi<'Histogram'> = chart.addSeries(HistogramSeries, { priceScaleId: 'vol', priceFormat: { type: 'volume' }, priceLineVisible: false, lastValueVisible: false });
    chart.priceScale('vol').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    const volColor = (b: OHLCV): string => (b.close >= b.open ? `${gain}66` : `${loss}66`);
    candles.setData(bars.map((b) => ({ time: sec(b.ts), open: b.open, high: b.high, low: b.low, close: b.close })));
    volume.setData(bars.map((b) => ({ time: sec(b.ts), value: b.volume, color: volColor(b) })));

    const closes = bars.map((b) => b.close);
    const line = (values: (number | null)[], color: string, title: string): void => {
      const s = chart.addSeries(LineSeries, { color, lineWidth: 1, priceLineVisible: false, lastValueVisible: false, title, crosshairMarkerVisible: false });
      s.setData(bars.flatMap((b, i) => (values[i] === null || values[i] === undefined ? [] : [{ time: sec(b.ts), value: values[i] as number }])));
    };
    if (overlays.includes('sma20')) line(sma(closes, 20), COLORS.sma20 ?? '', 'SMA 20');
    if (overlays.includes('sma50')) line(sma(closes, 50), COLORS.sma50 ?? '', 'SMA 50');
    if (overlays.includes('ema20')) line(ema(closes, 20), COLORS.ema20 ?? '', 'EMA 20');
    if (overlays.includes('bb20')) {
      const bb = bollinger(closes, 20, 2);
      line(bb.upper, COLORS.bb ?? '', 'BB upper');
      line(bb.lower, COLORS.bb ?? '', 'BB lower');
    }
    if (overlays.includes('vwap')) line(vwap(bars, intraday), COLORS.vwap ?? '', 'VWAP');

    const markers: SeriesMarker<Time>[] = [];
    for (const f of placed) {
      markers.push({ time: sec(f.at), position: f.side === 'buy' ? 'belowBar' : 'aboveBar', shape: f.side === 'buy' ? 'arrowUp' : 'arrowDown', color: f.side === 'buy' ? gain : loss, text: `${f.side === 'buy' ? 'B' : 'S'} ${f.quantity}@${f.price.toFixed(2)}` });
    }
    markers.sort((a, b) => (a.time as number) - (b.time as number));
    createSeriesMarkers(candles, markers);
    chart.timeScale().fitContent();

    // The forming bar: a live bar of this symbol at the last bar's time (or a newer one) moves the chart.
    const last = { ts: bars[bars.length - 1]?.ts ?? 0 };
    el.dataset.lastTs = String(last.ts);
    const off = !follow ? () => undefined : live.on('bars', (e) => {
      const b = e.data as OHLCV & { symbol: string; timeframe?: string };
      if (b.symbol !== symbol || (b.timeframe !== undefined && b.timeframe !== timeframe) || b.ts < last.ts) return;
      last.ts = b.ts;
      el.dataset.lastTs = String(b.ts);
      candles.update({ time: sec(b.ts), open: b.open, high: b.high, low: b.low, close: b.close });
      volume.update({ time: sec(b.ts), value: b.volume, color: volColor(b) });
    });
    return () => {
      off();
      chart.remove();
    };
  }, [bars, overlays, placed, intraday, symbol, timeframe, live, follow]);

  return <div class="chart tall" ref={box} id={props.id ?? 'price-chart'} role="img" aria-label={`${symbol} ${timeframe} candlestick chart with volume${placed.length ? `, ${placed.length} fills marked` : ''}`} data-bars={bars.length} data-markers={placed.length} />;
}
