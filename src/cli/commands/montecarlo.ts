// `pi5 montecarlo`: robustness of one backtest, from its result JSON (`pi5 backtest --json`) or a run stored
// by the API (`--run <id>`): trade shuffling, trade bootstrap, block bootstrap of returns or returns drawn
// from a fitted distribution, seeded; or (`--method params`) the backtest itself re-run with its parameters
// jittered, from the same data and run flags as `pi5 backtest`, on this thread, a worker-thread pool (--workers)
// or `pi5 worker` processes (--distributed), like the trials of `pi5 optimize`.

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { Pi5Error } from '../../core/errors.js';
import { BacktestJobs } from '../../backtest/jobs/backtestJobs.js';
import { writeChunks } from '../../backtest/report/writeChunks.js';
import { monteCarlo, parseMonteCarloMethod, type Distribution, type MonteCarloResult, type MonteCarloSummary } from '../../optimize/monteCarlo.js';
import { drawHistories, PARAM_NOISE_RULES, parameterNoise, type ParamNoiseResult } from '../../optimize/paramNoise.js';
import { parseReturnDistribution } from '../../optimize/returnFit.js';
import { loadStrategy } from '../../strategy/loader.js';
import { withDatabase } from '../../persistence/session.js';
import { collectParam, parseList, parseNumberOption } from '../options.js';
import { addRunFlags, runDataOf, withSessionZone, type RunFlags } from '../runFlags.js';
import { progressReporter } from '../progress.js';
import { addQueueFlags, type QueueFlags } from '../queueFlags.js';
import { trialRunner } from '../trialRunner.js';

interface MonteCarloFlags extends RunFlags, QueueFlags {
  result?: string;
  run?: string;
  method: string;
  simulations?: string;
  seed: string;
  block?: string;
  dist: string;
  strategy?: string;
  param?: Record<string, string>;
  noise: string;
  jitter?: string;
  ruin: string;
  target: string;
  workers: string;
  distributed?: boolean;
  json?: string;
  quiet?: boolean;
  progress?: boolean;
}

/** The part of a backtest result JSON (DESIGN.md §12) the simulation reads. */
const resultSchema = z.object({
  config: z.object({ cash: z.number().positive() }),
  trades: z.array(z.object({ pnl: z.number() })),
  equityCurve: z.array(z.tuple([z.string(), z.number()])),
});

export function registerMonteCarlo(program: Command): void {
  const cmd = program
    .command('montecarlo')
    .description('Monte Carlo robustness of a backtest: return and drawdown distributions, probabilities of profit, target and ruin')
    .option('--result <backtest.json>', 'a result written by pi5 backtest --json')
    .option('--run <id>', 'a backtest stored by the API (its id), read from the database')
    .option('--method <name>', 'shuffle (trade order), bootstrap (trades drawn with replacement), block (bar returns in blocks), parametric (bar returns from a fitted --dist) or params (the backtest re-run with jittered parameters)', 'shuffle')
    .option('--simulations <n>', 'alternative histories (default 10000; 200 for params, each a backtest)')
    .option('--seed <n>', 'seed of the draws', '1')
    .option('--block <bars>', 'block length for --method block (default: cube root of the bars)')
    .option('--dist <normal|t>', 'parametric: the distribution fitted to the bar returns (t: Student-t, degrees of freedom from the kurtosis)', 'normal')
    .option('--ruin <fraction>', 'a history is ruined once its drawdown reaches this (0.5 = lost half from a peak)', '0.5')
    .option('--target <return>', 'total return whose probability is reported (0.2 = +20 %)', '0.2')
    .option('--data <file|dir...>', 'params: CSV file(s) or a directory of CSV files (default: the bar store, with --symbols)')
    .option('--strategy <id|path>', 'params: the strategy to re-run')
    .option('--param <name=value>', 'params: a strategy parameter (repeatable); the rest keep their defaults', collectParam)
    .option('--noise <fraction>', "params: jitter of ± this fraction of each parameter's value, kept inside its schema range", '0.1')
    .option('--jitter <a,b>', 'params: the parameters to jitter (default: every numeric one)')
    .option('--workers <n>', 'params: worker threads running the backtests (bars shared, not copied); 1 runs on this thread', '1')
    .option('--distributed', 'params: run the backtests on `pi5 worker` processes through a Redis queue (as pi5 optimize --distributed)');
  addQueueFlags(addRunFlags(cmd))
    .option('--json <out.json>', 'write the distributions (and every history) as JSON')
    .option('--quiet', 'print nothing on success')
    .option('--no-progress', 'params: no progress display')
    .action((f: MonteCarloFlags) => monteCarloCommand(f));
}

