// Lets a strategy file anywhere on disk `import ... from 'pi5-trading/strategy'` (or 'pi5-trading') and get the
// running installation's API: a module resolve hook maps those specifiers to this build's files, so no
// node_modules next to the user's file is needed and its types and values are the ones the engine uses.
// tsx compiles a .ts file outside an ES-module package to CommonJS, whose require() Node 20 does not pass
// through resolve hooks: CommonJS resolution is mapped too (Node 20.19+ can require these ES modules).

import { existsSync } from 'node:fs';
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The hook runs on Node's loader thread; it sees only the URLs handed to it in `initialize`. */
const HOOK = `
let targets = {};
export async function initialize(data) { targets = data; }
export async function resolve(specifier, context, next) {
  const url = targets[specifier];
  return url === undefined ? next(specifier, context) : { url, format: 'module', shortCircuit: true };
}
`;

let registered = false;

/**
 * Registers the hook once per process. Only a built installation (JavaScript next to this file) is mapped:
 * run from the TypeScript sources, the repository's own package resolution applies as before.
 */
export function registerPackageResolver(): void {
  if (registered) return;
  registered = true;
  const strategy = new URL('./public.js', import.meta.url);
  const index = new URL('../index.js', import.meta.url);
  if (!existsSync(fileURLToPath(strategy)) || !existsSync(fileURLToPath(index))) return;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, {
    data: { 'pi5-trading/strategy': strategy.href, 'pi5-trading': index.href },
  });
  mapCommonJs({ 'pi5-trading/strategy': fileURLToPath(strategy), 'pi5-trading': fileURLToPath(index) });
}

type ResolveFilename = (request: string, ...rest: unknown[]) => string;

function mapCommonJs(paths: Readonly<Record<string, string>>): void {
  // Module._resolveFilename is internal and untyped; it is the one place CommonJS resolution can be extended on Node 20.
  const cjs = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = cjs._resolveFilename;
  cjs._resolveFilename = function resolveFilename(this: unknown, request: string, ...rest: unknown[]): string {
    return paths[request] ?? original.call(this, request, ...rest);
  };
}
