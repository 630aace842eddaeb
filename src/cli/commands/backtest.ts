// `pi5 backtest`: loads bars, runs a strategy through the kernel and writes the summary, JSON, trade CSV
// and HTML report that were asked for (DESIGN.md §12 keeps these flags and the JSON shape stable).

import type { Command } from 'commander';
import { createLogger } from '../../core/log.js';
import { runBacktest } from '../../engine/backtestRunner.js';
import { loadStrategy } from '../../strategy/loader.js';
import { writeResultJson } from '../../backtest/report/json.js';
import { pickSeries } from '../loadData.js';
import { collectParam } from '../options.js';
import { progressReporter } from '../progress.js';
import { withCpuProfile } from '../profile.js';
import { addRunFlags, runDataOf, withSessionZone, type RunFlags } from '../runFlags.js';

interface BacktestFlags extends RunFlags {
  strategy: string;
  param?: Record<string, string>;
  benchmark?: string;
  json?: string;
  report?: string;
  trades?: string;
  profile?: string;
  progress?: boolean;
}

export function registerBacktest(program: Command): void {
  const cmd = program
    .command('backtest')
    .description('run a strategy over historical bars and report trades and metrics')
    .option('--data <file|dir...>', 'CSV file(s) or a directory of CSV files (default: the bar store, with --symbols)')
    .requiredOption('--strategy <id|path>', 'built-in strategy id (see `pi5 strategies`) or a .ts/.js module path')
    .option('--param <name=value>', 'strategy parameter (repeatable)', collectParam);
  addRunFlags(cmd, (c) => c.option('--benchmark <symbol>', 'symbol in the data to compute alpha, beta and tracking error against'))
    .option('--json <out.json>', 'write the result as JSON')
    .option('--report <out.html>', 'write a self-contained HTML report')
    .option('--trades <out.csv>', 'write the closed trades as CSV')
    .option('--profile <out.cpuprofile>', 'write a V8 CPU profile of the run')
    .option('--quiet', 'print nothing on success')
    .option('--no-progress', 'no progress display')
    .action(async (flags: BacktestFlags) => {
      await withCpuProfile(flags.profile, () => backtestCommand(flags));
    });
}

async function backtestCommand(f: BacktestFlags): Promise<void> {
  const strategy = await loadStrategy(f.strategy);
  const { settings, loaded } = await runDataOf(f, 'backtest', f.benchmark === undefined ? [] : [f.benchmark]);
  const benchmark = f.benchmark === undefined ? undefined : pickSeries(loaded, f.benchmark, '--benchmark');
  const showProgress = f.progress !== false && !f.quiet;
  const result = runBacktest({
    ...settings,
    strategy,
    params: withSessionZone(strategy, f.param ?? {}, f.timezone),
    log: createLogger(f.quiet ? 'error' : 'warn'),
    ...(benchmark === undefined ? {} : { benchmark }),
    ...(showProgress ? { onProgress: bigRunProgress() } : {}),
  });
  if (f.json !== undefined) await writeResultJson(f.json, result);
  // The other outputs' modules (the HTML report's charts and tables above all) load only when asked for.
  if (f.trades !== undefined) await (await import('../../backtest/report/tradesCsv.js')).writeTradesCsv(f.trades, result.trades);
  if (f.report !== undefined) await (await import('../../backtest/report/html.js')).writeHtmlReport(f.report, result);
  if (!f.quiet) {
    process.stdout.write((await import('../../backtest/report/summary.js')).formatSummary(result));
    for (const [flag, path] of [['json', f.json], ['trades', f.trades], ['report', f.report]] as const) {
      if (path !== undefined) process.stdout.write(`${flag}: ${path}\n`);
    }
  }
}

/** Progress only for runs long enough to notice (200k bars and up). */
function bigRunProgress(): (done: number, total: number) => void {
  const show = progressReporter('backtest');
  return (done, total) => {
    if (total >= 200_000) show(done, total);
  };
}
