// Starts a worker-thread module that sits beside the calling module: the compiled .js in dist; under the
// TypeScript sources (tests, tsx) the same module compiled by `tsc` into dist/ when that copy is current, else the
// .ts file compiled on load with tsx (a plain Worker cannot load .ts). Loading tsx and compiling a worker's
// modules costs ~0.7 CPU-s per thread, and tests start hundreds (every embedded database opens one).

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { compiledBeside } from './compiledBeside.js';

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
