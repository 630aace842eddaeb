// Runs the built `pi5` command as a user would: a real child process, its exit code and output; or the same built
// program inside the test process (pi5InProcess) where a test is about what a command does, not about its process.

import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './shared.js';

export const CLI = resolve(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function pi5(args: readonly string[], cwd = PROJECT_ROOT): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The CLI as a child process that does not block this one: for tests whose servers or fakes answer from this
 * process's event loop (pi5() above would freeze them). `interruptWhen`: Ctrl-C (SIGINT) is sent once, as soon
 * as stderr contains this text (a progress line: the command is mid-run, seen rather than guessed by a timer).
 */
export function pi5Async(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; interruptWhen?: string } = {}): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (opts.interruptWhen === undefined || interrupted || !stderr.includes(opts.interruptWhen)) return;
      interrupted = true;
      child.kill('SIGINT');
    });
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

type Main = (argv: readonly string[]) => Promise<number>;
let builtMain: Promise<Main> | undefined;
let running: Promise<unknown> = Promise.resolve();

/**
 * The built `pi5` run inside this test process: the same `main` the command's entry point calls, with its own
 * environment (`env` replaces process.env for the call, as a child's would), working folder, and stdout/stderr
 * captured. For tests of what a command does, not of the process around it: a child pays Node's start-up, the
 * modules and, on the embedded store, a cold PGlite (~1.5–3 s CPU) every time; here those are paid once per file.
 * Each file keeps real-process runs (pi5, pi5Async) for exit behaviour, stdin, signals and start-up. Calls run one
 * at a time (process.env and the streams are process-wide). Not for commands that keep running (serve, trade,
 * worker, data stream): they install signal handlers.
 */
export function pi5InProcess(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const run = running.then(() => runInProcess(args, opts));
  running = run.catch(() => undefined);
  return run;
}

async function runInProcess(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  builtMain ??= import(pathToFileURL(resolve(PROJECT_ROOT, 'dist', 'src', 'cli', 'program.js')).href).then((m: { main: Main }) => m.main);
  const main = await builtMain;
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const out = { stdout: '', stderr: '' };
  const streams = [['stdout', process.stdout], ['stderr', process.stderr]] as const;
  const saved = streams.map(([, s]) => ({ write: s.write, isTTY: Object.getOwnPropertyDescriptor(s, 'isTTY') }));
  for (const [name, s] of streams) {
    // A child's stdout and stderr are pipes: no terminal, so no colours or redrawn progress bars.
    Object.defineProperty(s, 'isTTY', { value: false, configurable: true, writable: true });
    s.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void): boolean => {
      out[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const done = typeof encoding === 'function' ? encoding : cb;
      if (done !== undefined) queueMicrotask(() => done(null));
      return true;
    }) as typeof s.write;
  }
  const env = { NO_COLOR: '1', ...(opts.env ?? process.env) };
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  Object.assign(process.env, env);
  process.chdir(opts.cwd ?? PROJECT_ROOT);
  let code: number;
  try {
    code = await main(args);
  } catch (e) {
    // As main.ts does for a rejection that escapes the program.
    out.stderr += `fatal: ${String(e)}\n`;
    code = 1;
  } finally {
    process.chdir(savedCwd);
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
    streams.forEach(([, s], i) => {
      const was = saved[i];
      if (was === undefined) return;
      s.write = was.write;
      if (was.isTTY === undefined) delete (s as { isTTY?: boolean }).isTTY;
      else Object.defineProperty(s, 'isTTY', was.isTTY);
    });
  }
  return { code, ...out };
}
