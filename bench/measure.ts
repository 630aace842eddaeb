// Shared benchmark plumbing: timing the best of several runs, and the result record every bench returns.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface BenchRecord {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The same quantity for a simple reference measured in the same run. */
  readonly baseline: number;
  readonly ratio: number;
  readonly command?: string;
  readonly note?: string;
}

/** Best (shortest) wall time in ms of `runs` calls, after one warm-up call. */
export function bestMs(runs: number, fn: () => void): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** A higher-is-better figure (rates): ratio = value / baseline. */
export function rate(name: string, value: number, baseline: number, unit: string, note?: string): BenchRecord {
  return { name, value, unit, baseline, ratio: value / baseline, ...(note ? { note } : {}) };
}

/** A lower-is-better figure (times, bytes): ratio = baseline / value, so > 1 still means better. */
export function cost(name: string, value: number, baseline: number, unit: string, note?: string): BenchRecord {
  return { name, value, unit, baseline, ratio: baseline / value, ...(note ? { note } : {}) };
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/**
 * Median wall seconds of two whole processes run in turn (A B A B …, after one warm-up each), so a drift in
 * the machine's speed hits both alike; start-up and exit are included, as a user waits for them.
 */
export function pairedProcessSeconds(a: readonly string[], b: readonly string[], runs: number): { a: number; b: number } {
  const once = ([cmd = process.execPath, ...args]: readonly string[]): number => {
    const t0 = performance.now();
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    return (performance.now() - t0) / 1000;
  };
  once(a);
  once(b);
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    ta.push(once(a));
    tb.push(once(b));
  }
  return { a: median(ta), b: median(tb) };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** One whole process as `/usr/bin/time` saw it: wall and CPU (user + system) seconds, peak RSS in MiB. */
export interface ProcessRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakMiB: number;
}

/**
 * Medians of wall and CPU seconds over `runs` runs of a whole process, and its largest peak RSS, as the child's own
 * accounting reports them (`/usr/bin/time -f`); CPU is the figure to read when the machine is loaded. `before`
 * runs ahead of each run (a fresh data directory, say).
 */
export function wholeProcess(cmd: readonly string[], env: NodeJS.ProcessEnv, runs: number, before?: () => void): ProcessRun {
  const wall: number[] = [];
  const cpu: number[] = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    before?.();
    const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', ...cmd], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr}`);
    const line = r.stderr.split('\n').filter((l) => l.startsWith('TIME ')).at(-1) ?? '';
    const [e, u, s, m] = line.slice(5).split(' ').map(Number);
    wall.push(e ?? NaN);
    cpu.push((u ?? NaN) + (s ?? NaN));
    peak = Math.max(peak, (m ?? 0) / 1024);
  }
  return { seconds: median(wall), cpuSeconds: median(cpu), peakMiB: peak };
}

/** The load average over the last minute, written beside every figure taken on this shared machine. */
export function loadNow(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
  } catch {
    return '?';
  }
}

export function describeRun(r: ProcessRun): string {
  return `${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s CPU, ${r.peakMiB.toFixed(0)} MiB peak`;
}
