// A strategy definition's parameters resolved and checked as a whole: each value against its schema, then the
// definition's cross-parameter rules, so `sma-cross fast=50 slow=10` is refused before a run instead of
// running silently.

import type { StrategyDefinition } from './api.js';
import { paramError, resolveParams, type ParamSchema, type ParamValues, type RawParams } from './params.js';

export function resolveDefinitionParams<S extends ParamSchema>(def: StrategyDefinition<S>, raw: RawParams = {}): ParamValues<S> {
  const values = resolveParams(def.id, def.params, raw);
  for (const c of def.constraints ?? []) {
    if (!c.holds(values)) {
      const byName: Readonly<Record<string, unknown>> = values;
      const shown = c.params.map((name) => `${name}=${String(byName[name])}`);
      throw paramError(def.id, c.params[0], `${c.rule} must hold (got ${shown.join(', ')})`);
    }
  }
  return values;
}
