// Position sizing: how many shares a signal's entry gets. One sizer per algorithm, and the --size grammar
// that picks one; formulas in docs/risk.md.

export type { PriceHistory, Sizer, SizingInput, TradeOutcome } from './types.js';
export { buyingPower, finishQuantity, roundDownToLot } from './common.js';
export { FixedFractionalRiskSizer, FixedNotionalSizer, FixedQuantitySizer, PercentOfEquitySizer } from './basic.js';
export { VolatilityTargetSizer, type VolatilityTargetOptions } from './volatilityTarget.js';
export { DEFAULT_KELLY_CAP_PCT, DEFAULT_KELLY_MIN_TRADES, KellySizer, estimateEdge, kellyFraction, type KellyOptions } from './kelly.js';
export { RiskParitySizer, type RiskParityOptions } from './riskParity.js';
export { EqualWeightSizer } from './equalWeight.js';
export { VolatilityEstimator, barVolatility, periodsPerYearFor, type VolatilityMethod } from './volatility.js';
export { DEFAULT_RISK_PARITY_LOOKBACK, DEFAULT_VOL_LOOKBACK, parseSizeSpec } from './parse.js';
