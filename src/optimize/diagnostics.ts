// Overfitting diagnostics of a finished optimization: the deflated Sharpe ratio of the best trial for the
// number of trials run, the probability of backtest overfitting (CSCV over the trials' returns), the
// stability of the objective around the best point, and a verdict in plain words.

import { createLogger } from '../core/log.js';
import { replayBacktest } from '../engine/backtestRunner.js';
import { returnsOfEquity, type ReturnsSource } from './barReturns.js';
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

/** How a deflated Sharpe ratio reads: the thresholds of every verdict (a walk-forward's too). */
export type Judgement = 'genuine' | 'inconclusive' | 'overfit' | 'none';

export function judgeDeflatedSharpe(dsr: number): Judgement {
  if (!Number.isFinite(dsr)) return 'none';
  return dsr >= 0.95 ? 'genuine' : dsr >= 0.5 ? 'inconclusive' : 'overfit';
}

function verdictOf(dsr: number, n: number, sharpe: number, luck: number): string {
  const what = `the best Sharpe ratio ${sharpe.toFixed(2)} against ${luck.toFixed(2)} expected from the best of ${n} trials by luck alone`;
  switch (judgeDeflatedSharpe(dsr)) {
    case 'none':
      return 'No verdict: too few feasible trials or returns to judge.';
    case 'genuine':
      return `Likely genuine: ${what}; deflated Sharpe ${dsr.toFixed(3)} (≥ 0.95). What counts is how it does out of sample (a walk-forward window's own out-of-sample run, or --walk-forward).`;
    case 'inconclusive':
      return `Inconclusive: ${what}; deflated Sharpe ${dsr.toFixed(3)}. The edge may be selection luck; test it out of sample before trusting it.`;
    case 'overfit':
      return `Likely overfit: ${what}; deflated Sharpe ${dsr.toFixed(3)}. The search probably found noise.`;
  }
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

/** Replays on this thread, one trial after another. */
export function localReturns(base: TrialBase): ReturnsSource {
  const log = createLogger('silent');
  return (params) =>
    Promise.resolve(
      params.map((p) => {
        const out = replayBacktest({ ...base, log, params: p });
        return returnsOfEquity(out.equity, out.periodsPerYear);
      }),
    );
}

/** Every feasible trial, or an even sample across their ranking (best included) when there are more than `max`. */
function pboSample(feasible: readonly Trial[], max: number): Trial[] {
  const ranked = [...feasible].sort((a, b) => b.objective - a.objective || a.id - b.id);
  if (ranked.length <= max) return ranked;
  return Array.from({ length: max }, (_, i) => ranked[Math.round((i * (ranked.length - 1)) / (max - 1))] as Trial);
}

async function pboOf(replay: ReturnsSource, feasible: readonly Trial[], best: Trial, bestReturns: Float64Array): Promise<PboSummary | null> {
  // 16 blocks as in the paper when there are bars enough (about 20 a block), fewer for short runs.
  const blocks = Math.min(16, 2 * Math.floor(bestReturns.length / 40));
  const sample = pboSample(feasible, PBO_MAX_TRIALS);
  if (blocks < 2 || sample.length < 2) return null;
  const others = sample.filter((t) => t.id !== best.id);
  const replayed = new Map((await replay(others.map((t) => t.params))).map((r, i) => [others[i]?.id, r.returns]));
  const returns = sample.map((t) => (t.id === best.id ? bestReturns : (replayed.get(t.id) as Float64Array)));
  const r = probabilityOfBacktestOverfitting({ returns, blocks });
  return { pbo: r.pbo, blocks, trials: r.trials, splits: r.splits.length, probabilityOfLoss: r.probabilityOfLoss, degradationSlope: r.degradationSlope, logits: r.splits.map((s) => s.logit) };
}

/**
 * Needs the trials' returns, so it replays the best one and up to PBO_MAX_TRIALS for the PBO (cheap next to the
 * search) through `replay`: this thread (localReturns), the run's thread pool or its distributed workers.
 */
export async function diagnose(replay: ReturnsSource, run: OptimizationRun, space: ParamSpace): Promise<Diagnostics | null> {
  const best = run.best;
  const feasible = run.trials.filter((t) => t.feasible && Number.isFinite(t.metrics.sharpe));
  if (best === undefined || !best.feasible || feasible.length < 2) return null;
  const [first] = await replay([best.params]);
  if (first === undefined) throw new Error('diagnostics: the best trial was not replayed');
  const { returns, periodsPerYear } = first;
  const { skew, kurtosis } = returnShape(returns);
  const root = Math.sqrt(periodsPerYear);
  const perBar = feasible.map((t) => t.metrics.sharpe / root);
  const mean = perBar.reduce((a, b) => a + b, 0) / perBar.length;
  const variance = perBar.reduce((a, b) => a + (b - mean) ** 2, 0) / (perBar.length - 1);
  const { dsr, expectedMax } = deflatedSharpe({ sharpe: best.metrics.sharpe / root, observations: returns.length, skew, kurtosis, trials: run.trials.length, sharpeVariance: variance });
  const pbo = await pboOf(replay, feasible, best, returns);
  const stability = stabilityOf(space, run.trials, best);
  const verdict = verdictOf(dsr, run.trials.length, best.metrics.sharpe, expectedMax * root) + (Number.isFinite(dsr) ? pboSentence(pbo) + stabilitySentence(stability) : '');
  return { trials: run.trials.length, deflatedSharpe: dsr, expectedMaxSharpe: expectedMax * root, skew, kurtosis, pbo, stability, verdict };
}
