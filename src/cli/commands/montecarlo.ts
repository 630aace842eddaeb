// `pi5 montecarlo`: robustness of one backtest, from its result JSON (`pi5 backtest --json`) or a run stored
// by the API (`--run <id>`): trade shuffling, trade bootstrap or block bootstrap of returns, seeded.

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { Pi5Error } from '../../core/errors.js';
import { BacktestJobs } from '../../backtest/jobs/backtestJobs.js';
import { writeChunks } from '../../backtest/report/writeChunks.js';
import { monteCarlo, parseMonteCarloMethod, type Distribution, type MonteCarloResult } from '../../optimize/monteCarlo.js';
import { withDatabase } from '../../persistence/session.js';
import { parseNumberOption } from '../options.js';

interface MonteCarloFlags {
  result?: string;
  run?: string;
  method: string;
  simulations: string;
  seed: string;
  block?: string;
  ruin: string;
  target: string;
  json?: string;
  quiet?: boolean;
}

/** The part of a backtest result JSON (DESIGN.md §12) the simulation reads. */
const resultSchema = z.object({
  config: z.object({ cash: z.number().positive() }),
  trades: z.array(z.object({ pnl: z.number() })),
  equityCurve: z.array(z.tuple([z.string(), z.number()])),
});

export function registerMonteCarlo(program: Command): void {
  program
    .command('montecarlo')
    .description('Monte Carlo robustness of a backtest: return and drawdown distributions, probabilities of profit, target and ruin')
    .option('--result <backtest.json>', 'a result written by pi5 backtest --json')
    .option('--run <id>', 'a backtest stored by the API (its id), read from the database')
    .option('--method <name>', 'shuffle (trade order), bootstrap (trades drawn with replacement) or block (bar returns in blocks)', 'shuffle')
    .option('--simulations <n>', 'alternative histories', '10000')
    .option('--seed <n>', 'seed of the draws', '1')
    .option('--block <bars>', 'block length for --method block (default: cube root of the bars)')
    .option('--ruin <fraction>', 'a history is ruined once its drawdown reaches this (0.5 = lost half from a peak)', '0.5')
    .option('--target <return>', 'total return whose probability is reported (0.2 = +20 %)', '0.2')
    .option('--json <out.json>', 'write the distributions (and every history) as JSON')
    .option('--quiet', 'print nothing on success')
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
  const simulations = parseNumberOption('--simulations', f.simulations, { min: 1, max: 1_000_000, integer: true });
  const seed = parseNumberOption('--seed', f.seed, { integer: true });
  const ruinDrawdown = parseNumberOption('--ruin', f.ruin, { min: 0.0001, max: 1 });
  const target = parseNumberOption('--target', f.target, { min: -1 });
  const blockLength = f.block === undefined ? undefined : parseNumberOption('--block', f.block, { min: 1, integer: true });
  const { text, where } = await readResult(f);
  const result = parseResult(text, where);
  const eq = result.equityCurve.map(([, e]) => e);
  const returns = eq.slice(1).map((e, i) => e / (eq[i] as number) - 1);
  const mc = monteCarlo({ method, cash: result.config.cash, tradePnl: result.trades.map((t) => t.pnl), returns, simulations, seed, ruinDrawdown, target, ...(blockLength === undefined ? {} : { blockLength }) });
  if (f.json !== undefined) await writeChunks(f.json, [JSON.stringify(monteCarloJson(mc, where)) + '\n']);
  if (!f.quiet) process.stdout.write(formatMonteCarlo(mc, where));
}

export function monteCarloJson(mc: MonteCarloResult, source: string): Record<string, unknown> {
  const { samples, ...rest } = mc;
  return { source, ...rest, samples: { totalReturn: Array.from(samples.totalReturn), maxDrawdown: Array.from(samples.maxDrawdown) } };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

function row(name: string, d: Distribution): string {
  return `  ${name.padEnd(14)} ${[d.p5, d.p25, d.median, d.p75, d.p95, d.mean].map((x) => pct(x).padStart(10)).join(' ')}`;
}

export function formatMonteCarlo(mc: MonteCarloResult, source: string): string {
  const what = mc.method === 'block' ? `${mc.steps} bar returns in blocks of ${String(mc.blockLength)}` : `${mc.steps} trades`;
  return [
    `Monte Carlo (${mc.method}) of ${source}: ${mc.simulations} histories of ${what}, seed ${mc.seed}`,
    `  original       return ${pct(mc.original.totalReturn)}, max drawdown ${pct(mc.original.maxDrawdown)}`,
    `  ${''.padEnd(14)} ${['5 %', '25 %', 'median', '75 %', '95 %', 'mean'].map((h) => h.padStart(10)).join(' ')}`,
    row('total return', mc.totalReturn),
    row('max drawdown', mc.maxDrawdown),
    `  P(profit) ${pct(mc.probabilityOfProfit)}   P(return ≥ ${pct(mc.target)}) ${pct(mc.probabilityOfTarget)}   P(ruin: drawdown ≥ ${pct(mc.ruinDrawdown)}) ${pct(mc.probabilityOfRuin)}`,
  ].join('\n') + '\n';
}
