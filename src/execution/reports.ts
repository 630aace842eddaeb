// The seam between an execution venue (simulated exchange, paper, a live broker) and the order manager:
// venues report what happened to orders; the OMS turns reports into validated state transitions and events.

import type { Fill, Order, OrderChanges } from '../model/types.js';

export interface ExecutionReports {
  accepted(order: Order, ts: number): void;
  filled(order: Order, fill: Fill): void;
  canceled(order: Order, ts: number, reason: string): void;
  expired(order: Order, ts: number): void;
  rejected(order: Order, ts: number, reason: string): void;
  /** A replace request was carried out: the OMS applies the changes it sent. */
  replaced(order: Order, ts: number): void;
  /** The venue refused a replace request; the order keeps working on its old terms. */
  replaceRejected(order: Order, ts: number, reason: string): void;
  /** The venue refused a cancel request (too late, unknown); the order keeps working. */
  cancelRejected(order: Order, ts: number, reason: string): void;
}

/** What the OMS needs from a venue. */
export interface ExecutionClient {
  /** Sends an order; `activeAfterTs` holds it back until a bar later than that time (bracket exits). */
  submit(order: Order, activeAfterTs?: number): void;
  /**
   * Asks to cancel a working order; false when the request could not be sent (the venue does not hold the
   * order). The answer comes as `canceled` or `cancelRejected`, at once (simulated exchange) or later.
   */
  cancel(order: Order): boolean;
  /**
   * Asks to replace a working order's terms with `changes` (already validated by the OMS); false when the
   * request could not be sent. The answer comes as `replaced` or `replaceRejected`. A venue without it
   * cannot modify orders (the OMS refuses modifies; cancel and submit anew instead).
   */
  replace?(order: Order, changes: OrderChanges): boolean;
  /**
   * Bracket exits the OMS holds until `entry` fills, told before the entry is submitted (and again when recovery
   * re-derives them). A venue with bracket orders of its own (Alpaca) sends them with the entry as held legs,
   * so the position is protected at the broker from its first share; the OMS still releases the exits by
   * `submit` once the entry fills, which such a venue answers from the legs instead of sending them again.
   * Nothing is sent by this call; a venue without it gets the exits only on release.
   */
  holdExits?(entry: Order, exits: readonly Order[]): void;
}
