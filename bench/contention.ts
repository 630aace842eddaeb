// Why two optimizer threads do not give two threads' worth of trials: the CPU one unit of work costs a thread
// running alone against the same while a second thread runs the same work, for pure arithmetic (registers
// only), a memory stream (64 MB, beyond the caches) and an optimizer trial (the bench/optimize.ts grid's
// backtest). If arithmetic keeps its cost and the trial does not, the cores share something a trial uses
// (caches, memory), not their arithmetic; the trial's heap allocation (sampled) says how much memory it streams.
// The VM has no hardware counters (`perf stat` reports cycles and cache misses as not supported).

import { Session } from 'node:inspector/promises';
import { readFileSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createLogger } from '../src/core/log.js';
import { generateSyntheticBars } from '../src/data/synthetic.js';
import { replayMetrics } from '../src/engine/backtestResult.js';
import { replayBacktest } from '../src/engine/backtestRunner.js';
import { parseSize } from '../src/engine/specs.js';
import { smaCross } from '../src/strategy/builtin/smaCross.js';
import { cost, loadNow, type BenchRecord } from './measure.js';

const COMMAND = 'node --expose-gc dist/bench/run.js contention';
const KINDS = ['alu', 'stream', 'trial'] as const;
type Kind = (typeof KINDS)[number];
const UNITS: Record<Kind, number> = { alu: 300, stream: 150, trial: 1500 };

interface Job {
  readonly contention: true;
  readonly kind: Kind;
  readonly units: number;
}

/** CPU µs this thread has run (Linux). */
function threadCpuUs(): number {
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e3;
}

/** One trial of the optimize bench's grid, cycling through its points (fast < slow always). */
function trialMaker(): () => number {
  const series = generateSyntheticBars({ symbol: 'SYN', bars: 2520, seed: 42, timeframe: '1d' });
  const log = createLogger('silent');
  const size = parseSize('100');
  let k = 0;
  return () => {
    k++;
    const out = replayBacktest({ series: [series], strategy: smaCross, cash: 100_000, size, log, params: { fast: 1 + (k % 9), slow: 10 + 10 * (k % 25) } });
    return replayMetrics(out).sharpe;
  };
}

function unitOf(kind: Kind): () => number {
  if (kind === 'alu') {
    return () => {
      let x = 123456789 | 0;
      let s = 0;
      for (let i = 0; i < 4e6; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        s = (s + x) | 0;
      }
      return s;
    };
  }
  if (kind === 'stream') {
    const a = new Float64Array(8 * 1024 * 1024);
    for (let i = 0; i < a.length; i++) a[i] = i;
    return () => {
      let s = 0;
      // One read per 64-byte line: the memory traffic, not the additions, is the work.
      for (let i = 0; i < a.length; i += 8) s += a[i] as number;
      return s;
    };
  }
  return trialMaker();
}

function workerMain(job: Job): void {
  const unit = unitOf(job.kind);
  for (let i = 0; i < 20; i++) unit();
  parentPort?.postMessage('ready');
  parentPort?.once('message', () => {
    const c0 = threadCpuUs();
    for (let i = 0; i < job.units; i++) unit();
    parentPort?.postMessage((threadCpuUs() - c0) / job.units);
  });
}

if (!isMainThread && (workerData as Partial<Job> | null)?.contention === true) workerMain(workerData as Job);

/** Mean CPU µs a unit over `threads` threads started together on the same work. */
async function cpuPerUnit(kind: Kind, threads: number): Promise<number> {
  const job: Job = { contention: true, kind, units: UNITS[kind] };
  const ws = Array.from({ length: threads }, () => new Worker(new URL(import.meta.url), { workerData: job }));
  const next = (w: Worker): Promise<unknown> => new Promise((res, rej) => (w.once('message', res), w.once('error', rej)));
  try {
    await Promise.all(ws.map(next));
    const done = Promise.all(ws.map(next));
    for (const w of ws) w.postMessage('go');
    const us = (await done) as number[];
    return us.reduce((a, b) => a + b, 0) / us.length;
  } finally {
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

/** Heap bytes one trial allocates (V8's sampling heap profiler, counting what the collectors freed). */
async function allocatedPerTrial(): Promise<number> {
  const trial = trialMaker();
  for (let i = 0; i < 300; i++) trial();
  const s = new Session();
  s.connect();
  try {
    await s.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    const n = 500;
    for (let i = 0; i < n; i++) trial();
    const { profile } = await s.post('HeapProfiler.stopSampling');
    type Node = { selfSize: number; children: Node[] };
    const total = (node: Node): number => node.selfSize + node.children.reduce((a, c) => a + total(c), 0);
    return total(profile.head as Node) / n;
  } finally {
    s.disconnect();
  }
}

export async function benchContention(): Promise<BenchRecord[]> {
  const out: BenchRecord[] = [];
  for (const kind of KINDS) {
    // Alone and together in turn, five times each, so a drift in the machine's load hits both alike.
    const one: number[] = [];
    const two: number[] = [];
    for (let r = 0; r < 5; r++) {
      one.push(await cpuPerUnit(kind, 1));
      two.push(await cpuPerUnit(kind, 2));
    }
    const what = { alu: 'integer arithmetic in registers (4M xorshift steps)', stream: 'a 64 MB Float64Array read a line at a time', trial: 'one optimizer trial (SMA cross, 2,520 bars, metrics)' }[kind];
    out.push({ ...cost(`contention.${kind}.cpuPerUnitTwoThreads`, median(two), median(one), 'µs', `${what}: CPU per unit, median of 5, while a second thread runs the same; baseline: one thread alone, in turn; load ${loadNow()}`), command: COMMAND });
  }
  const kib = (await allocatedPerTrial()) / 1024;
  out.push({ ...cost('contention.trial.heapAllocated', kib, 2520 * 48 / 1024, 'KiB', "JS heap a trial allocates (sampled, freed objects included); baseline: the trial's bars (2,520 × 48 bytes), which it only reads"), command: COMMAND });
  return out;
}
