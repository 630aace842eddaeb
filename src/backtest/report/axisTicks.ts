// Axis ticks for the report charts: round value steps (1, 2, 2.5, 5 × 10^k) and calendar-aligned times.

import { monthName } from './format.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const AVG_MONTH = 30.436875 * DAY;

export interface ValueTicks {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly values: readonly number[];
}

function niceStep(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  return nice * mag;
}

/** About `target` round ticks covering [lo, hi]; the returned range is widened to whole steps. */
export function valueTicks(lo: number, hi: number, target = 5): ValueTicks {
  let a = Number.isFinite(lo) ? lo : 0;
  let b = Number.isFinite(hi) ? hi : a;
  if (b < a) [a, b] = [b, a];
  if (a === b) {
    const pad = a === 0 ? 1 : Math.abs(a) * 0.01;
    a -= pad;
    b += pad;
  }
  const step = niceStep((b - a) / Math.max(1, target));
  const min = Math.floor(a / step) * step;
  const max = Math.ceil(b / step) * step;
  const values: number[] = [];
  // Multiplying from the start (not adding) keeps 0.1 + 0.2 style drift out of the labels.
  const count = Math.round((max - min) / step);
  for (let i = 0; i <= count; i++) values.push(min + i * step);
  return { min, max, step, values };
}

/** Decimal places that show a value on a grid of `step` without noise: step 0.25 → 2, 500 → 0. */
export function stepDecimals(step: number): number {
  if (!(step > 0)) return 0;
  for (let d = 0; d < 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 10;
}

type TimeStep = { readonly ms: number } | { readonly months: number };

const TIME_STEPS: readonly TimeStep[] = [
  { ms: MINUTE },
  { ms: 5 * MINUTE },
  { ms: 15 * MINUTE },
  { ms: 30 * MINUTE },
  { ms: HOUR },
  { ms: 2 * HOUR },
  { ms: 6 * HOUR },
  { ms: 12 * HOUR },
  { ms: DAY },
  { ms: 2 * DAY },
  { ms: 7 * DAY },
  { ms: 14 * DAY },
  { months: 1 },
  { months: 2 },
  { months: 3 },
  { months: 6 },
  { months: 12 },
  { months: 24 },
  { months: 60 },
  { months: 120 },
  { months: 240 },
  { months: 600 },
];

function approxMs(step: TimeStep): number {
  return 'ms' in step ? step.ms : step.months * AVG_MONTH;
}

function label(t: number, step: TimeStep): string {
  const iso = new Date(t).toISOString();
  if ('months' in step) {
    return step.months >= 12 ? iso.slice(0, 4) : `${monthName(new Date(t).getUTCMonth())} ${iso.slice(0, 4)}`;
  }
  if (step.ms >= DAY) return iso.slice(0, 10);
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** Calendar-aligned instants in [t0, t1]: every step-th UTC month, or multiples of a fixed span. */
function tickTimes(t0: number, t1: number, step: TimeStep): number[] {
  const out: number[] = [];
  if ('ms' in step) {
    for (let t = Math.ceil(t0 / step.ms) * step.ms; t <= t1; t += step.ms) out.push(t);
    return out;
  }
  const d = new Date(t0);
  let m = d.getUTCFullYear() * 12 + d.getUTCMonth();
  m = Math.ceil(m / step.months) * step.months;
  for (let t = Date.UTC(Math.floor(m / 12), m % 12); t <= t1; m += step.months, t = Date.UTC(Math.floor(m / 12), m % 12)) {
    if (t >= t0) out.push(t);
  }
  return out;
}

/** First index whose time is ≥ t (times ascending). */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] ?? Infinity) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface TimeTick {
  /** Index of the first bar at or after the tick instant: the chart's x axis counts bars. */
  readonly index: number;
  readonly label: string;
}

/** At most about `maxTicks` labelled instants over the series, placed on bars (x is the bar index). */
export function timeTicks(times: Float64Array, maxTicks: number): TimeTick[] {
  const t0 = times[0];
  const t1 = times[times.length - 1];
  if (t0 === undefined || t1 === undefined || !Number.isFinite(t0) || !Number.isFinite(t1) || t1 <= t0) return [];
  const span = t1 - t0;
  const step = TIME_STEPS.find((s) => span / approxMs(s) <= maxTicks) ?? { months: Math.ceil(span / AVG_MONTH / maxTicks / 12) * 12 };
  const ticks: TimeTick[] = [];
  for (const t of tickTimes(t0, t1, step)) {
    const index = lowerBound(times, t);
    const prev = ticks[ticks.length - 1];
    if (index >= times.length || (prev !== undefined && prev.index === index)) continue;
    // A fixed-span tick may fall in a gap (weekend, night): name the bar it lands on, not the gap.
    const shown = 'ms' in step ? (times[index] ?? t) : t;
    ticks.push({ index, label: label(shown, step) });
  }
  return ticks;
}
