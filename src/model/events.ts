// The kernel's event catalogue: every message the bus carries, by type. Events are named for what happened.

import type { Bar, Fill, Order, Quote } from './types.js';

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

export interface KernelEvents {
  /** A closed bar of the base (or a subscribed coarser) timeframe. */
  bar: Bar;
  quote: Quote;
  /** An order changed state (every transition is one event). */
  orderUpdated: Order;
  orderFilled: Fill;
  riskDenied: RiskDenial;
  riskStateChanged: RiskStateChange;
  /** Every bar at this time has been processed. */
  timeStepClosed: number;
}
