// The risk config when none is given, equal to parseRiskConfig({}) (a unit test keeps them equal), built without
// the schema so a backtest that configures no risk never loads zod (~0.18 s CPU of a whole `pi5 backtest`).

import type { RiskConfig } from './config.js';

export function defaultRiskConfig(): RiskConfig {
  return { global: {}, strategies: {}, symbols: {}, groups: {}, dayTimeZone: 'UTC', killSwitch: { flattenOnTrip: false, autoTrip: true } };
}
