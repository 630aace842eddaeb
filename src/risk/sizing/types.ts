// What a sizer sees and returns. Everything beyond price, equity, cash and lot size is optional, so simple
// callers keep compiling and only the sizers that need bars, peers or a track record ask for them.

/** Closed bars of one symbol, newest first (`close(0)` is the latest); the engine's BarHistory satisfies it. */
export interface PriceHistory {
  readonly timeframe: string;
  readonly length: number;
  /** Bar time; when present, estimates are cached per bar and stdev is updated with new bars only. */
  time?(ago?: number): number;
  high(ago?: number): number;
  low(ago?: number): number;
  close(ago?: number): number;
}

/** The part of a closed trade Kelly estimation needs (model ClosedTrade satisfies it). */
export interface TradeOutcome {
  readonly quantity: number;
  readonly entryPrice: number;
  /** Net profit or loss of the round trip. */
  readonly pnl: number;
}

export interface SizingInput {
  readonly symbol: string;
  /** Estimated entry price (the last close). */
  readonly price: number;
  readonly equity: number;
  readonly cash: number;
  readonly stopPrice?: number;
  readonly lotSize: number;
  /**
   * Buying-power allowance: no sizer spends more than max(cash, 0) × leverage. Omitted, sizers do not cap
   * (callers that predate it); the pre-trade buying-power check still guards the order.
   */
  readonly leverage?: number;
  /** Bars of `symbol`, for volatility targeting and risk parity. */
  readonly history?: PriceHistory;
  /** Bars of another symbol, for risk parity's peers. */
  readonly historyOf?: (symbol: string) => PriceHistory | undefined;
  /** Symbols held or being entered, this one included (equal weight, risk parity); called only when needed. */
  readonly activeSymbols?: () => readonly string[];
  /** Closed trades so far, for Kelly estimated from the track record; called only when needed. */
  readonly closedTrades?: () => readonly TradeOutcome[];
  /** Bars per year for annualizing volatility; derived from the history's timeframe when omitted. */
  readonly periodsPerYear?: number;
}

export interface Sizer {
  readonly spec: string;
  /** Whole lots to trade (0 when nothing can be bought). */
  size(input: SizingInput): number;
}
