// The limits pre-trade checks enforce. Only maxLeverage, maxOpenOrders and allowShort always apply; every
// other limit is off until configured (globally, per strategy or per symbol: see config.ts).

/** A trading-hours window in exchange wall time, minutes since midnight; end exclusive. */
export interface TradingWindow {
  readonly startMin: number;
  readonly endMin: number;
  /** IANA zone; default: the instrument's exchange zone. */
  readonly timeZone?: string;
  /** Deny orders on Saturdays and Sundays (exchange local date). */
  readonly weekdaysOnly: boolean;
}

export interface RiskLimits {
  /** Gross exposure after the order at most equity × maxLeverage (1 = no margin): buying power. */
  readonly maxLeverage: number;
  readonly maxOpenOrders: number;
  readonly allowShort: boolean;
  /** |position| in the order's symbol after the order (working orders included). */
  readonly maxPositionQty?: number;
  /** |position| × price in the order's symbol, currency. */
  readonly maxPositionNotional?: number;
  /** Σ |position × price| over all symbols, working orders included, currency. */
  readonly maxGrossExposure?: number;
  /** |Σ position × price| over all symbols, currency. */
  readonly maxNetExposure?: number;
  readonly maxOrdersPerSecond?: number;
  readonly maxOrdersPerMinute?: number;
  readonly maxOrdersPerDay?: number;
  /** Loss from the start-of-day equity, currency. */
  readonly maxDailyLoss?: number;
  /** Loss from the start-of-day equity, percent of it (5 = 5%). */
  readonly maxDailyLossPct?: number;
  /** Fall from the peak equity, percent of the peak. */
  readonly maxDrawdownPct?: number;
  readonly restrictedSymbols?: readonly string[];
  /** Limit and stop prices at most this percent away from the last price (fat-finger band). */
  readonly priceBandPct?: number;
  readonly minPrice?: number;
  /** Symbols with a position (or a working order opening one) at the same time. */
  readonly maxPositions?: number;
  /** Cash left after every working buy and this one fill, currency. */
  readonly minCashReserve?: number;
  /** Correlation of returns with any held symbol above this denies a new position (0..1). */
  readonly maxCorrelation?: number;
  /** Returns in the correlation window (bars of the base timeframe); default 60. */
  readonly correlationLookback?: number;
  /** Gross exposure of the order's group (config `groups`) at most this percent of equity. */
  readonly maxGroupPct?: number;
  readonly tradingHours?: TradingWindow;
}

export const DEFAULT_LIMITS: RiskLimits = { maxLeverage: 1, maxOpenOrders: 1000, allowShort: true };

export const DEFAULT_CORRELATION_LOOKBACK = 60;

/** Later layers override earlier ones key by key; undefined values do not override. */
export function mergeLimits(base: RiskLimits, ...layers: readonly (Partial<RiskLimits> | undefined)[]): RiskLimits {
  let out: RiskLimits = base;
  for (const layer of layers) {
    if (layer === undefined) continue;
    const defined = Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined)) as Partial<RiskLimits>;
    out = { ...out, ...defined };
  }
  return out;
}
