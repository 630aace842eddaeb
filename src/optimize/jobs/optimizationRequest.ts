// What an optimization requested over the API may ask for, checked up front: the run fields exactly as a
// backtest request checks them, then the search (grid, method, objective, constraints, walk-forward) with the
// same parsers `pi5 optimize` uses, so a bad request is a 400 naming its field, not a failed run later.
// Also the messages between the job runner and its worker thread.

import { z } from 'zod';
import { isPi5Error, Pi5Error } from '../../core/errors.js';
import { RUN_FIELDS, runSpecOf, shapeOf, specJson, type BacktestSpec } from '../../backtest/jobs/backtestRequest.js';
import type { BarSeries } from '../../model/barSeries.js';
import type { RawParams } from '../../strategy/params.js';
import { findBuiltin } from '../../strategy/registry.js';
import type { StoredTrial } from '../../persistence/repositories/optimizationRuns.js';
import { parseConstraint, parseObjective } from '../objective.js';
import { plannedTrials } from '../optimizer.js';
import { createSearch, SEARCH_METHODS, type SearchMethod, type SearchOptions } from '../search.js';
import { buildSpace, type ParamSpace } from '../space.js';
import type { TrialRules } from '../trial.js';
import { parseWalkForward, type WalkForwardSpec } from '../walkForward.js';

/** Most trials one API run may plan (per walk-forward window): a server guard, not a limit of the optimizer. */
export const MAX_TRIALS = 20_000;
/** Most worker threads one run may ask for (fewer are used when the machine has fewer cores). */
export const MAX_WORKERS = 16;

const expr = z.string().min(1).max(200);

export const OPTIMIZATION_FIELDS = {
  ...RUN_FIELDS,
  grid: z.record(z.string().min(1).max(64), z.string().min(1).max(200)),
  where: z.array(expr).max(20).optional(),
  objective: expr.optional(),
  constraints: z.array(expr).max(20).optional(),
  method: z.enum(SEARCH_METHODS, { error: `expected one of ${SEARCH_METHODS.join(', ')}` }).optional(),
  budget: z.number().int().min(1).max(MAX_TRIALS).optional(),
  seed: z.number().int().min(-2_147_483_648).max(2_147_483_647).optional(),
  patience: z.number().int().min(1).max(MAX_TRIALS).optional(),
  population: z.number().int().min(2).max(1000).optional(),
  crossover: z.number().min(0).max(1).optional(),
  mutation: z.number().min(0).max(1).optional(),
  walkForward: z.string().min(1).max(64).optional(),
  workers: z.number().int().min(1).max(MAX_WORKERS).optional(),
};

const requestSchema = z.strictObject(OPTIMIZATION_FIELDS);

export type OptimizationRequest = z.input<typeof requestSchema>;

/** A checked request with every default filled in; crosses to the worker thread and is stored as the run's config. */
export interface OptimizationSpec {
  /** The backtest every trial runs (its params: the defaults with the fixed ones). */
  readonly run: BacktestSpec;
  /** Parameters fixed for every trial, as given. */
  readonly fixed: RawParams;
  /** `name=spec` as `--grid` takes it. */
  readonly grid: readonly string[];
  readonly where: readonly string[];
  readonly objective: string;
  readonly constraints: readonly string[];
  readonly method: SearchMethod;
  readonly budget: number | null;
  readonly seed: number;
  readonly patience: number | null;
  readonly genetic: { readonly population?: number; readonly crossover?: number; readonly mutation?: number };
  readonly walkForward: string | null;
  readonly workers: number;
}

/** Runs a parser of `pi5 optimize`'s and names the request field in its error (the parser names the flag). */
function field<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!isPi5Error(e)) throw e;
    const message = e.message.replace(/^--[a-z-]+[:=]?\s*/, '');
    throw new Pi5Error(e.code === 'PI5_ERR_BAD_PARAM' ? 'PI5_ERR_BAD_PARAM' : 'PI5_ERR_BAD_USAGE', `optimization request: ${name}: ${message}`, { ...(e.details as Record<string, unknown>), field: name });
  }
}

function refuse(name: string, message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `optimization request: ${name}: ${message}`, { field: name });
}