async function readResult(f: MonteCarloFlags): Promise<{ text: string; where: string }> {
  if ((f.result === undefined) === (f.run === undefined)) throw new Pi5Error('PI5_ERR_BAD_USAGE', 'montecarlo: give either --result <backtest.json> or --run <id>');
  if (f.result !== undefined) {
    const path = f.result;
    try {
      return { text: await readFile(path, 'utf8'), where: path };
    } catch (e) {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', `--result ${path}: cannot read: ${(e as Error).message}`);
    }
  }
  const id = parseNumberOption('--run', f.run ?? '', { min: 1, integer: true });
  return { text: await withDatabase((db) => new BacktestJobs({ db }).result(id)), where: `backtest ${id}` };
}

function parseResult(text: string, where: string): z.infer<typeof resultSchema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `${where}: not JSON: ${(e as Error).message}`);
  }
  const parsed = resultSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `${where}: not a backtest result: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

async function monteCarloCommand(f: MonteCarloFlags): Promise<void> {
  const method = parseMonteCarloMethod(f.method);
  const simulations = parseNumberOption('--simulations', f.simulations ?? (method === 'params' ? '200' : '10000'), { min: 1, max: method === 'params' ? 100_000 : 1_000_000, integer: true });
  const seed = parseNumberOption('--seed', f.seed, { integer: true });
  const ruinDrawdown = parseNumberOption('--ruin', f.ruin, { min: 0.0001, max: 1 });
  const target = parseNumberOption('--target', f.target, { min: -1 });
  if (method === 'params') {
    await paramNoiseCommand(f, { simulations, seed, ruinDrawdown, target });
    return;
  }
  if (f.strategy !== undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--strategy: only --method params re-runs a strategy; --method ${method} resamples a result (--result or --run)`);
  if (f.workers !== '1' || f.distributed === true) throw new Pi5Error('PI5_ERR_BAD_USAGE', `--workers, --distributed: only --method params runs backtests; --method ${method} resamples on this thread`);
  const blockLength = f.block === undefined ? undefined : parseNumberOption('--block', f.block, { min: 1, integer: true });
  const distribution = parseReturnDistribution(f.dist);
  const { text, where } = await readResult(f);
  const result = parseResult(text, where);
  const eq = result.equityCurve.map(([, e]) => e);
  const returns = eq.slice(1).map((e, i) => e / (eq[i] as number) - 1);
  const mc = monteCarlo({ method, cash: result.config.cash, tradePnl: result.trades.map((t) => t.pnl), returns, simulations, seed, ruinDrawdown, target, distribution, ...(blockLength === undefined ? {} : { blockLength }) });
  if (f.json !== undefined) await writeChunks(f.json, [JSON.stringify(monteCarloJson(mc, where)) + '\n']);
  if (!f.quiet) process.stdout.write(formatMonteCarlo(mc, where));
}

