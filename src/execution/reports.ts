// The seam between an execution venue (simulated exchange, paper, a live broker) and the order manager:
// venues report what happened to orders; the OMS turns reports into validated state transitions and events.

import type { Fill, Order } from '../model/types.js';

export interface ExecutionReports {
  accepted(order: Order, ts: number): void;
  filled(order: Order, fill: Fill): void;
  canceled(order: Order, ts: number, reason: string): void;
  expired(order: Order, ts: number): void;
  rejected(order: Order, ts: number, reason: string): void;
}

/** What the OMS needs from a venue. */
export interface ExecutionClient {
  /** Sends an order; `activeAfterTs` holds it back until a bar later than that time (bracket exits). */
  submit(order: Order, activeAfterTs?: number): void;
  cancel(order: Order): boolean;
}
