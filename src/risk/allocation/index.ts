// Capital allocation across strategies: policies, the allocator and its RISK_ALLOCATION check (docs/risk.md).

export { CapitalAllocator, type AllocatorSources, type Rebalance, type StrategyAllocation, type StrategyCapital } from './allocator.js';
export { allocationConfigSchema, parseAllocationConfig, MAX_ALLOCATION_LOOKBACK, type AllocationConfig, type AllocationConfigInput, type AllocationPolicyName } from './config.js';
export { ALLOCATION_POLICIES, type AllocationPolicy, type PolicyOptions, type StrategyTrack } from './policies/index.js';
export { StrategyBook } from './strategyBook.js';
