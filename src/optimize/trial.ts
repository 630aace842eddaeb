// One trial: a backtest of one parameter point through the full kernel, reduced to its metrics, objective
// value and feasibility. The metrics are computed exactly as `pi5 backtest` computes them (same replay, same
// replayMetrics), so the best trial's numbers are the ones a backtest of its parameters prints.

import { createLogger } from '../core/log.js';
import type { Metrics } from '../backtest/types.js';
import { replayBacktest, type BacktestInput } from '../engine/backtestRunner.js';
import { replayMetrics } from '../engine/backtestResult.js';
import type { Constraint, Objective } from './objective.js';
import type { ParamPoint } from './space.js';

/** Everything of a backtest but its parameters; the same for every trial of a run. */
export type TrialBase = Omit<BacktestInput, 'params' | 'onProgress'>;

export interface Trial {
  /** 0-based order in which the search proposed it. */
  readonly id: number;
  /** The searched parameters (fixed ones and defaults are in the run's config). */
  readonly point: ParamPoint;
  /** Full parameters as the strategy saw them. */
  readonly params: ParamPoint;
  readonly objective: number;
  readonly feasible: boolean;
  /** Constraints the trial broke (their text). */
  readonly violated: readonly string[];
  readonly metrics: Metrics;
}

export interface TrialRules {
  readonly objective: Objective;
  readonly constraints: readonly Constraint[];
}

// Trials share one silent logger: a strategy's per-run warnings (e.g. fast >= slow) would drown the progress bar.
const SILENT = createLogger('silent');

export function scoreTrial(id: number, point: ParamPoint, params: ParamPoint, metrics: Metrics, rules: TrialRules): Trial {
  const objective = rules.objective.value(metrics);
  const violated = rules.constraints.filter((c) => !c.holds(metrics)).map((c) => c.text);
  return { id, point, params, objective, feasible: violated.length === 0 && Number.isFinite(objective), violated, metrics };
}

export function runTrial(base: TrialBase, id: number, point: ParamPoint, fixed: ParamPoint, rules: TrialRules): Trial {
  const out = replayBacktest({ ...base, log: base.log ?? SILENT, params: { ...fixed, ...point } });
  return scoreTrial(id, point, out.params, replayMetrics(out), rules);
}

/** Better of two trials: feasible first, then the higher objective, then the earlier trial (deterministic ties). */
export function better(a: Trial, b: Trial | undefined): boolean {
  if (b === undefined) return true;
  if (a.feasible !== b.feasible) return a.feasible;
  const [x, y] = [Number.isNaN(a.objective) ? -Infinity : a.objective, Number.isNaN(b.objective) ? -Infinity : b.objective];
  return x !== y ? x > y : a.id < b.id;
}
