// Shapes of a finished backtest: the metrics input, the metrics, and the result that the JSON, CSV, HTML
// and console outputs are rendered from.

import type { RiskSnapshot } from '../model/events.js';
import type { PriceAdjustment } from '../model/priceAdjustment.js';
import type { ClosedTrade, OpenPositionReport, Order } from '../model/types.js';

/** Everything the metrics need, collected by the runner. */
export interface MetricsInput {
  /** Bar times (epoch ms) of E_1..E_N: one per distinct bar time. */
  readonly times: Float64Array;
  /** E_0..E_N: starting cash, then equity at each bar's close (length N + 1). */
  readonly equity: Float64Array;
  /** 1 where any position was non-zero at the bar's close, else 0 (length N). */
  readonly inMarket: Uint8Array;
  readonly trades: readonly ClosedTrade[];
  /** Total traded notional (sum of |quantity × price| over all fills). */
  readonly tradedNotional: number;
  readonly commissions: number;
  readonly slippage: number;
  readonly periodsPerYear: number;
  /** Risk-free rate per year (fraction). */
  readonly riskFreeRate: number;
  /** Benchmark closes aligned with `times` (length N), for alpha/beta; optional. */
  readonly benchmark?: Float64Array;
}

export interface Metrics {
  readonly startEquity: number;
  readonly finalEquity: number;
  readonly netProfit: number;
  readonly totalReturn: number;
  readonly cagr: number;
  readonly volatility: number;
  readonly sharpe: number;
  readonly sortino: number | null;
  readonly maxDrawdown: number;
  readonly maxDrawdownDuration: number;
  readonly maxDrawdownDays: number;
  readonly calmar: number | null;
  readonly var95: number;
  readonly cvar95: number;
  readonly beta: number | null;
  readonly alpha: number | null;
  readonly trackingError: number | null;
  readonly informationRatio: number | null;
  readonly tradeCount: number;
  readonly winRate: number;
  readonly grossProfit: number;
  readonly grossLoss: number;
  readonly profitFactor: number | null;
  readonly avgWin: number;
  readonly avgLoss: number;
  readonly largestWin: number;
  readonly largestLoss: number;
  readonly expectancy: number;
  readonly sqn: number | null;
  readonly avgTradeDuration: number;
  readonly maxConsecutiveWins: number;
  readonly maxConsecutiveLosses: number;
  readonly exposure: number;
  readonly turnover: number;
  readonly commissions: number;
  readonly slippage: number;
  readonly bars: number;
  readonly periodsPerYear: number;
}

/** One row of the monthly returns table: year, month 1..12, return as a fraction. */
export interface MonthlyReturn {
  readonly year: number;
  readonly month: number;
  readonly return: number;
}

export interface RiskRejection {
  readonly time: number;
  readonly symbol: string;
  readonly code: string;
  readonly message: string;
}

export interface BacktestConfigReport {
  readonly strategy: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly cash: number;
  readonly size: string;
  readonly commission: string;
  readonly slippage: string;
  readonly fillOn: 'open' | 'close';
  readonly periodsPerYear: number;
  readonly riskFreeRate: number;
  readonly seed: number;
  readonly data: readonly string[];
  /** The prices the run saw: as traded (none), split-adjusted, or split- and dividend-adjusted (all). */
  readonly adjustment: PriceAdjustment;
  readonly benchmark: string | null;
}

export interface BacktestResult {
  readonly version: string;
  readonly config: BacktestConfigReport;
  readonly metrics: Metrics;
  readonly trades: readonly ClosedTrade[];
  readonly openPositions: readonly OpenPositionReport[];
  readonly times: Float64Array;
  readonly equity: Float64Array;
  readonly monthlyReturns: readonly MonthlyReturn[];
  readonly rejections: readonly RiskRejection[];
  /** Exact final cash as decimal text. */
  readonly finalCash: string;
  /** Every order of the run in creation order, with its final state. */
  readonly orders?: readonly Order[];
  /** Risk monitor snapshots, one per day (the day's last), when the run had a monitor. */
  readonly riskSnapshots?: readonly RiskSnapshot[];
}
