// `npm run bench`: runs every benchmark, prints a table and writes bench/results.json. Figures are
// reported with a baseline measured in the same run, because absolute numbers on a shared machine drift.

import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchApi } from './api.js';
import { benchCliStart } from './cliStart.js';
import { benchContention } from './contention.js';
import { benchCsvParse } from './csvParse.js';
import { benchCsvWrite } from './csvWrite.js';
import { benchCatalog } from './catalog.js';
import { benchDashboard } from './dashboard.js';
import { benchEndToEnd } from './endToEnd.js';
import { benchIndicators } from './indicators.js';
import { benchBus, benchKernel100, benchKernelSingle } from './kernel.js';
import { benchLive } from './live.js';
import { benchMemory } from './memory.js';
import { benchOptimize } from './optimize.js';
import { benchPostgresCli } from './postgresCli.js';
import { benchReconcile } from './reconcile.js';
import { benchRisk } from './risk.js';
import { benchServerStart } from './serverStart.js';
import { benchStorage } from './storage.js';
import { benchStoragePglite } from './storagePglite.js';
import type { BenchRecord } from './measure.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '..', '..');
const only = process.argv.slice(2);

type Bench = () => Promise<BenchRecord[]> | BenchRecord[];
const BENCHES: Record<string, Bench> = {
  kernel: () => [benchKernelSingle(), benchKernel100()],
  bus: () => [benchBus()],
  memory: () => [benchMemory()],
  indicators: () => benchIndicators(),
  csv: async () => [...(await benchCsvParse()), benchCsvWrite()],
  cli: () => [benchCliStart(resolve(projectRoot, 'dist', 'src', 'cli', 'main.js'))],
  endToEnd: () => [benchEndToEnd(resolve(projectRoot, 'dist', 'src', 'cli', 'main.js'))],
  risk: () => benchRisk(),
  storage: async () => [...(await benchStorage()), ...(await benchStoragePglite())],
  store: () => benchCatalog(resolve(projectRoot, 'dist', 'src', 'cli', 'main.js')),
  pgcli: () => benchPostgresCli(resolve(projectRoot, 'dist', 'src', 'cli', 'main.js')),
  live: async () => [await benchLive(), benchReconcile()],
  optimize: () => benchOptimize(),
  contention: () => benchContention(),
  api: () => benchApi(resolve(projectRoot, 'dist', 'src', 'cli', 'main.js')),
  server: () => benchServerStart(resolve(projectRoot, 'dist', 'src', 'cli', 'main.js')),
  dashboard: () => benchDashboard(resolve(projectRoot, 'dist', 'src', 'cli', 'main.js')),
};

function fmt(x: number): string {
  if (Math.abs(x) >= 1e6) return (x / 1e6).toFixed(2) + 'M';
  if (Math.abs(x) >= 1e3) return (x / 1e3).toFixed(1) + 'k';
  return x.toPrecision(3);
}

async function main(): Promise<void> {
  const records: BenchRecord[] = [];
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (only.length > 0 && !only.includes(name)) continue;
    process.stderr.write(`bench ${name}…\n`);
    records.push(...(await bench()));
  }
  const rows = records.map((r) => [r.name, `${fmt(r.value)} ${r.unit}`, `${fmt(r.baseline)} ${r.unit}`, `${r.ratio.toFixed(2)}×`, r.note ?? '']);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => (row[i] as string).length), ['name', 'value', 'baseline', 'ratio'][i]?.length ?? 0));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i] ?? 0) : c)).join('  ');
  process.stdout.write(line(['name', 'value', 'baseline', 'ratio', 'baseline is']) + '\n');
  for (const r of rows) process.stdout.write(line(r) + '\n');
  const json: Record<string, Omit<BenchRecord, 'name'>> = {};
  for (const { name, ...rest } of records) json[name] = { ...rest, command: rest.command ?? `npm run bench -- ${name.split('.')[0]}` };
  const out = resolve(projectRoot, 'bench', 'results.json');
  writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
  process.stdout.write(`\nwritten ${out}\n`);
}

await main();
