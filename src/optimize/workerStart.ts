// Starts a worker-thread module that sits beside this file: the compiled .js in dist; under the TypeScript
// sources (tests, tsx) the .ts file, compiled on load with tsx (a plain Worker cannot load .ts).

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(name: string, options: WorkerOptions): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, here), options);
  const file = new URL(`./${name}.ts`, here).href;
  // The package's ESM entry sits beside its CommonJS one (the `require` condition is all createRequire sees).
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(file)}, ${JSON.stringify(here)}));`;
  return new Worker(code, { ...options, eval: true });
}
