// The content hash of a strategy module as it runs: the file and every local module it imports by a relative
// path, transitively. Distributed runs key their setup (and so their stored results) by it, so editing a helper
// the strategy imports makes another setup instead of reusing results computed with the old helper. Packages
// (bare specifiers such as 'pi5-trading/strategy') are not followed: they belong to the installation, whose
// version the setup already carries.

import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { Pi5Error } from '../../core/errors.js';
import { sha256 } from './wire.js';

/** At most this many modules are followed from one strategy file (a guard against a runaway import graph). */
export const SOURCE_HASH_MAX_FILES = 256;

// Static imports and re-exports (`import x from './a.js'`, `import './a.js'`, `export * from './a.js'`), dynamic
// imports and require calls with a literal argument. Only specifiers starting with ./ or ../ are followed. A
// match inside a comment or string only adds a file to the hash (never removes one), so a regex is enough.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"\n]+)\1/g;

/** The relative specifiers a module's source names, in order of appearance, without repeats. */
export function relativeImports(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(SPECIFIER)) out.add(m[2] as string);
  return [...out];
}

// How Node and tsx find a relative module: the path itself, a TypeScript source written with its output's
// extension ('./a.js' for a.ts), or an extensionless path with an extension or as a folder's index.
function candidates(path: string): string[] {
  const ts = path.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts').replace(/\.cjs$/, '.cts');
  const bare = ['.ts', '.mts', '.js', '.mjs', '.cts', '.cjs', '/index.ts', '/index.js'].map((e) => path + e);
  return [...new Set([path, ts, ...bare])];
}

async function readFirst(paths: readonly string[]): Promise<{ path: string; bytes: Buffer } | null> {
  for (const path of paths) {
    try {
      return { path, bytes: await readFile(path) };
    } catch {
      // not this candidate (missing, or a folder): try the next
    }
  }
  return null;
}

/**
 * SHA-256 over the strategy file and its local imports: each module's path relative to the strategy's folder
 * and the hash of its bytes, sorted by path. A relative import that resolves to no file is part of the hash as
 * missing, so creating it changes the hash too.
 */
export async function strategySourceHash(file: string): Promise<string> {
  const root = resolve(file);
  const base = dirname(root);
  let entry: Buffer;
  try {
    entry = await readFile(root);
  } catch (e) {
    throw new Pi5Error('PI5_ERR_UNKNOWN_STRATEGY', `strategy file ${root} cannot be read: ${(e as Error).message}`, { strategy: root });
  }
  const seen = new Map<string, string>([[root, sha256(entry)]]);
  const missing = new Set<string>();
  const queue: { path: string; bytes: Buffer }[] = [{ path: root, bytes: entry }];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const spec of relativeImports(next.bytes.toString('utf8'))) {
      const wanted = resolve(dirname(next.path), spec);
      const tries = candidates(wanted);
      if (tries.some((p) => seen.has(p))) continue;
      const found = await readFirst(tries);
      if (found === null) {
        missing.add(relative(base, wanted));
        continue;
      }
      if (seen.size >= SOURCE_HASH_MAX_FILES) {
        throw new Pi5Error('PI5_ERR_BAD_STRATEGY', `strategy file ${root} imports more than ${SOURCE_HASH_MAX_FILES} local modules; its content hash is not computed`, { strategy: root });
      }
      seen.set(found.path, sha256(found.bytes));
      queue.push(found);
    }
  }
  const lines = [...seen].map(([p, h]) => `${relative(base, p)}\t${h}`);
  for (const m of missing) lines.push(`${m}\tmissing`);
  return sha256(lines.sort().join('\n'));
}
