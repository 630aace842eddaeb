// Walk-forward analysis: the data's span is cut into in-sample/out-of-sample windows (rolling, or anchored
// at the first bar); each in-sample span is optimized on bars cut to that span alone, the best parameters
// then run on the next out-of-sample span, and the out-of-sample equity is stitched (each window starts
// with the previous one's final equity; a position open at a window's end is marked to its last close and
// the next window starts flat). Reports walk-forward efficiency, the drift of the chosen parameters and the
// overfitting diagnostics: each window's (while its trials are at hand: only a window's trials are ever kept)
// and the whole analysis's verdict.

import { computeMetrics } from '../backtest/metrics.js';
import type { Metrics } from '../backtest/types.js';
import { Pi5Error } from '../core/errors.js';
import { replayBacktest } from '../engine/backtestRunner.js';
import { replayMetrics, type ReplayOutput } from '../engine/backtestResult.js';
import { lowerBound, sliceSeries, type BarSeries } from '../model/barSeries.js';
import type { ClosedTrade } from '../model/types.js';
import { returnsOfEquity, type ReturnsSource } from './barReturns.js';
import { diagnose, type Diagnostics } from './diagnostics.js';
import { optimize, type Evaluator, type OptimizeOptions } from './optimizer.js';
import { diagnoseWalkForward, type WalkForwardDiagnostics } from './walkForwardDiagnostics.js';
import type { ParamPoint, ParamSpace } from './space.js';
import type { TrialBase } from './trial.js';
import { createLogger } from '../core/log.js';

export interface WalkForwardSpec {
  readonly inSample: Span;
  readonly outOfSample: Span;
  readonly anchored: boolean;
}

interface Span {
  readonly n: number;
  readonly unit: 'd' | 'w' | 'm' | 'y';
  readonly text: string;
}

const DAY = 86_400_000;

