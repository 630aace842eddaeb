// What a trading session needs from a broker beyond the Venue interface: the broker's reports for reconciliation,
// taking over orders a restarted session re-derived (looked up by client id, sent only if the broker never got
// them), and the connection of its event stream (whose drops and returns it reports to listeners, for
// notifications). Each broker (alpaca/, ib/) provides one.

import type { Order } from '../../model/types.js';
import type { BrokerReports } from '../reconcile/brokerReports.js';
import type { ReconcilePolicy } from '../reconcile/reconcile.js';
import type { Venue, VenueDeps } from './venue.js';
import type { VenueLink } from './health/brokerHealth.js';

export interface BrokerVenue extends Venue, BrokerReports {
  /**
   * Takes over an order the session holds as sent (re-derived by recovery): binds it to the broker's order with
   * its client id and catches it up, or sends it when the broker never got it (a crash between store and send).
   */
  resume(order: Order): Promise<void>;
  /** Resolves once no request of the venue is in flight. */
  idle(): Promise<void>;
}

/** A broker connection went down (its stream or socket dropped) or came back (reconnected and caught up). */
export interface BrokerConnectionEvent {
  readonly venue: string;
  readonly state: 'down' | 'up';
  /** What happened, in the broker adapter's words (no secrets). */
  readonly detail: string;
  /** Wall-clock epoch ms. */
  readonly ts: number;
}

/** Who reports a broker's connection changes; returns the unsubscribe. */
export interface BrokerConnectionSource {
  onConnection(listener: (e: BrokerConnectionEvent) => void): () => void;
}

export interface SessionBroker extends Partial<BrokerConnectionSource> {
  readonly name: string;
  readonly policy: ReconcilePolicy;
  /** Builds the venue; the kernel calls it once, with reports the session records. */
  create(deps: VenueDeps): BrokerVenue;
  /** Connects the broker's event stream; `onReconnected` runs after every reconnection (the session reconciles). */
  connect(onReconnected: () => void): Promise<void>;
  /** Resolves once the requests sent so far are answered and the events the broker sent before now are handed on. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** The connection as health monitoring sees it (failover); a broker without one is always taken as up. */
  link?(): VenueLink;
}