/** The parameter space of a spec (the strategy's schema, the grid, the fixed values and the `where` rules). */
export function spaceOf(spec: OptimizationSpec): ParamSpace {
  const def = findBuiltin(spec.run.strategy);
  if (def === undefined) throw new Pi5Error('PI5_ERR_UNKNOWN_STRATEGY', `unknown strategy ${spec.run.strategy}`);
  return buildSpace({ strategyId: def.id, schema: def.params, grid: spec.grid, fixed: spec.fixed, constraints: spec.where, ...(def.constraints === undefined ? {} : { rules: def.constraints }) });
}

export function rulesOf(spec: OptimizationSpec): TrialRules {
  return { objective: parseObjective(spec.objective), constraints: spec.constraints.map(parseConstraint) };
}

export function searchOf(spec: OptimizationSpec): SearchOptions & { patience?: number } {
  return { method: spec.method, seed: spec.seed, genetic: spec.genetic, ...(spec.budget === null ? {} : { budget: spec.budget }), ...(spec.patience === null ? {} : { patience: spec.patience }) };
}

export function walkForwardOf(spec: OptimizationSpec): WalkForwardSpec | null {
  return spec.walkForward === null ? null : parseWalkForward(spec.walkForward);
}

export interface CheckedOptimization {
  readonly spec: OptimizationSpec;
  /** Trials planned (per walk-forward window). */
  readonly planned: number;
}

/** Checks a request as it came over the wire; throws PI5_ERR_* (all 4xx) naming the bad field. */
export function checkOptimizationRequest(raw: unknown, cores: number): CheckedOptimization {
  const r = shapeOf(requestSchema, raw, 'optimization');
  const { grid, where, objective, constraints, method, budget, seed, patience, population, crossover, mutation, walkForward, workers, ...runFields } = r;
  const run = runSpecOf(runFields, 'optimization');
  const spec: OptimizationSpec = {
    run,
    fixed: r.params ?? {},
    grid: Object.entries(grid).map(([k, v]) => `${k}=${v}`),
    where: where ?? [],
    objective: objective ?? 'sharpe',
    constraints: constraints ?? [],
    method: method ?? 'grid',
    budget: budget ?? null,
    seed: seed ?? 1,
    patience: patience ?? null,
    genetic: { ...(population === undefined ? {} : { population }), ...(crossover === undefined ? {} : { crossover }), ...(mutation === undefined ? {} : { mutation }) },
    walkForward: walkForward ?? null,
    // More threads than cores only slow a run down; the results are the same for any count.
    workers: Math.max(1, Math.min(workers ?? 1, cores)),
  };
  const space = field('grid', () => spaceOf(spec));
  field('objective', () => parseObjective(spec.objective));
  spec.constraints.forEach((c, i) => field(`constraints.${i}`, () => parseConstraint(c)));
  field('walkForward', () => walkForwardOf(spec));
  const search = searchOf(spec);
  field('budget', () => createSearch(space, search));
  const planned = plannedTrials(space, { ...search, budget: Math.min(search.budget ?? MAX_TRIALS + 1, MAX_TRIALS + 1) });
  if (planned > MAX_TRIALS) throw refuse('budget', `the grid has more than ${MAX_TRIALS} admissible points; narrow it or set a budget`);
  if (planned === 0) throw refuse('grid', 'no admissible point: the where rules exclude every point of the grid');
  return { spec, planned };
}

/** The spec as stored in optimization_runs.config. */
export function optimizationSpecJson(s: OptimizationSpec): Record<string, unknown> {
  const { run, fixed, ...search } = s;
  return { ...specJson(run), params: fixed, ...search };
}

export interface WorkerInput {
  readonly spec: OptimizationSpec;
  /** The bars when they come from the store (read on the main thread). */
  readonly series: readonly BarSeries[] | null;
  /** A resumed run's stored trials: their points are answered from here, not run again. */
  readonly resume: readonly StoredTrial[];
}

export type WorkerMessage =
  | { readonly kind: 'trials'; readonly trials: readonly StoredTrial[] }
  | { readonly kind: 'progress'; readonly progress: number; readonly trials: number; readonly bestObjective: number | null }
  | { readonly kind: 'done'; readonly resultJson: string; readonly html: string; readonly trials: number; readonly bestObjective: number | null; readonly reused: number }
  | { readonly kind: 'failed'; readonly code: string; readonly message: string };
