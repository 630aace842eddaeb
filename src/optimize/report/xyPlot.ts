// A small SVG plot over a numeric x axis (trial number, a parameter value), for the optimization report:
// points and/or a line, nice ticks on both axes, no scripts. The backtest's charts (backtest/report/svgChart.ts)
// have a time axis; these have none.

import { stepDecimals, valueTicks } from '../../backtest/report/axisTicks.js';
import { escapeHtml } from '../../backtest/report/escape.js';

export interface XySeries {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** CSS class of the mark: a dot per point, or a line through them. */
  readonly mark: 'dots' | 'line';
  readonly className: string;
}

export interface XyPlot {
  readonly series: readonly XySeries[];
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly xLabel: string;
  /** Category labels of an x axis of a non-numeric parameter (x is then the index). */
  readonly xCategories?: readonly string[];
}

const LEFT = 64;
const RIGHT = 14;
const TOP = 10;
const BOTTOM = 38;

const r1 = (v: number): string => (Math.round(v * 10) / 10).toString();
const tick = (v: number, step: number): string => v.toFixed(Math.min(6, stepDecimals(step)));

export function renderXyPlot(p: XyPlot): string {
  const pts = p.series.flatMap((s) => s.xs.map((x, i) => [x, s.ys[i] as number] as const)).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pts.length === 0) return '<p class="note">Nothing to plot: no feasible trials.</p>';
  const xt = valueTicks(Math.min(...pts.map(([x]) => x)), Math.max(...pts.map(([x]) => x)), 6);
  const yt = valueTicks(Math.min(...pts.map(([, y]) => y)), Math.max(...pts.map(([, y]) => y)), 5);
  const w = p.width - LEFT - RIGHT;
  const h = p.height - TOP - BOTTOM;
  const sx = (x: number): number => LEFT + ((x - xt.min) / (xt.max - xt.min || 1)) * w;
  const sy = (y: number): number => TOP + h - ((y - yt.min) / (yt.max - yt.min || 1)) * h;
  const parts: string[] = [];
  for (const v of yt.values) {
    parts.push(`<line class="grid" x1="${LEFT}" x2="${LEFT + w}" y1="${r1(sy(v))}" y2="${r1(sy(v))}"/><text x="${LEFT - 6}" y="${r1(sy(v) + 4)}" text-anchor="end">${escapeHtml(tick(v, yt.step))}</text>`);
  }
  const cats = p.xCategories;
  const xTicks = cats === undefined ? xt.values : cats.map((_, i) => i);
  for (const v of xTicks) {
    const label = cats === undefined ? tick(v, xt.step) : (cats[v] ?? '');
    parts.push(`<text x="${r1(sx(v))}" y="${TOP + h + 16}" text-anchor="middle">${escapeHtml(label)}</text>`);
  }
  parts.push(`<line class="axis" x1="${LEFT}" x2="${LEFT + w}" y1="${TOP + h}" y2="${TOP + h}"/>`);
  parts.push(`<text x="${LEFT + w / 2}" y="${p.height - 4}" text-anchor="middle">${escapeHtml(p.xLabel)}</text>`);
  for (const s of p.series) {
    const xy = s.xs.map((x, i) => [x, s.ys[i] as number] as const).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (s.mark === 'line') parts.push(`<polyline class="${s.className}" points="${xy.map(([x, y]) => `${r1(sx(x))},${r1(sy(y))}`).join(' ')}"/>`);
    else parts.push(...xy.map(([x, y]) => `<circle class="${s.className}" cx="${r1(sx(x))}" cy="${r1(sy(y))}" r="2.6"/>`));
  }
  return `<svg class="chart" viewBox="0 0 ${p.width} ${p.height}" role="img" aria-label="${escapeHtml(p.title)}"><title>${escapeHtml(p.title)}</title>${parts.join('')}</svg>`;
}
