// The catalogue of built-in strategies by id. New built-ins are added here and nowhere else.

import type { StrategyDefinition } from './api.js';
import type { ParamSchema } from './params.js';
import { bollingerBounce } from './builtin/bollingerBounce.js';
import { buyAndHold } from './builtin/buyAndHold.js';
import { donchianBreakout } from './builtin/donchianBreakout.js';
import { momentumRotation } from './builtin/momentumRotation.js';
import { momentumTrend } from './builtin/momentumTrend.js';
import { multiTimeframeTrend } from './builtin/multiTimeframeTrend.js';
import { openingRangeBreakout } from './builtin/openingRangeBreakout.js';
import { rsiMeanReversion } from './builtin/rsiMeanReversion.js';
import { signals } from './builtin/signals.js';
import { smaCross } from './builtin/smaCross.js';
import { vwapBounce } from './builtin/vwapBounce.js';

// Each definition is typed by its own schema; the catalogue sees them through the common shape.
const BUILTINS = [
  smaCross,
  rsiMeanReversion,
  momentumTrend,
  multiTimeframeTrend,
  bollingerBounce,
  vwapBounce,
  openingRangeBreakout,
  donchianBreakout,
  momentumRotation,
  buyAndHold,
  signals,
] as unknown as readonly StrategyDefinition<ParamSchema>[];

export function builtinStrategies(): readonly StrategyDefinition<ParamSchema>[] {
  return BUILTINS;
}

export function findBuiltin(id: string): StrategyDefinition<ParamSchema> | undefined {
  return BUILTINS.find((s) => s.id === id);
}
