// The one execution-client interface every venue implements (simulated exchange, write-ahead wrapper, and the
// broker adapters to come), what a venue gets to report back with, and how the kernel is handed one.

import type { Bar, Instrument, Quote, Side } from '../../model/types.js';
import type { ExecutionClient, ExecutionReports } from '../reports.js';

export type { ExecutionClient, ExecutionReports } from '../reports.js';

/**
 * One order as the venue holds it: what a restarted session (or a reconnecting broker adapter) rebuilds its view
 * of working orders from. `leavesQuantity` is what the venue will still fill (an OCO leg shrunk by its sibling's
 * partial fill leaves less than quantity − filled).
 */
export interface VenueOrderState {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly leavesQuantity: number;
}

/**
 * A venue. Requests go in (submit, cancel, replace, cancelAll); answers come back through the ExecutionReports it
 * was built with: accepted, rejected, filled (a partial fill is a `filled` report for less than the remainder, and
 * the order manager moves the order to partially_filled), canceled, expired, replaced, replaceRejected and
 * cancelRejected. Answers may come at once (simulated exchange) or later (a broker), in any order the venue
 * produces them; the order manager checks every transition.
 */
export interface Venue extends ExecutionClient {
  /** Short name for logs and health ("sim", "write-ahead(sim)", "alpaca"). */
  readonly name: string;
  /** Cancels every working order the venue holds (of one symbol, if given); returns how many cancels were sent. */
  cancelAll(symbol?: string): number;
  /**
   * The orders the venue holds working now: what recovery and reconciliation compare the journal against.
   * Asynchronous because a broker answers over the network; never called on the per-bar path.
   */
  workingOrders(): Promise<readonly VenueOrderState[]>;
  /**
   * One working order by client order id: how a session learns whether an order whose send outcome is unknown
   * reached the venue before sending it again. Null when the venue holds no working order by that id.
   */
  lookup(clientOrderId: string): Promise<VenueOrderState | null>;
  /**
   * Market data as the kernel sees it. The simulated exchange fills on it; a broker adapter, which gets fills
   * from the broker, ignores it (an empty method: this is the per-bar hot path, so it is not optional).
   */
  onBar(bar: Bar): void;
  onQuote(quote: Quote): void;
}

/** What the kernel hands a venue when it builds it. */
export interface VenueDeps {
  /** Where the venue reports what happened to orders (the kernel's order manager). */
  readonly reports: ExecutionReports;
  /** The instrument of a symbol the run knows; throws PI5_ERR_BAD_USAGE for another. */
  readonly instrument: (symbol: string) => Instrument;
  /** False for a symbol the run does not know: a venue rejects orders for it. */
  readonly hasInstrument: (symbol: string) => boolean;
  /** The kernel's clock, for report time stamps. */
  readonly now: () => number;
}

/** Builds the kernel's venue once the kernel's order manager exists (the venue reports to it). */
export type VenueFactory = (deps: VenueDeps) => Venue;
