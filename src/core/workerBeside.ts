// Starts a worker-thread module that sits beside the calling module: the compiled .js in dist; under the
// TypeScript sources (tests, tsx) the .ts file, compiled on load with tsx (a plain Worker cannot load .ts).

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `callerUrl` is the caller's `import.meta.url`; `name` the worker module's file name without extension. */
export function startWorkerBeside(callerUrl: string, name: string, options: WorkerOptions): Worker {
  // Modules loaded by tsx's tsImport carry a query (`pool.ts?tsx-namespace=…`): a worker started from a worker sees one.
  if (!new URL(callerUrl).pathname.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const file = new URL(`./${name}.ts`, callerUrl).href;
  // The package's ESM entry sits beside its CommonJS one (the `require` condition is all createRequire sees).
  const tsx = pathToFileURL(createRequire(callerUrl).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(file)}, ${JSON.stringify(callerUrl)}));`;
  return new Worker(code, { ...options, eval: true });
}
