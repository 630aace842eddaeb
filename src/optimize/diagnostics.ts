// Overfitting diagnostics of a finished optimization: the deflated Sharpe ratio of the best trial for the
// number of trials run, and a verdict in plain words.

import { barReturn } from '../core/stats/numeric.js';
import { createLogger } from '../core/log.js';
import { replayBacktest } from '../engine/backtestRunner.js';
import { deflatedSharpe, returnShape } from './deflatedSharpe.js';
import type { OptimizationRun } from './optimizer.js';
import type { TrialBase } from './trial.js';

export interface Diagnostics {
  readonly trials: number;
  readonly deflatedSharpe: number;
  /** The annualized Sharpe ratio the best of this many zero-skill trials would show by luck. */
  readonly expectedMaxSharpe: number;
  readonly skew: number;
  readonly kurtosis: number;
  readonly verdict: string;
}

function verdictOf(dsr: number, n: number, sharpe: number, luck: number): string {
  const what = `the best Sharpe ratio ${sharpe.toFixed(2)} against ${luck.toFixed(2)} expected from the best of ${n} trials by luck alone`;
  if (!Number.isFinite(dsr)) return 'No verdict: too few feasible trials or returns to judge.';
  if (dsr >= 0.95) return `Likely genuine: ${what}; deflated Sharpe ${dsr.toFixed(3)} (≥ 0.95). Confirm it out of sample (--walk-forward).`;
  if (dsr >= 0.5) return `Inconclusive: ${what}; deflated Sharpe ${dsr.toFixed(3)}. The edge may be selection luck; test it out of sample before trusting it.`;
  return `Likely overfit: ${what}; deflated Sharpe ${dsr.toFixed(3)}. The search probably found noise.`;
}

/** Needs the best trial's returns, so it replays that one backtest (cheap next to the search). */
export function diagnose(base: TrialBase, run: OptimizationRun): Diagnostics | null {
  const best = run.best;
  const feasible = run.trials.filter((t) => t.feasible && Number.isFinite(t.metrics.sharpe));
  if (best === undefined || !best.feasible || feasible.length < 2) return null;
  const out = replayBacktest({ ...base, log: createLogger('silent'), params: best.params });
  const returns = new Float64Array(out.equity.length - 1);
  for (let t = 1; t < out.equity.length; t++) returns[t - 1] = barReturn(out.equity, t);
  const { skew, kurtosis } = returnShape(returns);
  const root = Math.sqrt(out.periodsPerYear);
  const perBar = feasible.map((t) => t.metrics.sharpe / root);
  const mean = perBar.reduce((a, b) => a + b, 0) / perBar.length;
  const variance = perBar.reduce((a, b) => a + (b - mean) ** 2, 0) / (perBar.length - 1);
  const { dsr, expectedMax } = deflatedSharpe({ sharpe: best.metrics.sharpe / root, observations: returns.length, skew, kurtosis, trials: run.trials.length, sharpeVariance: variance });
  return { trials: run.trials.length, deflatedSharpe: dsr, expectedMaxSharpe: expectedMax * root, skew, kurtosis, verdict: verdictOf(dsr, run.trials.length, best.metrics.sharpe, expectedMax * root) };
}
