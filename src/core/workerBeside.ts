// Starts a worker-thread module that sits beside the calling module: the compiled .js in dist; under the
// TypeScript sources (tests, tsx) the same module compiled by `tsc` into dist/ when that copy is current, else the
// .ts file compiled on load with tsx (a plain Worker cannot load .ts). Loading tsx and compiling a worker's
// modules costs ~0.7 CPU-s per thread, and tests start hundreds (every embedded database opens one).

import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `callerUrl` is the caller's `import.meta.url`; `name` the worker module's file name without extension. */
export function startWorkerBeside(callerUrl: string, name: string, options: WorkerOptions): Worker {
  // Modules loaded by tsx's tsImport carry a query (`pool.ts?tsx-namespace=…`): a worker started from a worker sees one.
  if (!new URL(callerUrl).pathname.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const compiled = compiledBeside(callerUrl, name);
  if (compiled !== null) return new Worker(compiled, options);
  const file = new URL(`./${name}.ts`, callerUrl).href;
  // The package's ESM entry sits beside its CommonJS one (the `require` condition is all createRequire sees).
  const tsx = pathToFileURL(createRequire(callerUrl).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(file)}, ${JSON.stringify(callerUrl)}));`;
  return new Worker(code, { ...options, eval: true });
}

/**
 * `<root>/dist/src/…/<name>.js` for a caller in `<root>/src/…`, if it is newer than every source file under
 * `<root>/src` (an edit since the last build falls back to the sources, so a worker never runs stale code).
 */
function compiledBeside(callerUrl: string, name: string): URL | null {
  const caller = fileURLToPath(callerUrl);
  const at = caller.lastIndexOf(`${sep}src${sep}`);
  if (at < 0) return null;
  const root = caller.slice(0, at);
  const js = join(root, 'dist', relative(root, dirname(caller)), `${name}.js`);
  if (!existsSync(js) || statSync(js).mtimeMs < newestSource(join(root, 'src'))) return null;
  return pathToFileURL(js);
}

const newest = new Map<string, number>();

/** Latest modification time of a .ts file under `dir`, read once per process (~400 stats). */
function newestSource(dir: string): number {
  let t = newest.get(dir);
  if (t === undefined) {
    t = 0;
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && e.name.endsWith('.ts')) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
    }
    newest.set(dir, t);
  }
  return t;
}
