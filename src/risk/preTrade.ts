// Pre-trade checks run on every order before it reaches the venue. A failed check is a denial with a
// reason code (an event and a report row), never an exception. The checks live in ./checks/.

import type { OrderRequest } from '../model/types.js';
import { compileChecks, type CheckPipeline } from './checks/index.js';
import { impactOf, type Denial, type OrderImpact, type PreTradeState } from './checks/types.js';
import type { RiskLimits } from './limits.js';

export { DEFAULT_LIMITS, type RiskLimits, type TradingWindow } from './limits.js';
export type { Denial, PreTradeState } from './checks/types.js';

/** Runs a compiled pipeline: the first denial wins. */
export function runChecks(pipeline: CheckPipeline, req: OrderRequest, s: PreTradeState, limits: RiskLimits): Denial | null {
  return runChecksWith(pipeline, req, s, limits, impactOf(req, s));
}

/** runChecks with the order's impact already worked out (the risk engine needs it first to skip work). */
export function runChecksWith(pipeline: CheckPipeline, req: OrderRequest, s: PreTradeState, limits: RiskLimits, impact: OrderImpact): Denial | null {
  const checks = pipeline.checks;
  for (let i = 0; i < checks.length; i++) {
    const d = (checks[i] as CheckPipeline['checks'][number])(req, s, limits, impact);
    if (d !== null) return d;
  }
  return null;
}

const compiled = new WeakMap<RiskLimits, CheckPipeline>();

/**
 * Every configured check for one order. Checks assume every working order fills (the worst case): a sell is
 * judged against the position after the working sells, a buy against the position after the working buys.
 */
export function checkPreTrade(req: OrderRequest, s: PreTradeState, limits: RiskLimits): Denial | null {
  let pipeline = compiled.get(limits);
  if (pipeline === undefined) {
    pipeline = compileChecks(limits);
    compiled.set(limits, pipeline);
  }
  return runChecks(pipeline, req, s, limits);
}
