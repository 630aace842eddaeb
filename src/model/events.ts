// The kernel's event catalogue: every message the bus carries, by type. Events are named for what happened.

import type { AlgoUpdate } from './algo.js';
import type { Bar, Fill, Order, Quote, Trade } from './types.js';

export interface RiskDenial {
  readonly ts: number;
  readonly strategyId: string | null;
  readonly symbol: string;
  /** Stable reason code, e.g. RISK_BUYING_POWER. */
  readonly code: string;
  readonly message: string;
}

/** The kill switch tripped or was reset (restored: a kernel started with a switch tripped in its store). */
export interface RiskStateChange {
  readonly ts: number;
  readonly killSwitch: 'tripped' | 'reset';
  readonly reason: string;
  /** 'limit' for an automatic trip, otherwise the person (or tool) that changed it. */
  readonly by: string;
  readonly restored: boolean;
}

/** One symbol's open position as the risk monitor saw it; exposure is signed (short < 0). */
export interface SymbolExposure {
  readonly symbol: string;
  /** Signed quantity. */
  readonly quantity: number;
  readonly lastPrice: number;
  /** quantity × lastPrice. */
  readonly exposure: number;
  /** exposure ÷ equity. */
  readonly fractionOfEquity: number;
}

/**
 * The real-time risk monitor's view at a time-step close (docs/risk.md, "Risk monitor"). Returns and
 * losses are fractions of equity; VaR and ES are positive losses over the last `windowReturns` step
 * returns, null until there is one; beta is null without a benchmark or enough paired returns.
 */
export interface RiskSnapshot {
  readonly ts: number;
  /** 0-based index of the time step. */
  readonly step: number;
  readonly equity: number;
  readonly exposures: readonly SymbolExposure[];
  readonly grossExposure: number;
  readonly netExposure: number;
  readonly grossFraction: number;
  readonly netFraction: number;
  /** Equity now minus equity at the last close before today (local day of the monitor's time zone). */
  readonly dailyPnl: number;
  readonly peakEquity: number;
  /** (peak − equity) ÷ peak, ≥ 0. */
  readonly drawdown: number;
  readonly windowReturns: number;
  readonly var95: number | null;
  readonly es95: number | null;
  readonly var99: number | null;
  readonly es99: number | null;
  /** Herfindahl–Hirschman index of |exposure| ÷ gross exposure; 0 when flat. */
  readonly hhi: number;
  readonly beta: number | null;
}

export interface KernelEvents {
  /** A closed bar of the base (or a subscribed coarser) timeframe. */
  bar: Bar;
  quote: Quote;
  /** A print on the tape (live feeds' trades). */
  trade: Trade;
  /** An order changed state (every transition is one event). */
  orderUpdated: Order;
  orderFilled: Fill;
  riskDenied: RiskDenial;
  riskStateChanged: RiskStateChange;
  /** Every bar at this time has been processed. */
  timeStepClosed: number;
  /** The risk monitor measured the portfolio (only when one is configured). */
  riskSnapshot: RiskSnapshot;
  /** An execution algorithm's parent order changed (started, a child filled or was denied, ended). */
  algoUpdated: AlgoUpdate;
}
