// `pi5 backtest` as a whole process on a 1M-bar CSV (parsing, replay, metrics), against a naive loader
// script that only reads the same file into bar objects.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSyntheticBars, writeBarsCsv } from '../src/data/synthetic.js';
import { cost, type BenchRecord } from './measure.js';

const NAIVE_LOADER = `
const fs = require('fs');
const lines = fs.readFileSync(process.argv[1], 'utf8').split('\\n');
const bars = [];
for (let i = 1; i < lines.length; i++) {
  if (!lines[i]) continue;
  const c = lines[i].split(',');
  bars.push({ ts: new Date(c[0].replace(' ', 'T') + 'Z').getTime(), open: parseFloat(c[1]), high: parseFloat(c[2]), low: parseFloat(c[3]), close: parseFloat(c[4]), volume: parseFloat(c[5]) });
}
if (bars.length === 0) process.exit(1);
`;

function wallSeconds(cmd: string, args: readonly string[], runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

export function benchEndToEnd(cliPath: string): BenchRecord {
  const dir = mkdtempSync(join(tmpdir(), 'pi5-bench-'));
  try {
    const csv = join(dir, 'SYN-1m.csv');
    writeFileSync(csv, writeBarsCsv(generateSyntheticBars({ symbol: 'SYN', bars: 1_000_000, seed: 42, timeframe: '1m' })));
    const args = [resolve(cliPath), 'backtest', '--data', csv, '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--quiet'];
    const ours = wallSeconds(process.execPath, args, 3);
    const base = wallSeconds(process.execPath, ['-e', NAIVE_LOADER, csv], 3);
    return {
      ...cost('backtest.endToEnd.1M', ours, base, 's', 'baseline: a naive script that only loads the CSV (split + parseFloat + Date); backtesting.py takes ~15 s here (DESIGN.md §11)'),
      command: `pi5 backtest --data SYN-1m.csv --strategy sma-cross --param fast=10 --param slow=30 --quiet  (1,000,000 generated 1m bars)`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
