// The embedded store as a user meets it, each a whole `pi5` process on 1M generated 1m bars: `data import` into
// the bar catalog, `backtest` from it (baseline: the same backtest from the CSV), and `data list` (baseline:
// `node -e 0`). Peak RSS of each is read from the finished child (docs/benchmarks.md, embedded store).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSyntheticBars, writeBarsCsv } from '../src/data/synthetic.js';
import { cost, type BenchRecord } from './measure.js';

interface Run {
  readonly seconds: number;
  readonly peakMiB: number;
}

/** Median wall time of `runs` runs; peak RSS from /usr/bin/time -f (the child's own accounting). */
function whole(args: readonly string[], env: NodeJS.ProcessEnv, runs: number, before?: () => void): Run {
  const times: number[] = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    before?.();
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    times.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    const kb = Number(r.stderr.trim().split('\n').at(-1));
    peak = Math.max(peak, Number.isFinite(kb) ? kb / 1024 : 0);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)] ?? NaN, peakMiB: peak };
}

export function benchCatalog(cliPath: string): BenchRecord[] {
  const dir = mkdtempSync(join(tmpdir(), 'pi5-bench-catalog-'));
  try {
    const csv = join(dir, 'SYN-1m.csv');
    writeFileSync(csv, writeBarsCsv(generateSyntheticBars({ symbol: 'SYN', bars: 1_000_000, seed: 42, timeframe: '1m' })));
    const cli = resolve(cliPath);
    const data = join(dir, 'data');
    const env = { ...process.env, PI5_DATA_DIR: data, DATABASE_URL: '' };
    const strategy = ['--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--quiet'];
    const imp = whole([cli, 'data', 'import', csv], env, 3, () => rmSync(data, { recursive: true, force: true }));
    const nodeStart = whole(['-e', '0'], env, 3);
    const fromCsv = whole([cli, 'backtest', '--data', csv, ...strategy], env, 3);
    const fromStore = whole([cli, 'backtest', '--symbols', 'SYN', '--timeframe', '1m', ...strategy], env, 3);
    const list = whole([cli, 'data', 'list'], env, 5);
    return [
      { ...cost('store.import.1M', imp.seconds, fromCsv.seconds, 's', `peak ${imp.peakMiB.toFixed(0)} MiB; baseline: the backtest of the same CSV`), command: 'pi5 data import SYN-1m.csv  (fresh PI5_DATA_DIR, 1,000,000 1m bars)' },
      { ...cost('store.backtest.1M', fromStore.seconds, fromCsv.seconds, 's', `peak ${fromStore.peakMiB.toFixed(0)} MiB (from the CSV: ${fromCsv.peakMiB.toFixed(0)} MiB); baseline: the same backtest from the CSV`), command: 'pi5 backtest --symbols SYN --timeframe 1m --strategy sma-cross --param fast=10 --param slow=30 --quiet' },
      { ...cost('store.list', list.seconds, nodeStart.seconds, 's', 'baseline: node -e 0'), command: 'pi5 data list' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
