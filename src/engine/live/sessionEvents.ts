// What a trading session tells the outside (API, WebSocket): kernel events once live, plus its own status and
// a portfolio summary at every step.

import type { LiveSourceStatus } from './liveStepSource.js';
import type { ReconciliationRecord } from './sessionBroker.js';
import type { SessionBrokerStatus } from './sessionBrokers.js';
import type { RiskDenial, RiskSnapshot, RiskStateChange } from '../../model/events.js';
import type { Bar, Fill, Order } from '../../model/types.js';

export type SessionState = 'created' | 'recovering' | 'running' | 'paused' | 'finished' | 'failed';
export interface SessionStatus {
  readonly id: string;
  readonly state: SessionState;
  /** Why the session failed or halted, or null. */
  readonly failure: string | null;
  /** Why a running session is not stepping now (its database is unreachable: it retries and resumes by itself), or null. */
  readonly waiting: string | null;
  /** Steps processed so far. */
  readonly step: number;
  /** Steps in the feed. */
  readonly steps: number;
  /** The market time of the last processed step (epoch ms), or null before the first. */
  readonly marketTime: number | null;
  readonly stepIntervalMs: number;
  /** Steps re-run from storage when the session was reopened. */
  readonly recoveredSteps: number;
  readonly strategies: readonly string[];
  readonly killSwitch: 'tripped' | 'reset';
  /** Where the steps come from: a replay of stored bars, or live market data. */
  readonly source: 'replay' | 'live';
  /** A live session's provider, symbols and feed state (connected, reconnecting, backfilling, ...); null for a replay. */
  readonly live: LiveSourceStatus | null;
  /** Why the market data is too old to trade on (strategies place no new orders), or null. */
  readonly dataStale?: string | null;
  /** The broker the session trades at and its last reconciliation; null for the simulated exchange. */
  readonly broker?: {
    readonly name: string;
    readonly reconciliation: ReconciliationRecord | null;
    /** The broker new orders go to now (the primary unless failover moved them). */
    readonly route?: string;
    /** Every broker of the session by priority, with its health and last reconciliation. */
    readonly venues?: readonly SessionBrokerStatus[];
  } | null;
}

export interface PortfolioSummary {
  readonly ts: number;
  readonly step: number;
  readonly startingCash: number;
  readonly cash: number;
  readonly equity: number;
  /** Market value of open positions (signed: shorts count negative). */
  readonly positionsValue: number;
  /** Equity now minus equity at the close of the previous (UTC) day. */
  readonly dayPnl: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly openPositions: number;
}

/** A live step's orders reached the venue (after their journal write): how long after the step was ready. */
export interface StepOrdersSent {
  readonly step: number;
  readonly orders: number;
  /** From the step being ready (its bars complete; a replay: taken) to its orders handed to the venue. */
  readonly latencySeconds: number;
}

export interface TradingSessionEvents {
  status: SessionStatus;
  order: Order;
  fill: Fill;
  bar: Bar;
  risk: RiskSnapshot;
  denial: RiskDenial;
  killSwitch: RiskStateChange;
  portfolio: PortfolioSummary;
  ordersSent: StepOrdersSent;
  /** A broker reconciliation finished (at start, after a reconnect): told at once, not at the next step. */
  reconciled: BrokerReconciled;
  /** A broker could not be reached at start (retried with backoff), or was reached at last. */
  brokerReachability: BrokerReachability;
}

export interface BrokerReachability {
  readonly venue: string;
  /** Why it cannot be reached, or null: reached (and reconciled) now. */
  readonly unreachable: string | null;
  /** Wall-clock epoch ms. */
  readonly ts: number;
}

export interface BrokerReconciled {
  readonly venue: string;
  readonly record: ReconciliationRecord;
}
