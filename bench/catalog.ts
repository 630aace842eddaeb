// The embedded store as a user meets it, each a whole `pi5` process on 1M generated 1m bars: `data import` into
// the bar catalog, `backtest --json` from it (baseline: the same backtest from the CSV), and `data list` (baseline:
// `node -e 0`). Wall and CPU seconds and peak RSS of each come from the finished child (docs/benchmarks.md,
// embedded store); the load goes beside them.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSyntheticBars, writeBarsCsv } from '../src/data/synthetic.js';
import { cost, describeRun, loadNow, wholeProcess, type BenchRecord } from './measure.js';


export function benchCatalog(cliPath: string): BenchRecord[] {
  const dir = mkdtempSync(join(tmpdir(), 'pi5-bench-catalog-'));
  try {
    const csv = join(dir, 'SYN-1m.csv');
    writeFileSync(csv, writeBarsCsv(generateSyntheticBars({ symbol: 'SYN', bars: 1_000_000, seed: 42, timeframe: '1m' })));
    const cli = resolve(cliPath);
    const data = join(dir, 'data');
    const env = { ...process.env, PI5_DATA_DIR: data, DATABASE_URL: '' };
    const strategy = ['--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--quiet', '--json', join(dir, 'out.json')];
    const load = loadNow();
    const imp = wholeProcess([process.execPath, cli, 'data', 'import', csv], env, 3, () => rmSync(data, { recursive: true, force: true }));
    const nodeStart = wholeProcess([process.execPath, '-e', '0'], env, 5);
    const fromCsv = wholeProcess([process.execPath, cli, 'backtest', '--data', csv, ...strategy], env, 3);
    const fromStore = wholeProcess([process.execPath, cli, 'backtest', '--symbols', 'SYN', '--timeframe', '1m', ...strategy], env, 3);
    const list = wholeProcess([process.execPath, cli, 'data', 'list'], env, 5);
    const note = `median of 3-5 runs; load ${load}-${loadNow()}`;
    return [
      {
        ...cost('store.import.1M', imp.seconds, fromCsv.seconds, 's', `${describeRun(imp)}; baseline: the backtest of the same CSV (${describeRun(fromCsv)}); ${note}`),
        command: 'pi5 data import SYN-1m.csv  (fresh PI5_DATA_DIR, 1,000,000 1m bars)',
      },
      {
        ...cost('store.backtest.1M', fromStore.seconds, fromCsv.seconds, 's', `${describeRun(fromStore)}; baseline: the same backtest from the CSV (${describeRun(fromCsv)}); ${note}`),
        command: 'pi5 backtest --symbols SYN --timeframe 1m --strategy sma-cross --param fast=10 --param slow=30 --quiet --json out.json',
      },
      {
        ...cost('store.list', list.seconds, nodeStart.seconds, 's', `${describeRun(list)}; baseline: node -e 0 (${describeRun(nodeStart)}); ${note}`),
        command: 'pi5 data list',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
