// A small line or area chart of (epoch ms, value) points, for backtest equity and drawdown.

import { AreaSeries, ColorType, createChart, LineSeries, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef } from 'preact/hooks';

export function LineChart(props: { id: string; label: string; times: readonly number[]; values: readonly number[]; area?: boolean; percent?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const { times, values, area, percent } = props;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const css = getComputedStyle(document.documentElement);
    const v = (n: string, f: string): string => css.getPropertyValue(n).trim() || f;
    const chart = createChart(el, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: v('--muted', '#888'), attributionLogo: false },
      grid: { vertLines: { color: v('--grid', '#8882') }, horzLines: { color: v('--grid', '#8882') } },
      timeScale: { borderVisible: false },
      rightPriceScale: { borderVisible: false },
    });
    const priceFormat = percent ? { type: 'percent' as const } : { type: 'price' as const, precision: 2, minMove: 0.01 };
    const series = area
      ? chart.addSeries(AreaSeries, { lineColor: v('--loss', '#b3261e'), topColor: 'transparent', bottomColor: `${v('--loss', '#b3261e')}55`, lineWidth: 1, priceFormat, invertFilledArea: true })
      : chart.addSeries(LineSeries, { color: v('--accent', '#1f6feb'), lineWidth: 2, priceFormat });
    const data: { time: UTCTimestamp; value: number }[] = [];
    let lastSec = -Infinity;
    for (let i = 0; i < times.length; i++) {
      const t = Math.floor((times[i] ?? 0) / 1000);
      const y = values[i];
      if (y === undefined || !Number.isFinite(y) || t <= lastSec) continue;
      lastSec = t;
      data.push({ time: t as UTCTimestamp, value: percent ? y * 100 : y });
    }
    series.setData(data);
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [times, values, area, percent]);
  return <div class="chart" id={props.id} ref={box} role="img" aria-label={props.label} />;
}
