// Resolves the limits that apply to one order (global ← strategy ← symbol) and caches each combination with
// its compiled check pipeline, so the per-order cost is a map lookup at most.

import { compileChecks, type CheckPipeline } from './checks/index.js';
import type { RiskConfig, RiskLimitsLayer } from './config.js';
import { DEFAULT_LIMITS, mergeLimits, type RiskLimits } from './limits.js';

export interface RiskProfile {
  readonly limits: RiskLimits;
  readonly pipeline: CheckPipeline;
}

function profile(limits: RiskLimits): RiskProfile {
  return { limits, pipeline: compileChecks(limits) };
}

export class RiskProfiles {
  readonly global: RiskProfile;
  private readonly strategies: ReadonlyMap<string, RiskLimitsLayer>;
  private readonly symbols: ReadonlyMap<string, RiskLimitsLayer>;
  /** Resolved profiles by strategy key, then symbol key ('' when that layer has no entry): no key string per order. */
  private readonly cache = new Map<string, Map<string, RiskProfile>>();

  constructor(readonly config: RiskConfig, base: RiskLimits = DEFAULT_LIMITS) {
    this.global = profile(mergeLimits(base, config.global));
    this.strategies = new Map(Object.entries(config.strategies));
    this.symbols = new Map(Object.entries(config.symbols));
  }

  /** The limits for an order of `strategyId` in `symbol`. */
  for(strategyId: string | null, symbol: string): RiskProfile {
    const byStrategy = strategyId === null || this.strategies.size === 0 ? undefined : this.strategies.get(strategyId);
    const bySymbol = this.symbols.size === 0 ? undefined : this.symbols.get(symbol);
    if (byStrategy === undefined && bySymbol === undefined) return this.global;
    const strategyKey = byStrategy === undefined ? '' : (strategyId ?? '');
    let row = this.cache.get(strategyKey);
    if (row === undefined) {
      row = new Map<string, RiskProfile>();
      this.cache.set(strategyKey, row);
    }
    const symbolKey = bySymbol === undefined ? '' : symbol;
    let p = row.get(symbolKey);
    if (p === undefined) {
      p = profile(mergeLimits(this.global.limits, byStrategy, bySymbol));
      row.set(symbolKey, p);
    }
    return p;
  }

  /** True when `name` is set at any level (decides which trackers the engine keeps up to date). */
  configured(name: keyof RiskLimits): boolean {
    if (this.global.limits[name] !== undefined) return true;
    for (const layer of [...this.strategies.values(), ...this.symbols.values()]) if (layer[name] !== undefined) return true;
    return false;
  }
}
