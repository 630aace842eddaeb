// The `pi5 optimize --json` document and the trials CSV: every trial with its parameters, objective and
// metrics, and a `best` whose params, objective and metrics are the numbers `pi5 backtest` gives for them.

import { jsonNumber, metricsJson, type JsonNumber, type MetricsJson } from '../backtest/report/json.js';
import { writeChunks } from '../backtest/report/writeChunks.js';
import { ENGINE_VERSION } from '../engine/backtestResult.js';
import type { StoredTrial } from '../persistence/repositories/optimizationRuns.js';
import type { Diagnostics } from './diagnostics.js';
import type { OptimizationRun } from './optimizer.js';
import type { ParamPoint, ParamSpace } from './space.js';
import type { Trial } from './trial.js';

export interface OptimizationMeta {
  readonly strategy: string;
  readonly method: string;
  readonly objective: string;
  readonly constraints: readonly string[];
  readonly seed: number;
  readonly budget: number | null;
  readonly workers: number;
  /** The backtest settings every trial shared (data, range, cash, costs...). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Overfitting diagnostics of the best trial (null when there are too few feasible trials). */
  readonly diagnostics?: Diagnostics | null;
}

export interface TrialJson {
  readonly id: number;
  readonly params: Readonly<Record<string, string | JsonNumber | boolean>>;
  readonly objective: JsonNumber;
  readonly feasible: boolean;
  readonly violated: readonly string[];
  readonly metrics: MetricsJson;
}

function paramsJson(p: ParamPoint): Record<string, string | JsonNumber | boolean> {
  const out: Record<string, string | JsonNumber | boolean> = {};
  for (const [k, v] of Object.entries(p)) out[k] = typeof v === 'number' ? jsonNumber(v) : v;
  return out;
}

export function trialJson(t: Trial): TrialJson {
  return { id: t.id, params: paramsJson(t.params), objective: jsonNumber(t.objective), feasible: t.feasible, violated: t.violated, metrics: metricsJson(t.metrics) };
}

/** A trial as the trials table keeps it (the same numbers as in `--json`); `window`: its walk-forward window. */
export function storedTrial(t: Trial, window: number | null): StoredTrial {
  const j = trialJson(t);
  const point = Object.fromEntries(Object.keys(t.point).map((k) => [k, j.params[k]]));
  return { window, id: j.id, params: j.params, point, objective: j.objective, feasible: j.feasible, violated: j.violated, metrics: j.metrics };
}

export function optimizationJson(meta: OptimizationMeta, space: ParamSpace, run: OptimizationRun): Record<string, unknown> {
  const feasible = run.trials.filter((t) => t.feasible).length;
  const secs = run.elapsedMs / 1000;
  return {
    version: ENGINE_VERSION,
    ...meta,
    paramConstraints: space.constraints.map((c) => c.text),
    space: space.dims.map((d) => ({ name: d.name, type: d.type, values: d.values, ...(d.range === undefined ? {} : { range: d.range }) })),
    stats: {
      trials: run.trials.length,
      feasible,
      canceled: run.canceled,
      stoppedEarly: run.stoppedEarly,
      elapsedMs: run.elapsedMs,
      trialsPerSecond: secs > 0 ? run.trials.length / secs : null,
    },
    best: run.best === undefined || !run.best.feasible ? null : { id: run.best.id, params: paramsJson(run.best.params), objective: jsonNumber(run.best.objective), metrics: metricsJson(run.best.metrics) },
  };
}

/** The document as text, trials written one per line so a big run never builds one huge string. */
export function* optimizationJsonChunks(meta: OptimizationMeta, space: ParamSpace, run: OptimizationRun): Generator<string> {
  const head = JSON.stringify(optimizationJson(meta, space, run));
  yield head.slice(0, -1) + ',"trials":[';
  for (let i = 0; i < run.trials.length; i++) yield (i === 0 ? '\n' : ',\n') + JSON.stringify(trialJson(run.trials[i] as Trial));
  yield ']}\n';
}

export async function writeOptimizationJson(path: string, meta: OptimizationMeta, space: ParamSpace, run: OptimizationRun): Promise<void> {
  await writeChunks(path, optimizationJsonChunks(meta, space, run));
}

const CSV_METRICS = ['totalReturn', 'cagr', 'sharpe', 'sortino', 'calmar', 'maxDrawdown', 'profitFactor', 'sqn', 'tradeCount', 'winRate', 'finalEquity'] as const;

function csvCell(v: unknown): string {
  const s = v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row a trial: id, searched parameters, objective, feasible, then the main metrics. */
export function* trialsCsvChunks(space: ParamSpace, trials: readonly Trial[]): Generator<string> {
  const names = space.dims.map((d) => d.name);
  yield ['id', ...names, 'objective', 'feasible', ...CSV_METRICS].join(',') + '\n';
  for (const t of trials) {
    const cells = [t.id, ...names.map((n) => t.params[n]), t.objective, t.feasible, ...CSV_METRICS.map((m) => t.metrics[m])];
    yield cells.map(csvCell).join(',') + '\n';
  }
}
