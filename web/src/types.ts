// The API's shapes the dashboard reads (docs/api.md; the OpenAPI document at /docs/json is the reference).

export interface Paged<T> {
  readonly items: T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

export interface Portfolio {
  readonly ts: number | null;
  readonly step: number;
  readonly startingCash: number;
  readonly cash: number;
  readonly equity: number;
  readonly positionsValue: number;
  readonly dayPnl: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly openPositions: number;
}

export interface Position {
  readonly symbol: string;
  readonly quantity: number;
  readonly avgPrice: number;
  readonly lastPrice: number | null;
  readonly marketValue: number | null;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
}

export interface Order {
  readonly id: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly type: string;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  readonly trailAmount: number | null;
  readonly trailPercent: number | null;
  readonly tif: string;
  readonly tag: string | null;
  readonly parentId: number | null;
  readonly strategyId: string | null;
  readonly createdAt: number;
  readonly status: string;
  readonly filledQuantity: number;
  readonly avgFillPrice: number;
  readonly updatedAt: number;
  readonly rejectReason: string | null;
}
