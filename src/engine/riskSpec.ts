// The parser of risk configs users write (limits, groups, kill switch), apart from specs.ts because it loads zod:
// a run given no risk config uses defaultRiskConfig() and never loads it.

import { parseRiskConfig, type RiskConfig } from '../risk/config.js';

/** A risk config as read from JSON or YAML; PI5_ERR_BAD_CONFIG names `source` and each bad path. */
export function parseRiskSpec(input: unknown, source?: string): RiskConfig {
  return parseRiskConfig(input, source);
}
