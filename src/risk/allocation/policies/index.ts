// The allocation policies by name (formulas in docs/risk.md, "Allocation across strategies").

import type { AllocationPolicyName } from '../config.js';
import { adaptiveKellyPolicy } from './adaptiveKelly.js';
import { equalWeightPolicy } from './equalWeight.js';
import { performanceWeightedPolicy } from './performanceWeighted.js';
import { riskParityPolicy } from './riskParity.js';
import { sharpeWeightedPolicy } from './sharpeWeighted.js';
import type { AllocationPolicy } from './types.js';

export const ALLOCATION_POLICIES: Readonly<Record<AllocationPolicyName, AllocationPolicy>> = {
  equal: equalWeightPolicy,
  performance: performanceWeightedPolicy,
  sharpe: sharpeWeightedPolicy,
  'risk-parity': riskParityPolicy,
  kelly: adaptiveKellyPolicy,
};

export { adaptiveKellyPolicy, equalWeightPolicy, performanceWeightedPolicy, riskParityPolicy, sharpeWeightedPolicy };
export { trailingReturn } from './performanceWeighted.js';
export { trailingSharpe } from './sharpeWeighted.js';
export type { AllocationPolicy, PolicyOptions, StrategyTrack } from './types.js';
