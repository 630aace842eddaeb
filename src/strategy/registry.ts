// The catalogue of built-in strategies by id. New built-ins are added here and nowhere else.

import type { StrategyDefinition } from './api.js';
import type { ParamSchema } from './params.js';
import { buyAndHold } from './builtin/buyAndHold.js';
import { signals } from './builtin/signals.js';
import { smaCross } from './builtin/smaCross.js';

const BUILTINS: readonly StrategyDefinition<ParamSchema>[] = [smaCross, buyAndHold, signals] as unknown as StrategyDefinition<ParamSchema>[];

export function builtinStrategies(): readonly StrategyDefinition<ParamSchema>[] {
  return BUILTINS;
}

export function findBuiltin(id: string): StrategyDefinition<ParamSchema> | undefined {
  return BUILTINS.find((s) => s.id === id);
}
