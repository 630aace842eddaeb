// The live equity curve: lightweight-charts' line series, seeded with /portfolio/history and moved by each
// `portfolio` event. A new point is an update() (no full redraw), so the fastest replay stays cheap.

import { ColorType, createChart, LineSeries, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef } from 'preact/hooks';
import { useApp } from './context.js';
import { BoundedSeries } from './series.js';

interface HistoryPoint {
  readonly ts: number;
  readonly equity: number;
}

function chartColors(): { text: string; grid: string; line: string } {
  const css = getComputedStyle(document.documentElement);
  return { text: css.getPropertyValue('--muted').trim() || '#888', grid: css.getPropertyValue('--grid').trim() || '#8882', line: css.getPropertyValue('--accent').trim() || '#4a8ef0' };
}

export function EquityChart(props: { onPoint?: (n: number) => void }) {
  const { api, live } = useApp();
  const box = useRef<HTMLDivElement>(null);
  const onPoint = useRef(props.onPoint);
  onPoint.current = props.onPoint;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = chartColors();
    const chart: IChartApi = createChart(el, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: c.text, attributionLogo: false },
      grid: { vertLines: { color: c.grid }, horzLines: { color: c.grid } },
      timeScale: { timeVisible: false, borderVisible: false },
      rightPriceScale: { borderVisible: false },
    });
    const line: ISeriesApi<'Line'> = chart.addSeries(LineSeries, { color: c.line, lineWidth: 2, priceLineVisible: false });
    const series = new BoundedSeries(20_000);
    const toData = (): { time: UTCTimestamp; value: number }[] => series.all().map((p) => ({ time: p.time as UTCTimestamp, value: p.value }));
    let seeded = false;
    const pending: { time: number; value: number }[] = [];
    const add = (p: { time: number; value: number }): void => {
      const how = series.push(p);
      if (how !== 'ignore') line.update({ time: p.time as UTCTimestamp, value: p.value });
      onPoint.current?.(series.length);
    };
    const off = live.on('portfolio', (e) => {
      const d = e.data as { ts: number | null; equity: number };
      if (d.ts === null) return;
      const p = { time: Math.floor(d.ts / 1000), value: d.equity };
      if (seeded) add(p);
      else pending.push(p);
    });
    api.get<{ points: HistoryPoint[] }>('/portfolio/history?points=2000').then(
      (h) => {
        series.reset(h.points.map((q) => ({ time: Math.floor(q.ts / 1000), value: q.equity })));
        line.setData(toData());
        seeded = true;
        pending.splice(0).forEach(add);
        chart.timeScale().fitContent();
        onPoint.current?.(series.length);
      },
      () => {
        seeded = true;
      },
    );
    return () => {
      off();
      chart.remove();
    };
  }, [api, live]);

  return <div class="chart" ref={box} id="equity-chart" role="img" aria-label="Equity curve, updated live" />;
}
