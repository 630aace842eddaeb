// Parameter-noise Monte Carlo: the backtest re-run with its numeric parameters jittered inside their schema's
// ranges (seeded), to see how much of a result is owed to the exact values chosen. Each history moves every
// jittered parameter by a uniform draw of ±noise × its value (±noise for a value of 0; whole numbers
// rounded), clamped to the schema's range; a draw that breaks the strategy's own rules (fast < slow) is drawn
// again. Relative, not a share of the range: schema ranges are sanity bounds (sma-cross allows 1–10,000).

import { Pi5Error } from '../core/errors.js';
import { SeededRng } from '../core/rng.js';
import type { ParamSchema, ParamValues } from '../strategy/params.js';
import { resolveParams } from '../strategy/params.js';
import { summarize, type MonteCarloSummary } from './monteCarlo.js';
import { parseObjective } from './objective.js';
import type { ParamPoint } from './space.js';
import { evaluateAll, type EvaluateAllOptions } from './evaluateAll.js';
import { localEvaluator } from './optimizer.js';
import type { Trial, TrialBase, TrialRules } from './trial.js';

export interface ParamNoiseInput {
  readonly base: TrialBase;
  /** The parameters given (`--param`); defaults fill the rest. */
  readonly params: ParamPoint;
  /** Parameters to jitter; default every int and number parameter of the schema. */
  readonly jitter?: readonly string[];
  /** Width of the jitter as a fraction of each parameter's value (0.1 = ±10 %). */
  readonly noise: number;
  readonly simulations: number;
  readonly seed: number;
  readonly ruinDrawdown: number;
  readonly target: number;
}

/** Where the backtests run (an evaluator scored with PARAM_NOISE_RULES), how many at once, progress and cancel. */
export type ParamNoiseRun = Partial<EvaluateAllOptions>;

export interface ParamNoiseResult extends MonteCarloSummary {
  readonly method: 'params';
  readonly simulations: number;
  readonly seed: number;
  readonly noise: number;
  readonly jittered: readonly string[];
  /** The run with the given parameters. */
  readonly original: { readonly totalReturn: number; readonly maxDrawdown: number; readonly params: ParamPoint };
  /** Every history's parameters, in simulation order. */
  readonly params: readonly ParamPoint[];
}

const REDRAWS = 100;
/** How a history's trial is scored: the objective is unused (the summary reads the metrics), but a trial has one. */
export const PARAM_NOISE_RULES: TrialRules = { objective: parseObjective('totalReturn'), constraints: [] };

function bad(message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `montecarlo --method params: ${message}`);
}

function jitterable(schema: ParamSchema, names: readonly string[] | undefined): string[] {
  const numeric = Object.keys(schema).filter((k) => schema[k]?.type === 'int' || schema[k]?.type === 'number');
  if (names === undefined) return numeric;
  for (const n of names) if (!numeric.includes(n)) throw bad(`--jitter ${n}: not a numeric parameter of the strategy (numeric: ${numeric.join(', ') || 'none'})`);
  return [...names];
}

/** One jittered copy of `params` (full parameters), inside the schema's ranges. */
export function jitterParams(schema: ParamSchema, params: ParamPoint, names: readonly string[], noise: number, rng: SeededRng): ParamPoint {
  const out: Record<string, ParamPoint[string]> = { ...params };
  for (const name of names) {
    const spec = schema[name];
    const v = params[name];
    if ((spec?.type !== 'int' && spec?.type !== 'number') || typeof v !== 'number') continue;
    const [lo, hi] = [spec.min ?? -Infinity, spec.max ?? Infinity];
    const width = Math.abs(v) || 1;
    let x = Math.min(hi, Math.max(lo, v + (2 * rng.next() - 1) * noise * width));
    if (spec.type === 'int') x = Math.min(Math.floor(hi), Math.max(Math.ceil(lo), Math.round(x)));
    out[name] = x;
  }
  return out;
}

export interface ParamNoiseDraws {
  /** The given parameters with the defaults filled in: the original run. */
  readonly full: ParamPoint;
  readonly names: readonly string[];
  /** Every history's parameters, in simulation order. */
  readonly params: readonly ParamPoint[];
}

/**
 * The histories' parameters, drawn in order from the seed on the calling thread, whatever runs them; throws on
 * bad input (a caller may draw before it starts workers, so bad usage is told first).
 */
export function drawHistories(input: ParamNoiseInput): ParamNoiseDraws {
  const { base, noise, simulations, seed } = input;
  if (!(noise >= 0 && noise <= 1)) throw bad(`noise ${noise} is not in [0, 1]`);
  if (!Number.isInteger(simulations) || simulations < 1 || simulations > 100_000) throw bad(`simulations ${simulations} is not a whole number from 1 to 100000`);
  const strategy = base.strategy;
  const full = resolveParams(strategy.id, strategy.params, input.params) as ParamPoint;
  const names = jitterable(strategy.params, input.jitter);
  const rules = strategy.constraints ?? [];
  const allowed = (p: ParamPoint): boolean => rules.every((r) => r.holds(p as ParamValues<ParamSchema>));
  const rng = new SeededRng(seed);
  const params: ParamPoint[] = [];
  for (let s = 0; s < simulations; s++) {
    let p = jitterParams(strategy.params, full, names, noise, rng);
    for (let k = 0; !allowed(p); k++) {
      if (k === REDRAWS) throw bad(`${REDRAWS} jittered draws in a row broke the strategy's rules (${rules.map((r) => r.rule).join(', ')}); use a smaller --noise`);
      p = jitterParams(strategy.params, full, names, noise, rng);
    }
    params.push(p);
  }
  return { full, names, params };
}

/**
 * Runs the original and every history on `run.evaluate` (default: this thread; or the trial pool or the
 * distributed workers: each point is a full parameter set, so the evaluator's fixed parameters are none). Null
 * when canceled.
 */
export async function parameterNoise(input: ParamNoiseInput, run: ParamNoiseRun = {}, draws: ParamNoiseDraws = drawHistories(input)): Promise<ParamNoiseResult | null> {
  const { noise, simulations, seed } = input;
  const { full, names, params } = draws;
  const evaluate = run.evaluate ?? localEvaluator(input.base, { fixed: {} }, PARAM_NOISE_RULES);
  const trials = await evaluateAll([full, ...params], { ...run, evaluate, batch: run.batch ?? 8 });
  if (trials === null) return null;
  const orig = (trials[0] as Trial).metrics;
  const totals = new Float64Array(simulations);
  const dds = new Float64Array(simulations);
  for (let s = 0; s < simulations; s++) {
    const m = (trials[s + 1] as Trial).metrics;
    totals[s] = m.totalReturn;
    dds[s] = m.maxDrawdown;
  }
  return {
    method: 'params', simulations, seed, noise, jittered: names,
    original: { totalReturn: orig.totalReturn, maxDrawdown: orig.maxDrawdown, params: full },
    params, ...summarize(totals, dds, input),
  };
}
