// A freshly initialized PGlite data directory, made once at build time, that a new embedded database starts from.
// PGlite runs initdb on every new data directory (~8.7 s CPU and a WebAssembly heap grown to ~700 MiB, never
// returned); loading this tarball instead costs ~2.3 s CPU and ~330 MiB (docs/benchmarks.md, "Embedded start").
// The file is named by PGlite's version, so a template made by another PGlite is never loaded.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function pgliteVersion(): string {
  // The package's main entry lives in its dist/; its package.json is one folder up.
  const main = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`no version in ${join(dirname(main), '..', 'package.json')}`);
  return pkg.version;
}

/** Where the build writes `name`: beside this module in dist/. */
export function builtBeside(name: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), name);
}

/**
 * The build's `name` (builtBeside) if it exists: run from the sources (tests), the copy in dist/ is used.
 * Undefined when the tree was not built.
 */
export function findBuilt(name: string): string | undefined {
  const built = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'src', 'persistence', name);
  return [builtBeside(name), built].find((p) => existsSync(p));
}

/** Where the build writes the template: beside this module in dist/. */
export function pgliteTemplatePath(): string {
  return builtBeside(`pglite-${pgliteVersion()}.tar.gz`);
}

let cached: Blob | null | undefined;

/**
 * The template as PGlite's `loadDataDir` takes it, read once per process; null when there is none (a tree
 * that was not built, or built with another PGlite), and the caller runs initdb as before.
 */
export function pgliteTemplate(): Blob | null {
  if (cached !== undefined) return cached;
  const path = findBuilt(`pglite-${pgliteVersion()}.tar.gz`);
  cached = path === undefined ? null : new Blob([readFileSync(path)], { type: 'application/x-gzip' });
  return cached;
}