function parseSpan(key: string, text: string): Span {
  const m = /^(\d+)([dwmy])$/.exec(text.trim());
  if (m === null || Number(m[1]) <= 0) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--walk-forward ${key}=${text}: expected a length such as 2y, 6m, 8w or 30d`);
  return { n: Number(m[1]), unit: m[2] as Span['unit'], text: text.trim() };
}

/** `is=2y,oos=6m` (rolling) or `is=2y,oos=6m,anchored`. */
export function parseWalkForward(text: string): WalkForwardSpec {
  const parts = new Map<string, string>();
  let anchored = false;
  for (const raw of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    if (raw === 'anchored' || raw === 'rolling') anchored = raw === 'anchored';
    else if (/^(is|oos)=/.test(raw)) parts.set(raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1));
    else throw new Pi5Error('PI5_ERR_BAD_USAGE', `--walk-forward: ${JSON.stringify(raw)} is not is=LEN, oos=LEN, anchored or rolling`);
  }
  const is = parts.get('is');
  const oos = parts.get('oos');
  if (is === undefined || oos === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--walk-forward: give is=LEN and oos=LEN, e.g. is=2y,oos=6m');
  return { inSample: parseSpan('is', is), outOfSample: parseSpan('oos', oos), anchored };
}

/** t + span in UTC calendar terms (months and years keep the day of month, clamped). */
export function addSpan(t: number, s: Span): number {
  if (s.unit === 'd') return t + s.n * DAY;
  if (s.unit === 'w') return t + s.n * 7 * DAY;
  const d = new Date(t);
  const months = s.unit === 'm' ? s.n : 12 * s.n;
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate();
  return Date.UTC(y, mo, Math.min(d.getUTCDate(), last), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

export interface Window {
  /** Half-open [from, to) in epoch ms. */
  readonly isFrom: number;
  readonly isTo: number;
  readonly oosFrom: number;
  readonly oosTo: number;
}

/** Windows over [first, last]: out-of-sample spans tile the data after the first in-sample span. */
export function walkForwardWindows(first: number, last: number, spec: WalkForwardSpec): Window[] {
  const out: Window[] = [];
  let isFrom = first;
  let oosFrom = addSpan(first, spec.inSample);
  while (oosFrom <= last) {
    const oosTo = Math.min(addSpan(oosFrom, spec.outOfSample), last + 1);
    out.push({ isFrom: spec.anchored ? first : isFrom, isTo: oosFrom, oosFrom, oosTo });
    isFrom = addSpan(isFrom, spec.outOfSample);
    oosFrom = oosTo;
  }
  return out;
}

/** Bars with from <= ts < to, as views (nothing after `to` is reachable from them). */
export function cutSeries(series: readonly BarSeries[], from: number, to: number): BarSeries[] {
  return series.map((s) => sliceSeries(s, lowerBound(s, from), lowerBound(s, to))).filter((s) => s.length > 0);
}

export interface WindowResult extends Window {
  readonly params: ParamPoint;
  readonly point: ParamPoint;
  readonly isObjective: number;
  readonly isMetrics: Metrics;
  readonly oosMetrics: Metrics;
  readonly trials: number;
  /** The window's in-sample optimization's diagnostics (null: too few feasible trials). */
  readonly diagnostics: Diagnostics | null;
}

export interface WalkForwardResult {
  readonly windows: readonly WindowResult[];
  readonly times: Float64Array;
  readonly equity: Float64Array;
  readonly oosMetrics: Metrics;
  /** Annualized out-of-sample return over the mean annualized in-sample return of the chosen trials. */
  readonly efficiency: number;
  readonly drift: readonly ParamDrift[];
  readonly diagnostics: WalkForwardDiagnostics;
}

export interface ParamDrift {
  readonly name: string;
  readonly values: readonly (number | string | boolean)[];
  /** Windows whose choice differs from the previous window's. */
  readonly changes: number;
  /** Standard deviation over mean of a numeric parameter's choices (null for others). */
  readonly cv: number | null;
}

export type WalkForwardOptions = Omit<OptimizeOptions, 'evaluate' | 'onProgress'> & {
  readonly base: TrialBase;
  readonly spec: WalkForwardSpec;
  /** The evaluator for one window's in-sample base (its series cut to the window, the span [from, to) given too for a pool). */
  readonly evaluatorFor: (base: TrialBase, inSample: { readonly from: number; readonly to: number }) => Evaluator | Promise<Evaluator>;
  /** Where a window's diagnostics replay its trials for their returns: the same base and span as `evaluatorFor`. */
  readonly returnsFor: (base: TrialBase, inSample: { readonly from: number; readonly to: number }) => ReturnsSource;
  readonly onWindow?: (done: number, total: number) => void;
};

const SILENT = createLogger('silent');

/** Out-of-sample runs laid end to end: each starts with the previous one's final equity. */
class Stitcher {
  readonly times: number[] = [];
  readonly equity: number[];
  private readonly inMarket: number[] = [];
  private readonly trades: ClosedTrade[] = [];
  private notional = 0;
  private commissions = 0;
  private slippage = 0;
  private ppy = 252;

  constructor(cash: number) {
    this.equity = [cash];
  }

  get periodsPerYear(): number {
    return this.ppy;
  }

  get cash(): number {
    return this.equity[this.equity.length - 1] as number;
  }

  add(out: ReplayOutput): void {
    this.ppy = out.periodsPerYear;
    out.times.forEach((t, i) => {
      this.times.push(t);
      this.equity.push(out.equity[i + 1] as number);
      this.inMarket.push(out.inMarket[i] as number);
    });
    const totals = out.kernel.portfolio.totals();
    this.trades.push(...out.kernel.portfolio.trades);
    this.notional += totals.tradedNotional;
    this.commissions += totals.commissions;
    this.slippage += totals.slippage;
  }

  metrics(riskFreeRate: number): Metrics {
    return computeMetrics({
      times: Float64Array.from(this.times), equity: Float64Array.from(this.equity), inMarket: Uint8Array.from(this.inMarket),
      trades: this.trades, tradedNotional: this.notional, commissions: this.commissions, slippage: this.slippage,
      periodsPerYear: this.ppy, riskFreeRate,
    });
  }
}

function windowsOf(all: readonly BarSeries[], spec: WalkForwardSpec): Window[] {
  if (all.length === 0) throw new Pi5Error('PI5_ERR_NO_DATA', 'walk-forward: no bars in the selected range');
  const first = Math.min(...all.map((s) => s.ts[0] as number));
  const last = Math.max(...all.map((s) => s.ts[s.length - 1] as number));
  const windows = walkForwardWindows(first, last, spec).filter((w) => cutSeries(all, w.oosFrom, w.oosTo).length > 0);
  if (windows.length === 0) {
    const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
    throw new Pi5Error('PI5_ERR_NO_DATA', `walk-forward: the data (${day(first)} to ${day(last)}) is shorter than in-sample ${spec.inSample.text} plus one bar`);
  }
  return windows;
}

export async function walkForward(opts: WalkForwardOptions): Promise<WalkForwardResult> {
  const { from: _from, to: _to, ...rest } = opts.base;
  const all = cutSeries(opts.base.series, opts.base.from ?? -Infinity, opts.base.to === undefined ? Infinity : opts.base.to + 1);
  const windows = windowsOf(all, opts.spec);
  const results: WindowResult[] = [];
  const stitch = new Stitcher(opts.base.cash ?? 100_000);
  for (const w of windows) {
    // The in-sample base holds only the window's in-sample bars: nothing later is reachable from it.
    const isBase = { ...rest, series: cutSeries(all, w.isFrom, w.isTo) };
    const span = { from: w.isFrom, to: w.isTo };
    const run = await optimize({ ...opts, evaluate: await opts.evaluatorFor(isBase, span) });
    const best = run.best;
    if (best === undefined || run.canceled) throw new Pi5Error('PI5_ERR_CONFLICT', 'walk-forward: canceled');
    const out = replayBacktest({ ...rest, log: rest.log ?? SILENT, cash: stitch.cash, series: cutSeries(all, w.oosFrom, w.oosTo), params: best.params });
    stitch.add(out);
    const diagnostics = await diagnose(opts.returnsFor(isBase, span), run, opts.space);
    results.push({ ...w, params: best.params, point: best.point, isObjective: best.objective, isMetrics: best.metrics, oosMetrics: replayMetrics(out), trials: run.trials.length, diagnostics });
    opts.onWindow?.(results.length, windows.length);
  }
  const oosMetrics = stitch.metrics(opts.base.riskFreeRate ?? 0);
  const isCagr = results.reduce((s, r) => s + r.isMetrics.cagr, 0) / results.length;
  const equity = Float64Array.from(stitch.equity);
  const efficiency = isCagr === 0 ? NaN : oosMetrics.cagr / isCagr;
  const drift = driftOf(opts.space, results);
  const diagnostics = diagnoseWalkForward({ oos: returnsOfEquity(equity, stitch.periodsPerYear), oosSharpe: oosMetrics.sharpe, efficiency, windows: results, drift });
  return { windows: results, times: Float64Array.from(stitch.times), equity, oosMetrics, efficiency, drift, diagnostics };
}

function driftOf(space: ParamSpace, windows: readonly WindowResult[]): ParamDrift[] {
  return space.dims.map((d) => {
    const values = windows.map((w) => w.params[d.name] as number | string | boolean);
    const changes = values.filter((v, i) => i > 0 && v !== values[i - 1]).length;
    if (!values.every((v) => typeof v === 'number')) return { name: d.name, values, changes, cv: null };
    const xs = values as number[];
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    return { name: d.name, values, changes, cv: mean === 0 ? null : sd / Math.abs(mean) };
  });
}
