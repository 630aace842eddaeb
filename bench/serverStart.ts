// `pi5 serve` on embedded defaults (PGlite in PI5_DATA_DIR, in-memory cache) as a whole process: time to
// "serving on" on a new data folder (first start: the database made from the template, migrations, the admin
// user) and on the folder it left (an existing one), the CPU seconds by then of the process and the children it
// waited for, and its RSS once idle.
// Issue 15 targets: ≤ 4 s / ≤ 1.5 s to listening, ≤ 150 MB idle with the first start included.
// Baseline for the times: `node -e 0`, run in turn with the servers.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from './api.js';
import { cost, type BenchRecord } from './measure.js';

const RUNS = 3;
const IDLE_MS = 10_000;
/** Linux's clock ticks per second (USER_HZ) in /proc/<pid>/stat: 100 on every supported kernel build. */
const USER_HZ = 100;

/** The process's own CPU and that of the children it has waited for (a first start's maker of the new data folder). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / USER_HZ;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface Start {
  readonly seconds: number;
  readonly cpu: number;
  readonly idleMiB: number;
}

async function start(cliPath: string, env: NodeJS.ProcessEnv): Promise<Start> {
  const t0 = performance.now();
  const server = await startProcess([cliPath, 'serve', '--port', '0', '--paused'], env);
  const seconds = (performance.now() - t0) / 1000;
  const pid = server.child.pid as number;
  const cpu = cpuSeconds(pid);
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const idleMiB = rssMiB(pid);
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  return { seconds, cpu, idleMiB };
}

function nodeBaseline(): number {
  const t0 = performance.now();
  execFileSync(process.execPath, ['-e', '0']);
  return (performance.now() - t0) / 1000;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

export async function benchServerStart(cliPath: string): Promise<BenchRecord[]> {
  const first: Start[] = [];
  const existing: Start[] = [];
  const base: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'pi5-bench-start-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PI5_DATA_DIR: dir, PI5_ADMIN_PASSWORD: 'bench-password-123', PI5_LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    try {
      base.push(nodeBaseline());
      first.push(await start(cliPath, env));
      base.push(nodeBaseline());
      existing.push(await start(cliPath, env));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const b = median(base);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const cmd = 'npm run bench -- server';
  const note = (s: Start[], what: string): string =>
    `${what}; median of ${RUNS}; CPU ${median(s.map((x) => x.cpu)).toFixed(2)} s by then; baseline: node -e 0; load ${load}`;
  return [
    { ...cost('server.start.first', median(first.map((s) => s.seconds)), b, 's', note(first, 'to "serving on" on a new data folder')), command: cmd },
    { ...cost('server.start.existing', median(existing.map((s) => s.seconds)), b, 's', note(existing, 'to "serving on" on the folder the first start left')), command: cmd },
    { ...cost('server.rss.idle.first', median(first.map((s) => s.idleMiB)), 150, 'MB', `RSS ${IDLE_MS / 1000} s after a first start listened; baseline: the 150 MB target`), command: cmd },
    { ...cost('server.rss.idle.existing', median(existing.map((s) => s.idleMiB)), 150, 'MB', `RSS ${IDLE_MS / 1000} s after a start on an existing folder; baseline: the 150 MB target`), command: cmd },
  ];
}
