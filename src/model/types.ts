// Domain types shared by every layer: bars, orders, fills, positions. Imports nothing of ours.

/** Epoch milliseconds, UTC. */
export type TimestampMs = number;

export type Timeframe = string; // '1m' | '5m' | '15m' | '1h' | '1d' | '1w' | '1M' ...

/** One OHLCV bar. `ts` is the bar's open instant (intraday) or its trading date at 00:00 UTC (daily+). */
export interface Bar {
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly ts: TimestampMs;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface Quote {
  readonly symbol: string;
  readonly ts: TimestampMs;
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
}

/** One print on the tape (market data), not one of our fills. `size` in shares. */
export interface Trade {
  readonly symbol: string;
  readonly ts: TimestampMs;
  readonly price: number;
  readonly size: number;
  /** Venue code as the provider sends it ('V' for IEX at Alpaca), when known. */
  readonly exchange?: string;
  /** The venue's trade id, when known. */
  readonly id?: string;
}

export interface Instrument {
  readonly symbol: string;
  /** Decimal places of prices (the tick is 10^-priceDecimals). At most 8. */
  readonly priceDecimals: number;
  /** Smallest tradable quantity step; 1 for shares. */
  readonly lotSize: number;
  readonly currency: string;
  /** IANA time zone of the exchange's session, used by intraday session logic. */
  readonly timeZone: string;
}

export type Side = 'buy' | 'sell';
export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop-limit', 'trailing-stop'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
/**
 * OPG and CLS trade in the opening and closing auction (market or limit orders only); only a broker venue that
 * has them takes them (Alpaca), others refuse them with the reason. Appended, so archived indexes keep their values.
 */
export const TIME_IN_FORCE = ['DAY', 'GTC', 'IOC', 'FOK', 'OPG', 'CLS'] as const;
export type TimeInForce = (typeof TIME_IN_FORCE)[number];
export type BracketRole = 'entry' | 'take-profit' | 'stop-loss';

export const ORDER_STATUSES = [
  'new',
  'submitted',
  'accepted',
  'partially_filled',
  'filled',
  'rejected',
  'canceled',
  'expired',
  // Appended (not placed by meaning) so the archive's stored status indexes keep their values.
  'pending_cancel',
  'pending_replace',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What a strategy (or a user, or the API) asks for; the OMS turns it into an Order. */
export interface OrderRequest {
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly type?: OrderType; // default market
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  /** Trailing stop distance in price units. */
  readonly trailAmount?: number;
  /** Trailing stop distance in percent of the reference price (5 = 5%). */
  readonly trailPercent?: number;
  readonly tif?: TimeInForce; // default GTC
  readonly clientOrderId?: string;
  readonly tag?: string;
}

/**
 * What a modify (cancel/replace) may change on a working order. `quantity` is the new total, filled part
 * included (as in FIX); the type, side and symbol never change (cancel and submit a new order for that).
 */
export interface OrderChanges {
  readonly quantity?: number;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  /** Giving one trailing distance replaces the other kind. */
  readonly trailAmount?: number;
  readonly trailPercent?: number;
  readonly tif?: TimeInForce;
}

/** A bracket: an entry with a take-profit limit and/or a stop-loss stop that form an OCO once the entry fills. */
export interface BracketRequest {
  readonly entry: OrderRequest;
  readonly takeProfit?: { readonly limitPrice: number; readonly tag?: string };
  readonly stopLoss?: { readonly stopPrice: number; readonly limitPrice?: number; readonly tag?: string };
}

export interface Order {
  readonly id: number;
  readonly clientOrderId: string;
  brokerOrderId: string | null;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly type: OrderType;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly trailAmount: number | null;
  readonly trailPercent: number | null;
  readonly tif: TimeInForce;
  readonly tag: string | null;
  /** Bracket/OCO links. */
  readonly parentId: number | null;
  readonly ocoGroup: string | null;
  readonly role: BracketRole | null;
  readonly strategyId: string | null;
  readonly createdAt: TimestampMs;
  status: OrderStatus;
  filledQuantity: number;
  /** Average fill price (float, for display); exact values live on the fills. */
  avgFillPrice: number;
  updatedAt: TimestampMs;
  rejectReason: string | null;
}

export type LiquiditySide = 'maker' | 'taker';

export interface Fill {
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  /** Fill price as a float for display and metrics. */
  readonly price: number;
  /** Exact fill price in price units of 1e-8 (see model/money.ts). */
  readonly pricePu: number;
  /** Commission in price units (1e-8 of the account currency). */
  readonly commissionPu: number;
  /** Slippage cost in price units (>= 0 when it hurts). */
  readonly slippagePu: number;
  readonly ts: TimestampMs;
  readonly liquidity: LiquiditySide;
  readonly strategyId: string | null;
}

export interface PositionView {
  readonly symbol: string;
  /** Signed: positive long, negative short. */
  readonly quantity: number;
  readonly avgPrice: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly lastPrice: number;
}

/** Strategy signals, sized by the risk engine. */
export const SIGNALS = ['BUY', 'SELL', 'HOLD', 'CLOSE_LONG', 'CLOSE_SHORT'] as const;
export type SignalKind = (typeof SIGNALS)[number];

/** A closed round trip of a position, flat → flat (or a reversal). */
export interface ClosedTrade {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly quantity: number;
  readonly entryTime: TimestampMs;
  readonly entryPrice: number;
  readonly exitTime: TimestampMs;
  readonly exitPrice: number;
  /** Net of commissions (and slippage, which is already in the fill prices). */
  readonly pnl: number;
  readonly commission: number;
  readonly slippage: number;
  /** 0-based index of the bar (time step) of the entry and exit fills. */
  readonly entryBar: number;
  readonly exitBar: number;
}

export interface OpenPositionReport {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly quantity: number;
  readonly entryTime: TimestampMs;
  readonly avgPrice: number;
  readonly lastPrice: number;
  readonly unrealizedPnl: number;
}
