// Runs a module that sits beside the calling module as a Node process of its own, to its end: the compiled .js
// in dist; under the TypeScript sources (tests, tsx) its compiled copy when current (compiledBeside.ts), else the
// .ts file, loaded through tsx. For work whose memory must
// leave with it: a process returns everything it allocated when it exits, a worker thread does not (the C
// allocator keeps what the thread's arena grew to).

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledBeside } from './compiledBeside.js';

/**
 * `callerUrl` is the caller's `import.meta.url`; `name` the module's file name without extension. Resolves when
 * the process exits with status 0; otherwise rejects with what it wrote to stderr.
 */
export function runProcessBeside(callerUrl: string, name: string, args: readonly string[]): Promise<void> {
  const compiled = new URL(callerUrl).pathname.endsWith('.ts') ? compiledBeside(callerUrl, name) : new URL(`./${name}.js`, callerUrl);
  const fromSources = compiled === null;
  const file = fileURLToPath(compiled ?? new URL(`./${name}.ts`, callerUrl));
  const loader = fromSources ? ['--import', pathToFileURL(createRequire(callerUrl).resolve('tsx')).href] : [];
  const child = spawn(process.execPath, [...loader, file, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(stderr.trim() || `${name} ended with ${signal ?? `exit code ${String(code)}`}`));
    });
  });
}
