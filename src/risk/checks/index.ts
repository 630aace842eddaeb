// The pre-trade check pipeline: which checks run for a set of limits (only those whose limit is set), in
// what order (the first denial wins), and which optional state fields they need.

import type { RiskLimits } from '../limits.js';
import { checkBuyingPower, checkCashReserve, checkGrossExposure, checkNetExposure } from './exposure.js';
import { checkDailyLoss, checkDrawdown, checkKillSwitch } from './loss.js';
import { checkOpenOrders, checkOrderRate, checkOrdersPerDay } from './orderFlow.js';
import { checkCorrelation, checkGroupConcentration } from './portfolioMix.js';
import { checkMaxPositions, checkPositionNotional, checkPositionQty, checkShortAllowed } from './position.js';
import { checkMinPrice, checkPriceBand, checkRestricted } from './price.js';
import { checkTradingHours } from './session.js';
import type { Check } from './types.js';

/** Optional PreTradeState fields a pipeline reads; the gateway computes only these. */
export interface StateNeeds {
  /** now, timeZone. */
  readonly clock: boolean;
  /** ordersLastSecond, ordersLastMinute, ordersToday. */
  readonly orderCounts: boolean;
  /** dayStartEquity, peakEquity. */
  readonly equityMarks: boolean;
  /** pendingBuyNotional, pendingSellNotional. */
  readonly pendingNotional: boolean;
  /** netExposure. */
  readonly netExposure: boolean;
  /** otherPositions. */
  readonly positionCount: boolean;
  /** group, groupExposure. */
  readonly group: boolean;
  readonly correlations: boolean;
}

export interface CheckPipeline {
  readonly checks: readonly Check[];
  readonly needs: StateNeeds;
}

const has = (x: unknown): boolean => x !== undefined;

/** Builds the pipeline for one set of limits: call once per resolved limits, not per order. */
export function compileChecks(l: RiskLimits): CheckPipeline {
  const lossLimits = has(l.maxDailyLoss) || has(l.maxDailyLossPct);
  const steps: [boolean, Check][] = [
    [true, checkKillSwitch],
    [has(l.restrictedSymbols), checkRestricted],
    [has(l.tradingHours), checkTradingHours],
    [has(l.priceBandPct), checkPriceBand],
    [has(l.minPrice), checkMinPrice],
    [lossLimits, checkDailyLoss],
    [has(l.maxDrawdownPct), checkDrawdown],
    [has(l.maxOrdersPerSecond) || has(l.maxOrdersPerMinute), checkOrderRate],
    [has(l.maxOrdersPerDay), checkOrdersPerDay],
    [true, checkOpenOrders],
    [!l.allowShort, checkShortAllowed],
    [has(l.maxPositionQty), checkPositionQty],
    [has(l.maxPositionNotional), checkPositionNotional],
    [has(l.maxPositions), checkMaxPositions],
    [true, checkBuyingPower],
    [has(l.maxGrossExposure), checkGrossExposure],
    [has(l.maxNetExposure), checkNetExposure],
    [has(l.minCashReserve), checkCashReserve],
    [has(l.maxGroupPct), checkGroupConcentration],
    [has(l.maxCorrelation), checkCorrelation],
  ];
  return {
    checks: steps.filter(([on]) => on).map(([, c]) => c),
    needs: {
      clock: has(l.tradingHours),
      orderCounts: has(l.maxOrdersPerSecond) || has(l.maxOrdersPerMinute) || has(l.maxOrdersPerDay),
      equityMarks: lossLimits || has(l.maxDrawdownPct),
      pendingNotional: has(l.maxNetExposure) || has(l.minCashReserve),
      netExposure: has(l.maxNetExposure),
      positionCount: has(l.maxPositions),
      group: has(l.maxGroupPct),
      correlations: has(l.maxCorrelation),
    },
  };
}

export type { Check, Denial, OrderImpact, PreTradeState } from './types.js';
