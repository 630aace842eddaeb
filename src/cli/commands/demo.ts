// `pi5 demo` (what `npm start` runs): generates seeded sample data, backtests the SMA crossover on it and
// writes a report, so a fresh clone shows the whole path with no network and no services.

import { mkdir } from 'node:fs/promises';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '../../core/log.js';
import { generateSyntheticBars, writeBarsCsv } from '../../data/synthetic.js';
import { runBacktest } from '../../engine/backtestRunner.js';
import { smaCross } from '../../strategy/builtin/smaCross.js';
import { writeHtmlReport } from '../../backtest/report/html.js';
import { writeResultJson } from '../../backtest/report/json.js';
import { formatSummary } from '../../backtest/report/summary.js';
import { parseTradingSpecs } from '../../engine/specs.js';

const DEMO_SYMBOLS = [
  { symbol: 'DEMOA', seed: 1, startPrice: 50 },
  { symbol: 'DEMOB', seed: 2, startPrice: 120 },
  { symbol: 'DEMOC', seed: 3, startPrice: 30 },
] as const;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate seeded sample data, backtest an SMA crossover on it, and write a report')
    .option('--out <dir>', 'where to write the data and report (default: $PI5_DATA_DIR or ./data)')
    .option('--bars <n>', 'daily bars per symbol', '2520')
    .action(async (flags: { out?: string; bars: string }) => {
      const out = resolve(flags.out ?? process.env.PI5_DATA_DIR ?? 'data');
      const dataDir = join(out, 'demo');
      await mkdir(dataDir, { recursive: true });
      const bars = Math.max(60, Math.floor(Number(flags.bars)) || 2520);
      const series = DEMO_SYMBOLS.map((d) => generateSyntheticBars({ ...d, bars, start: Date.UTC(2015, 0, 1) }));
      for (const s of series) await writeFile(join(dataDir, `${s.symbol}.csv`), writeBarsCsv(s));
      const result = runBacktest({
        series,
        strategy: smaCross,
        params: { fast: 20, slow: 50 },
        cash: 100_000,
        ...parseTradingSpecs({ size: '30%', commission: 'per-share:0.005:min=1', slippage: 'bps:2' }),
        dataSources: [dataDir],
        log: createLogger('warn'),
      });
      const report = join(out, 'demo-report.html');
      const json = join(out, 'demo-result.json');
      await writeHtmlReport(report, result);
      await writeResultJson(json, result);
      process.stdout.write(formatSummary(result));
      process.stdout.write(`\nsample data: ${dataDir}\nreport:      ${report}\nresult JSON: ${json}\n`);
      process.stdout.write(`\nNext: pi5 backtest --data ${dataDir} --strategy sma-cross --param fast=10 --param slow=30 --report out.html\n`);
    });
}
