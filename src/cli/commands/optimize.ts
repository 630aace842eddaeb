// `pi5 optimize`: searches a strategy's parameters (grid, random, TPE, genetic, PSO) over historical bars, each trial a full
// backtest through the kernel, and prints the best trials; --json and --csv keep every trial.

import type { Command } from 'commander';
import { writeChunks } from '../../backtest/report/writeChunks.js';
import { loadStrategy } from '../../strategy/loader.js';
import { parseConstraint, parseObjective } from '../../optimize/objective.js';
import { diagnose, type Diagnostics } from '../../optimize/diagnostics.js';
import { optimize, type OptimizationRun } from '../../optimize/optimizer.js';
import type { FinishedRun } from '../../optimize/storeRun.js';
import type { StoredTrial } from '../../persistence/repositories/optimizationRuns.js';
import { jsonNumber } from '../../backtest/report/json.js';
import { optimizationJson, storedTrial, trialsCsvChunks, writeOptimizationJson, type OptimizationMeta } from '../../optimize/resultJson.js';
import { parseMethod, type SearchOptions } from '../../optimize/search.js';
import { buildSpace, type ParamPoint, type ParamSpace } from '../../optimize/space.js';
import type { Trial, TrialBase, TrialRules } from '../../optimize/trial.js';
import { parseWalkForward, walkForward, type WalkForwardResult } from '../../optimize/walkForward.js';
import { formatWalkForward, walkForwardDocument } from '../../optimize/walkForwardJson.js';
import { collectParam, parseNumberOption } from '../options.js';
import { addRunFlags, runDataOf, withSessionZone, type RunFlags } from '../runFlags.js';
import { progressReporter } from '../progress.js';
import { addQueueFlags, type QueueFlags } from '../queueFlags.js';
import { trialRunner, type TrialRunner } from '../trialRunner.js';
import { renderOptimizationReport, renderWalkForwardReport, writeReport } from '../../optimize/report/html.js';

