// Overfitting diagnostics of a finished optimization: the deflated Sharpe ratio of the best trial for the
// number of trials run, the probability of backtest overfitting (CSCV over the trials' returns), the
// stability of the objective around the best point, and a verdict in plain words.

import { barReturn } from '../core/stats/numeric.js';
import { createLogger } from '../core/log.js';
import { replayBacktest } from '../engine/backtestRunner.js';
import { deflatedSharpe, returnShape } from './deflatedSharpe.js';
import type { OptimizationRun } from './optimizer.js';
import { probabilityOfBacktestOverfitting } from './pbo.js';
import type { ParamSpace } from './space.js';
import { stabilityOf, type Stability } from './stability.js';
import type { Trial, TrialBase } from './trial.js';

/** PBO is computed over at most this many trials (each replayed once for its returns). */
export const PBO_MAX_TRIALS = 100;

export interface PboSummary {
  readonly pbo: number;
  readonly blocks: number;
  /** Trials in the cross-validation: every feasible one, or an even sample across their ranking. */
  readonly trials: number;
  readonly splits: number;
  readonly probabilityOfLoss: number;
  readonly degradationSlope: number;
  /** The logit of every split (its histogram is the PBO picture). */
  readonly logits: readonly number[];
}

export interface Diagnostics {
  readonly trials: number;
  readonly deflatedSharpe: number;
  /** The annualized Sharpe ratio the best of this many zero-skill trials would show by luck. */
  readonly expectedMaxSharpe: number;
  readonly skew: number;
  readonly kurtosis: number;
  /** Null when there are too few trials or bars to cross-validate. */
  readonly pbo: PboSummary | null;
  readonly stability: Stability;
  readonly verdict: string;
}

function verdictOf(dsr: number, n: number, sharpe: number, luck: number): string {
  const what = `the best Sharpe ratio ${sharpe.toFixed(2)} against ${luck.toFixed(2)} expected from the best of ${n} trials by luck alone`;
  if (!Number.isFinite(dsr)) return 'No verdict: too few feasible trials or returns to judge.';
  if (dsr >= 0.95) return `Likely genuine: ${what}; deflated Sharpe ${dsr.toFixed(3)} (≥ 0.95). Confirm it out of sample (--walk-forward).`;
  if (dsr >= 0.5) return `Inconclusive: ${what}; deflated Sharpe ${dsr.toFixed(3)}. The edge may be selection luck; test it out of sample before trusting it.`;
  return `Likely overfit: ${what}; deflated Sharpe ${dsr.toFixed(3)}. The search probably found noise.`;
}

function pboSentence(p: PboSummary | null): string {
  if (p === null) return '';
  const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;
  const read = p.pbo <= 0.1 ? 'the in-sample best usually stays above the median out of sample' : p.pbo < 0.5 ? 'the in-sample best often falls below the median out of sample' : 'the in-sample best falls below the median out of sample more often than not';
  return ` Probability of backtest overfitting ${pct(p.pbo)} over ${p.trials} trials and ${p.splits} splits: ${read}.`;
}

function stabilitySentence(s: Stability): string {
  if (s.ratio === null) return '';
  const read = s.ratio >= 0.7 ? 'a plateau, robust to small parameter changes' : s.ratio >= 0.3 ? 'a slope: neighbours keep part of the edge' : 'a spike: neighbours lose most of the edge';
  return ` Neighbours of the best point score ${(s.ratio * 100).toFixed(0)} % of it on average (${s.neighbours} run): ${read}.`;
}

function returnsOf(base: TrialBase, t: Trial): { returns: Float64Array; periodsPerYear: number } {
  const out = replayBacktest({ ...base, log: createLogger('silent'), params: t.params });
  const returns = new Float64Array(out.equity.length - 1);
  for (let i = 1; i < out.equity.length; i++) returns[i - 1] = barReturn(out.equity, i);
  return { returns, periodsPerYear: out.periodsPerYear };
}

/** Every feasible trial, or an even sample across their ranking (best included) when there are more than `max`. */
function pboSample(feasible: readonly Trial[], max: number): Trial[] {
  const ranked = [...feasible].sort((a, b) => b.objective - a.objective || a.id - b.id);
  if (ranked.length <= max) return ranked;
  return Array.from({ length: max }, (_, i) => ranked[Math.round((i * (ranked.length - 1)) / (max - 1))] as Trial);
}

function pboOf(base: TrialBase, feasible: readonly Trial[], best: Trial, bestReturns: Float64Array): PboSummary | null {
  // 16 blocks as in the paper when there are bars enough (about 20 a block), fewer for short runs.
  const blocks = Math.min(16, 2 * Math.floor(bestReturns.length / 40));
  const sample = pboSample(feasible, PBO_MAX_TRIALS);
  if (blocks < 2 || sample.length < 2) return null;
  const returns = sample.map((t) => (t.id === best.id ? bestReturns : returnsOf(base, t).returns));
  const r = probabilityOfBacktestOverfitting({ returns, blocks });
  return { pbo: r.pbo, blocks, trials: r.trials, splits: r.splits.length, probabilityOfLoss: r.probabilityOfLoss, degradationSlope: r.degradationSlope, logits: r.splits.map((s) => s.logit) };
}

/** Needs the trials' returns, so it replays the best one and up to PBO_MAX_TRIALS for the PBO (cheap next to the search). */
export function diagnose(base: TrialBase, run: OptimizationRun, space: ParamSpace): Diagnostics | null {
  const best = run.best;
  const feasible = run.trials.filter((t) => t.feasible && Number.isFinite(t.metrics.sharpe));
  if (best === undefined || !best.feasible || feasible.length < 2) return null;
  const { returns, periodsPerYear } = returnsOf(base, best);
  const { skew, kurtosis } = returnShape(returns);
  const root = Math.sqrt(periodsPerYear);
  const perBar = feasible.map((t) => t.metrics.sharpe / root);
  const mean = perBar.reduce((a, b) => a + b, 0) / perBar.length;
  const variance = perBar.reduce((a, b) => a + (b - mean) ** 2, 0) / (perBar.length - 1);
  const { dsr, expectedMax } = deflatedSharpe({ sharpe: best.metrics.sharpe / root, observations: returns.length, skew, kurtosis, trials: run.trials.length, sharpeVariance: variance });
  const pbo = pboOf(base, feasible, best, returns);
  const stability = stabilityOf(space, run.trials, best);
  const verdict = verdictOf(dsr, run.trials.length, best.metrics.sharpe, expectedMax * root) + (Number.isFinite(dsr) ? pboSentence(pbo) + stabilitySentence(stability) : '');
  return { trials: run.trials.length, deflatedSharpe: dsr, expectedMaxSharpe: expectedMax * root, skew, kurtosis, pbo, stability, verdict };
}