async function paramNoiseCommand(f: MonteCarloFlags, o: { simulations: number; seed: number; ruinDrawdown: number; target: number }): Promise<void> {
  if (f.result !== undefined || f.run !== undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--method params re-runs the backtest from its data and flags (--data, --strategy, --param), not from --result or --run');
  if (f.strategy === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--method params: give --strategy <id|path> (and --data or --symbols)');
  const strategy = await loadStrategy(f.strategy);
  const { settings } = await runDataOf(f, 'montecarlo');
  const noise = parseNumberOption('--noise', f.noise, { min: 0, max: 1 });
  const workers = parseNumberOption('--workers', f.workers, { min: 1, max: 256, integer: true });
  const params = withSessionZone(strategy, f.param ?? {}, f.timezone);
  const base = { ...settings, strategy };
  const input = { base, params, noise, ...o, ...(f.jitter === undefined ? {} : { jitter: parseList(f.jitter) }) };
  // Drawn before any thread or queue starts: bad parameters are told first, and the draws' order is this thread's.
  const draws = drawHistories(input);
  // Every point is a full parameter set, so the runner's fixed parameters are none.
  const runner = await trialRunner({ ...f, strategy: f.strategy }, base, {}, PARAM_NOISE_RULES, workers);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  const show = f.progress !== false && !f.quiet ? progressReporter('montecarlo') : undefined;
  let mc: ParamNoiseResult | null;
  try {
    mc = await parameterNoise(input, { evaluate: runner.evaluatorFor(base), batch: runner.batch, signal: controller.signal, ...(show === undefined ? {} : { onProgress: show }) }, draws);
  } finally {
    process.off('SIGINT', stop);
    await runner.close();
  }
  // A summary of the histories run so far would read as the whole distribution: nothing is written.
  if (mc === null) {
    if (show !== undefined && process.stderr.isTTY) process.stderr.write('\n'); // below the progress bar
    throw new Pi5Error('PI5_ERR_CANCELED', 'montecarlo: interrupted; nothing written');
  }
  const source = `${strategy.id} on ${settings.series.map((s) => s.symbol).join(',')}`;
  if (f.json !== undefined) await writeChunks(f.json, [JSON.stringify(monteCarloJson(mc, source)) + '\n']);
  if (!f.quiet) process.stdout.write(formatParamNoise(mc, source));
}

export function monteCarloJson(mc: MonteCarloResult | ParamNoiseResult, source: string): Record<string, unknown> {
  const { samples, ...rest } = mc;
  return { source, ...rest, samples: { totalReturn: Array.from(samples.totalReturn), maxDrawdown: Array.from(samples.maxDrawdown) } };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

function row(name: string, d: Distribution): string {
  return `  ${name.padEnd(14)} ${[d.p5, d.p25, d.median, d.p75, d.p95, d.mean].map((x) => pct(x).padStart(10)).join(' ')}`;
}

function describeDraws(mc: MonteCarloResult): string {
  if (mc.method === 'block') return `${mc.steps} bar returns in blocks of ${String(mc.blockLength)}`;
  const f = mc.fit;
  if (f === null) return `${mc.steps} trades`;
  const shape = f.dof === null ? 'normal' : `Student-t (${f.dof.toFixed(2)} degrees of freedom)`;
  return `${mc.steps} bar returns drawn from a ${shape} with mean ${f.mean.toExponential(3)} and sd ${f.sd.toExponential(3)} (expected total return ${pct(f.expectedTotalReturn)})`;
}

export function formatMonteCarlo(mc: MonteCarloResult, source: string): string {
  return formatSummary(`Monte Carlo (${mc.method}) of ${source}: ${mc.simulations} histories of ${describeDraws(mc)}, seed ${mc.seed}`, mc);
}

export function formatParamNoise(mc: ParamNoiseResult, source: string): string {
  const given = mc.jittered.map((n) => `${n}=${String(mc.original.params[n])}`).join(' ');
  return formatSummary(`Monte Carlo (params) of ${source}: ${mc.simulations} backtests with ${given} jittered by ±${pct(mc.noise)} of their values, seed ${mc.seed}`, mc);
}

function formatSummary(title: string, mc: MonteCarloSummary & { readonly original: { readonly totalReturn: number; readonly maxDrawdown: number } }): string {
  return [
    title,
    `  original       return ${pct(mc.original.totalReturn)}, max drawdown ${pct(mc.original.maxDrawdown)}`,
    `  ${''.padEnd(14)} ${['5 %', '25 %', 'median', '75 %', '95 %', 'mean'].map((h) => h.padStart(10)).join(' ')}`,
    row('total return', mc.totalReturn),
    row('max drawdown', mc.maxDrawdown),
    `  P(profit) ${pct(mc.probabilityOfProfit)}   P(return ≥ ${pct(mc.target)}) ${pct(mc.probabilityOfTarget)}   P(ruin: drawdown ≥ ${pct(mc.ruinDrawdown)}) ${pct(mc.probabilityOfRuin)}`,
  ].join('\n') + '\n';
}