interface OptimizeFlags extends RunFlags, QueueFlags {
  strategy: string;
  grid?: string[];
  param?: Record<string, string>;
  where?: string[];
  objective: string;
  constraint?: string[];
  method: string;
  budget?: string;
  seed: string;
  workers: string;
  walkForward?: string;
  patience?: string;
  population?: string;
  crossover?: string;
  mutation?: string;
  json?: string;
  csv?: string;
  report?: string;
  store?: boolean;
  top: string;
  progress?: boolean;
  distributed?: boolean;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerOptimize(program: Command): void {
  const cmd = program
    .command('optimize')
    .description("search a strategy's parameters for the best objective; every trial is a full backtest")
    .option('--data <file|dir...>', 'CSV file(s) or a directory of CSV files (default: the bar store, with --symbols)')
    .requiredOption('--strategy <id|path>', 'built-in strategy id (see `pi5 strategies`) or a .ts/.js module path')
    .option('--grid <name=spec>', 'searched parameter: from:to:step, from:to (ints; a continuous range for numbers), a,b,c, or * (enum/boolean); repeatable', collect)
    .option('--param <name=value>', 'fixed strategy parameter (repeatable)', collectParam)
    .option('--where <expr>', 'parameter constraint, e.g. "fast < slow" (repeatable)', collect)
    .option('--objective <metric|expr>', 'maximized: sharpe, sortino, cagr, calmar, profitFactor, sqn, any metric, or an expression over metrics', 'sharpe')
    .option('--constraint <expr>', 'a trial counts only if this holds, e.g. "maxDrawdown < 0.2", "tradeCount >= 30" (repeatable)', collect)
    .option('--method <name>', 'search method: grid, random, bayes (TPE), genetic, pso', 'grid')
    .option('--budget <n>', 'most trials (default: the whole grid; 100 for random)')
    .option('--seed <n>', 'seed of the random methods', '1')
    .option('--patience <n>', 'stop early after n trials in a row without a better best')
    .option('--population <n>', 'genetic: individuals per generation (default 20)')
    .option('--crossover <p>', 'genetic: chance of crossover per child (default 0.9)')
    .option('--mutation <p>', 'genetic: chance of mutation per gene (default 1 / parameters)')
    .option('--walk-forward <spec>', 'walk-forward analysis: is=2y,oos=6m[,anchored] (lengths in d, w, m, y)')
    .option('--workers <n>', 'worker threads running trials (bars shared, not copied); 1 runs on this thread', '1')
    .option('--distributed', 'run the trials on `pi5 worker` processes through a Redis queue (resumes an interrupted run)');
  addQueueFlags(addRunFlags(cmd))
    .option('--json <out.json>', 'write every trial and the best as JSON')
    .option('--csv <out.csv>', 'write every trial as CSV')
    .option('--report <out.html>', 'write a self-contained HTML report (heatmap, convergence, stability, diagnostics; walk-forward equity)')
    .option('--store', 'store the run and every trial in the database (DATABASE_URL, or PGlite in PI5_DATA_DIR) beside the API\'s runs')
    .option('--top <n>', 'trials shown in the summary', '10')
    .option('--quiet', 'print nothing on success')
    .option('--no-progress', 'no progress display')
    .action((flags: OptimizeFlags) => optimizeCommand(flags));
}

/** The backtest settings of every trial: the same inputs `pi5 backtest` builds from the same flags. */
export async function trialBaseOf(f: OptimizeFlags): Promise<TrialBase> {
  const strategy = await loadStrategy(f.strategy);
  const { settings } = await runDataOf(f, 'optimize');
  return { ...settings, strategy };
}

async function optimizeCommand(f: OptimizeFlags): Promise<void> {
  const base = await trialBaseOf(f);
  const space = buildSpace({ strategyId: base.strategy.id, schema: base.strategy.params, grid: f.grid ?? [], fixed: withSessionZone(base.strategy, f.param ?? {}, f.timezone), constraints: f.where ?? [], ...(base.strategy.constraints === undefined ? {} : { rules: base.strategy.constraints }) });
  const rules = { objective: parseObjective(f.objective), constraints: (f.constraint ?? []).map(parseConstraint) };
  const method = parseMethod(f.method);
  const budget = f.budget === undefined ? undefined : parseNumberOption('--budget', f.budget, { min: 1, integer: true });
  const seed = parseNumberOption('--seed', f.seed, { integer: true });
  const workers = parseNumberOption('--workers', f.workers, { min: 1, max: 256, integer: true });
  const trials = await trialRunner(f, base, space.fixed as ParamPoint, rules, workers);
  if (f.walkForward !== undefined) {
    try {
      await walkForwardCommand(f, base, space, rules, trials, workers, { method, seed, ...(budget === undefined ? {} : { budget }), ...searchTuning(f) });
    } finally {
      await trials.close();
    }
    return;
  }
  const show = f.progress !== false && !f.quiet ? progressReporter('optimize') : undefined;
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  let run: OptimizationRun;
  let diagnostics: Diagnostics | null;
  try {
    run = await optimize({
      space, rules, method, seed, ...(budget === undefined ? {} : { budget }), ...searchTuning(f),
      evaluate: trials.evaluatorFor(base),
      batch: trials.batch,
      signal: controller.signal,
      ...(show === undefined ? {} : { onProgress: show }),
    });
    process.off('SIGINT', stop);
    // The diagnostics' replays run where the trials ran (this thread, the pool, or the distributed workers).
    diagnostics = await diagnose(trials.returnsFor(base), run, space);
  } finally {
    process.off('SIGINT', stop);
    await trials.close();
  }
  const meta: OptimizationMeta = {
    strategy: base.strategy.id, method, objective: rules.objective.text, constraints: rules.constraints.map((c) => c.text),
    seed, budget: budget ?? null, workers, config: configOf(base, f), diagnostics,
  };
  if (f.json !== undefined) await writeOptimizationJson(f.json, meta, space, run);
  if (f.csv !== undefined) await writeChunks(f.csv, trialsCsvChunks(space, run.trials));
  if (f.report !== undefined) await writeReport(f.report, renderOptimizationReport(meta, space, run));
  if (!f.quiet) process.stdout.write(formatOptimization(space, run, meta, parseNumberOption('--top', f.top, { min: 0, integer: true })));
  if (f.store === true) {
    const bestObjective = run.best?.feasible === true ? jsonNumber(run.best.objective) : null;
    await storeRun(f, { meta, grid: f.grid ?? [], trials: run.trials.map((t) => storedTrial(t, null)), canceled: run.canceled, resultJson: JSON.stringify(optimizationJson(meta, space, run)), html: renderOptimizationReport(meta, space, run), bestObjective });
  }
}

/** --store: the run into the configured database (loaded only when asked: a plain run starts without it). */
async function storeRun(f: OptimizeFlags, run: FinishedRun): Promise<void> {
  const [{ withDatabase }, { storeOptimizationRun }] = await Promise.all([import('../../persistence/session.js'), import('../../optimize/storeRun.js')]);
  const id = await withDatabase((db) => storeOptimizationRun(db, run));
  if (!f.quiet) process.stdout.write(`stored: optimization ${id} (GET /api/v1/optimizations/${id})\n`);
}

async function walkForwardCommand(f: OptimizeFlags, base: TrialBase, space: ParamSpace, rules: TrialRules, runner: TrialRunner, workers: number, search: SearchOptions & { patience?: number }): Promise<void> {
  const spec = parseWalkForward(f.walkForward ?? '');
  const show = f.progress !== false && !f.quiet ? progressReporter('walk-forward windows') : undefined;
  const trials: StoredTrial[] = [];
  let windows = 0;
  const result: WalkForwardResult = await walkForward({
    ...search, base, space, rules, spec,
    batch: runner.batch,
    evaluatorFor: (b, inSample) => {
      windows++;
      return runner.evaluatorFor(b, inSample);
    },
    returnsFor: (b, inSample) => runner.returnsFor(b, inSample),
    ...(f.store === true ? { onTrials: (done: readonly Trial[]) => trials.push(...done.map((t) => storedTrial(t, windows - 1))) } : {}),
    ...(show === undefined ? {} : { onWindow: show }),
  });
  const meta: OptimizationMeta = { strategy: base.strategy.id, method: search.method, objective: rules.objective.text, constraints: rules.constraints.map((c) => c.text), seed: search.seed ?? 1, budget: search.budget ?? null, workers, config: configOf(base, f) };
  if (f.json !== undefined) await writeChunks(f.json, [JSON.stringify(walkForwardDocument(meta, spec, result)) + '\n']);
  if (f.report !== undefined) await writeReport(f.report, renderWalkForwardReport(meta, spec, result));
  if (!f.quiet) process.stdout.write(formatWalkForward(spec, result));
  if (f.store === true) await storeRun(f, { meta, grid: f.grid ?? [], trials, canceled: false, resultJson: JSON.stringify(walkForwardDocument(meta, spec, result)), html: renderWalkForwardReport(meta, spec, result), bestObjective: null });
}

function searchTuning(f: OptimizeFlags): { patience?: number; genetic: { population?: number; crossover?: number; mutation?: number } } {
  const opt = (flag: string, v: string | undefined, o: { min: number; max?: number; integer?: boolean }): number | undefined => (v === undefined ? undefined : parseNumberOption(flag, v, o));
  const patience = opt('--patience', f.patience, { min: 1, integer: true });
  const population = opt('--population', f.population, { min: 2, integer: true });
  const crossover = opt('--crossover', f.crossover, { min: 0, max: 1 });
  const mutation = opt('--mutation', f.mutation, { min: 0, max: 1 });
  return {
    ...(patience === undefined ? {} : { patience }),
    genetic: { ...(population === undefined ? {} : { population }), ...(crossover === undefined ? {} : { crossover }), ...(mutation === undefined ? {} : { mutation }) },
  };
}

function configOf(base: TrialBase, f: OptimizeFlags): Record<string, unknown> {
  return {
    data: base.dataSources ?? [], symbols: base.series.map((s) => s.symbol), timeframe: base.series[0]?.timeframe ?? null,
    from: f.from ?? null, to: f.to ?? null, cash: base.cash, size: base.size, commission: base.commission, slippage: base.slippage,
    fillOn: base.fillOn, riskFreeRate: base.riskFreeRate, fixed: f.param ?? {},
    adjustment: base.adjustment ?? 'none', volumeLimitPct: base.volumeLimitPct ?? null, periodsPerYear: base.periodsPerYear ?? null,
    limits: base.limits ?? null, risk: base.risk ?? null, timeZone: base.timeZone ?? null,
  };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : 'n/a';
}

export function formatOptimization(space: ParamSpace, run: OptimizationRun, meta: OptimizationMeta, top: number): string {
  const feasible = run.trials.filter((t) => t.feasible);
  const rate = run.elapsedMs > 0 ? (run.trials.length / (run.elapsedMs / 1000)).toFixed(0) : 'n/a';
  const lines = [
    `${meta.method} search of ${meta.strategy}: ${run.trials.length} trials (${feasible.length} feasible) in ${(run.elapsedMs / 1000).toFixed(2)} s, ${rate} trials/s${run.canceled ? ' — canceled' : ''}${run.stoppedEarly ? ' — stopped early (patience)' : ''}`,
    `objective: maximize ${meta.objective}${meta.constraints.length ? `; constraints: ${meta.constraints.join(', ')}` : ''}`,
  ];
  const ranked = [...feasible].sort((a, b) => b.objective - a.objective || a.id - b.id).slice(0, top);
  if (ranked.length === 0) lines.push('no trial met the constraints');
  const names = space.dims.map((d) => d.name);
  for (const t of ranked) {
    const p = names.map((n) => `${n}=${String(t.params[n])}`).join(' ');
    lines.push(`  ${fmt(t.objective).padStart(10)}  ${p}  return ${fmt(t.metrics.totalReturn)} maxDD ${fmt(t.metrics.maxDrawdown)} trades ${t.metrics.tradeCount}`);
  }
  if (meta.diagnostics !== undefined && meta.diagnostics !== null) lines.push(meta.diagnostics.verdict);
  return lines.join('\n') + '\n';
}
