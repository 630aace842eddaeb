// `pi5 backtest` as a whole process on a 1M-bar CSV (start-up, parsing, replay, metrics, the result JSON with
// its equity curve), against a naive loader script that only reads the same file into bar objects.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSyntheticBars, writeBarsCsv } from '../src/data/synthetic.js';
import { cost, pairedProcessSeconds, type BenchRecord } from './measure.js';

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

export function benchEndToEnd(cliPath: string): BenchRecord {
  const dir = mkdtempSync(join(tmpdir(), 'pi5-bench-'));
  try {
    const csv = join(dir, 'SYN-1m.csv');
    writeFileSync(csv, writeBarsCsv(generateSyntheticBars({ symbol: 'SYN', bars: 1_000_000, seed: 42, timeframe: '1m' })));
    const args = [resolve(cliPath), 'backtest', '--data', csv, '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--quiet', '--json', join(dir, 'out.json')];
    const t = pairedProcessSeconds([process.execPath, ...args], [process.execPath, '-e', NAIVE_LOADER, csv], 5);
    return {
      ...cost('backtest.endToEnd.1M', t.a, t.b, 's', 'baseline: a naive script that only loads the CSV (split + parseFloat + Date), median of 5 paired runs; backtesting.py takes ~15 s here (DESIGN.md §11)'),
      command: `pi5 backtest --data SYN-1m.csv --strategy sma-cross --param fast=10 --param slow=30 --quiet --json out.json  (1,000,000 generated 1m bars)`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
