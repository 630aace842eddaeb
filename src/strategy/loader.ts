// Resolves `--strategy` to a definition: a built-in id, or a user's TypeScript/JavaScript module by path.
// TypeScript files are compiled on load (tsx), so users need no build step.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Pi5Error } from '../core/errors.js';
import type { StrategyDefinition } from './api.js';
import type { ParamSchema } from './params.js';
import { builtinStrategies, findBuiltin } from './registry.js';
import { registerPackageResolver } from './packageResolver.js';

function looksLikePath(s: string): boolean {
  return /[\\/]/.test(s) || /\.(m?[jt]s|cjs|cts)$/.test(s);
}

function isDefinition(v: unknown): v is StrategyDefinition<ParamSchema> {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Record<string, unknown>;
  return typeof d.id === 'string' && typeof d.create === 'function' && typeof d.params === 'object' && d.params !== null;
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  registerPackageResolver();
  const url = pathToFileURL(path).href;
  if (/\.[cm]?ts$/.test(path)) {
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(url)) as Record<string, unknown>;
}

export async function loadStrategy(idOrPath: string): Promise<StrategyDefinition<ParamSchema>> {
  const builtin = findBuiltin(idOrPath);
  if (builtin) return builtin;
  if (!looksLikePath(idOrPath)) {
    const ids = builtinStrategies().map((s) => s.id).join(', ');
    throw new Pi5Error('PI5_ERR_UNKNOWN_STRATEGY', `unknown strategy ${JSON.stringify(idOrPath)}; built-in ids: ${ids}; or give a path to a .ts/.js module`, { strategy: idOrPath });
  }
  const path = resolve(idOrPath);
  if (!existsSync(path)) throw new Pi5Error('PI5_ERR_UNKNOWN_STRATEGY', `strategy file ${path} does not exist`, { strategy: idOrPath });
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(path);
  } catch (e) {
    throw new Pi5Error('PI5_ERR_BAD_STRATEGY', `strategy module ${path} failed to load: ${(e as Error).message}`, { strategy: idOrPath });
  }
  // A .ts file outside an ES-module package loads as CommonJS, which nests the exports under `default`.
  const nested = typeof mod.default === 'object' && mod.default !== null ? (mod.default as Record<string, unknown>) : {};
  const candidate = [mod.default, mod.strategy, ...Object.values(mod), nested.default, nested.strategy, ...Object.values(nested)].find(isDefinition);
  if (!candidate) {
    throw new Pi5Error('PI5_ERR_BAD_STRATEGY', `strategy module ${path} exports no strategy: export default defineStrategy({ id, name, description, params, create })`, { strategy: idOrPath });
  }
  return candidate;
}
