// Benchmark: parseBarsCsv on a 1,000,000-row daily CSV built in memory, against a naive loader
// (split + parseFloat + new Date) measured in the same run, so the ratio holds across machines.

import { performance } from 'node:perf_hooks';
import { parseBarsCsv } from '../src/data/csv/index.js';
import type { BenchRecord } from './measure.js';


const ROWS = 1_000_000;
const SEED = 20240101;
const DAY_MS = 86_400_000;

/** Numerical Recipes LCG: the bench owns its data and stays identical run to run. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Yahoo-like daily CSV (weekdays from 1800-01-01, 4 price decimals) of a bounded random walk. */
export function generateDailyCsv(rows: number, seed: number): string {
  const next = lcg(seed);
  const lines: string[] = ['Date,Open,High,Low,Close,Volume'];
  let t = Date.UTC(1800, 0, 1);
  let price = 100;
  for (let i = 0; i < rows; i++) {
    while ([0, 6].includes(new Date(t).getUTCDay())) t += DAY_MS;
    const open = price * (1 + (next() - 0.5) * 0.01);
    const close = open * (1 + (next() - 0.5) * 0.04);
    const high = Math.max(open, close) * (1 + next() * 0.01);
    const low = Math.min(open, close) * (1 - next() * 0.01);
    const volume = 1 + Math.floor(next() * 10_000_000);
    const date = new Date(t).toISOString().slice(0, 10);
    lines.push(`${date},${open.toFixed(4)},${high.toFixed(4)},${low.toFixed(4)},${close.toFixed(4)},${volume}`);
    // Keep the walk in a realistic band: a multiplicative walk drifts towards zero over a million steps.
    price = close < 20 ? close * 2 : close > 500 ? close / 2 : close;
    t += DAY_MS;
  }
  return `${lines.join('\n')}\n`;
}

/** What a first attempt looks like: a string per line and per field, parseFloat and Date parsing. */
function naiveParse(csv: string): number {
  const lines = csv.split('\n');
  const n = lines.length - 1;
  const columns = Array.from({ length: 6 }, () => new Float64Array(n));
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line === '') continue;
    const f = line.split(',');
    columns[0]![rows] = new Date(f[0]!).getTime();
    for (let k = 1; k < 6; k++) columns[k]![rows] = parseFloat(f[k]!);
    rows++;
  }
  return rows;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

/** Rows/s of one timed call, after a full GC when the process runs with --expose-gc. */
function rowsPerSecond(parse: () => number): number {
  collectGarbage?.();
  const t0 = performance.now();
  const rows = parse();
  return rows / ((performance.now() - t0) / 1000);
}

/** Best rows/s of each case over `rounds` interleaved rounds, so allocator and JIT state favour none. */
function bestOf(rounds: number, cases: Record<string, () => number>): Record<string, number> {
  const best: Record<string, number> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, parse] of Object.entries(cases)) best[name] = Math.max(best[name] ?? 0, rowsPerSecond(parse));
  }
  return best;
}

export async function benchCsvParse(): Promise<BenchRecord[]> {
  const csv = generateDailyCsv(ROWS, SEED);
  const bytes = Buffer.from(csv, 'utf8');
  const warmup = generateDailyCsv(20_000, SEED + 1);
  naiveParse(warmup);
  parseBarsCsv(warmup, { source: 'warmup.csv' });

  const best = bestOf(3, {
    naive: () => naiveParse(csv),
    string: () => parseBarsCsv(csv, { source: 'bench.csv' }).length,
    buffer: () => parseBarsCsv(bytes, { source: 'bench.csv' }).length,
  });
  const baseline = best.naive ?? NaN;
  const megabytes = (bytes.length / 1e6).toFixed(0);
  return (['string', 'buffer'] as const).map((input) => {
    const value = best[input] ?? NaN;
    const note = `${ROWS} daily rows (${megabytes} MB ${input}); baseline: split + parseFloat + Date`;
    return { name: `csv.parse.${input}`, value, unit: 'rows/s', baseline, ratio: value / baseline, note };
  });
}
