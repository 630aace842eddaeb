// Runs the built `pi5` command as a user would: a real child process, its exit code and output.

import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
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
 * process's event loop (pi5() above would freeze them).
 */
export function pi5Async(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? PROJECT_ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}
