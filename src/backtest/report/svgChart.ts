// Server-side SVG charts for the HTML report: an equity line and an underwater (drawdown) area, drawn
// from a min/max-decimated copy of the series so a million bars still make a small file.

import { timeTicks, valueTicks, type ValueTicks } from './axisTicks.js';
import { downsampleMinMax, type SampledSeries } from './downsample.js';
import { escapeHtml } from './escape.js';

export const CHART_WIDTH = 960;
const LEFT = 84;
const RIGHT = 18;
const TOP = 14;
const BOTTOM = 28;
const PLOT_WIDTH = CHART_WIDTH - LEFT - RIGHT;
const MAX_TIME_TICKS = 9;
const MIN_TICK_GAP_PX = 86;

export interface ChartSpec {
  /** Bar times; the x axis counts bars, so nights and weekends take no room. */
  readonly times: Float64Array;
  readonly values: Float64Array;
  readonly height: number;
  readonly kind: 'equity' | 'underwater';
  /** Formats an axis value given the tick step (for the number of decimals). */
  readonly formatTick: (value: number, step: number) => string;
  /** A dashed horizontal line, e.g. the starting equity. */
  readonly reference?: number;
  readonly title: string;
}

interface Frame {
  readonly plotHeight: number;
  readonly n: number;
  readonly ticks: ValueTicks;
}

const fmt = (v: number): string => (Math.round(v * 10) / 10).toString();

function xOf(f: Frame, i: number): number {
  return LEFT + (f.n > 1 ? i / (f.n - 1) : 0.5) * PLOT_WIDTH;
}

function yOf(f: Frame, v: number): number {
  const { min, max } = f.ticks;
  return TOP + ((max - v) / (max - min)) * f.plotHeight;
}

function valueRange(s: SampledSeries, spec: ChartSpec): ValueTicks {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < s.length; k++) {
    const v = s.value[k] ?? 0;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (spec.reference !== undefined && Number.isFinite(spec.reference)) {
    lo = Math.min(lo, spec.reference);
    hi = Math.max(hi, spec.reference);
  }
  // Underwater is ≤ 0 by construction; keep 0 on top and give a flat series a visible scale.
  if (spec.kind === 'underwater') return valueTicks(Math.min(lo, -0.01), 0, 4);
  const pad = (hi - lo) * 0.04;
  // Padding must not push a positive equity axis below zero: a negative tick there only confuses.
  return valueTicks(lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad, 5);
}

function linePath(f: Frame, s: SampledSeries): string {
  const parts: string[] = new Array(s.length);
  for (let k = 0; k < s.length; k++) {
    parts[k] = `${k === 0 ? 'M' : 'L'}${fmt(xOf(f, s.index[k] ?? 0))} ${fmt(yOf(f, s.value[k] ?? 0))}`;
  }
  return parts.join('');
}

function valueAxis(f: Frame, spec: ChartSpec): string {
  return f.ticks.values
    .map((v) => {
      const y = fmt(yOf(f, v));
      const text = escapeHtml(spec.formatTick(v, f.ticks.step));
      return `<line class="grid" x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${y}" y2="${y}"/><text x="${LEFT - 8}" y="${y}" dy="4" text-anchor="end">${text}</text>`;
    })
    .join('');
}

function timeAxis(f: Frame, times: Float64Array): string {
  const out: string[] = [];
  const base = TOP + f.plotHeight;
  let lastX = -Infinity;
  for (const tick of timeTicks(times, MAX_TIME_TICKS)) {
    const x = xOf(f, tick.index);
    if (x - lastX < MIN_TICK_GAP_PX || x > LEFT + PLOT_WIDTH - 24) continue;
    lastX = x;
    const anchor = x - LEFT < 30 ? 'start' : 'middle';
    out.push(
      `<line class="axis" x1="${fmt(x)}" x2="${fmt(x)}" y1="${base}" y2="${base + 5}"/>` +
        `<text x="${fmt(x)}" y="${base + 19}" text-anchor="${anchor}">${escapeHtml(tick.label)}</text>`,
    );
  }
  return out.join('');
}

/** The trough of the underwater chart, marked and labelled, since it is what readers look for first. */
function troughMarker(f: Frame, s: SampledSeries, spec: ChartSpec): string {
  let best = -1;
  for (let k = 0; k < s.length; k++) if (best < 0 || (s.value[k] ?? 0) < (s.value[best] ?? 0)) best = k;
  const v = s.value[best];
  const i = s.index[best];
  if (best < 0 || v === undefined || i === undefined || v >= 0) return '';
  const x = xOf(f, i);
  const y = yOf(f, v);
  const anchor = x > LEFT + PLOT_WIDTH * 0.8 ? 'end' : 'start';
  const dx = anchor === 'end' ? -8 : 8;
  return (
    `<circle class="trough" cx="${fmt(x)}" cy="${fmt(y)}" r="3.5"/>` +
    `<text class="trough-label" x="${fmt(x + dx)}" y="${fmt(y)}" dy="4" text-anchor="${anchor}">${escapeHtml(spec.formatTick(v, 0.0001))}</text>`
  );
}

function seriesShapes(f: Frame, s: SampledSeries, spec: ChartSpec): string {
  const line = linePath(f, s);
  const x0 = fmt(xOf(f, s.index[0] ?? 0));
  const x1 = fmt(xOf(f, s.index[s.length - 1] ?? 0));
  const floor = spec.kind === 'underwater' ? fmt(yOf(f, 0)) : fmt(TOP + f.plotHeight);
  const area = `<path class="${spec.kind}-area" d="${line}L${x1} ${floor}L${x0} ${floor}Z"/>`;
  const ref =
    spec.reference !== undefined && Number.isFinite(spec.reference)
      ? `<line class="ref" x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${fmt(yOf(f, spec.reference))}" y2="${fmt(yOf(f, spec.reference))}"/>`
      : '';
  const trough = spec.kind === 'underwater' ? troughMarker(f, s, spec) : '';
  return `${area}${ref}<path class="${spec.kind}-line" d="${line}"/>${trough}`;
}

/** One chart as an inline <svg>; scales to its container's width. */
export function renderChart(spec: ChartSpec): string {
  const title = escapeHtml(spec.title);
  const open = `<svg class="chart" viewBox="0 0 ${CHART_WIDTH} ${spec.height}" role="img" aria-label="${title}">`;
  const sample = downsampleMinMax(spec.values, PLOT_WIDTH);
  if (sample.length === 0) {
    return `${open}<text x="${CHART_WIDTH / 2}" y="${spec.height / 2}" text-anchor="middle">No data</text></svg>`;
  }
  const frame: Frame = {
    plotHeight: spec.height - TOP - BOTTOM,
    n: spec.values.length,
    ticks: valueRange(sample, spec),
  };
  const base = TOP + frame.plotHeight;
  return (
    `${open}<title>${title}</title>${valueAxis(frame, spec)}` +
    `<line class="axis" x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${base}" y2="${base}"/>` +
    `${timeAxis(frame, spec.times)}${seriesShapes(frame, sample, spec)}</svg>`
  );
}
