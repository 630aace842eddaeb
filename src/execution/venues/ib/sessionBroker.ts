// Interactive Brokers for a trading session: one socket connection to TWS / IB Gateway (shared with the node's
// health and account views, since IB allows one connection per client id), the venue the session's kernel sends
// through, and a reconcile after every reconnection once the venue has caught up.

import type { ReconcilePolicy } from '../../reconcile/reconcile.js';
import type { SessionBroker } from '../brokerVenue.js';
import type { VenueLink } from '../health/brokerHealth.js';
import type { VenueDeps } from '../venue.js';
import type { IbConnectionOptions } from './connection.js';
import { IbBroker, type IbVenue, type IbVenueOptions } from './ibVenue.js';

export interface IbSessionBrokerOptions {
  readonly connection: IbConnectionOptions;
  readonly venue: IbVenueOptions;
  readonly policy: ReconcilePolicy;
}

export class IbSessionBroker implements SessionBroker {
  readonly name = 'ib';
  readonly policy: ReconcilePolicy;
  /** The connection; the node opens it at start (a wrong host, port or client id stops the start). */
  readonly ib: IbBroker;
  private venue: IbVenue | null = null;
  private onReconnected: () => void = () => undefined;

  constructor(o: IbSessionBrokerOptions) {
    this.policy = o.policy;
    this.ib = new IbBroker({ ...o.connection, ...o.venue, onCaughtUp: () => this.onReconnected() });
  }

  create(deps: VenueDeps): IbVenue {
    this.venue = this.ib.factory(deps);
    return this.venue;
  }

  async connect(onReconnected: () => void): Promise<void> {
    this.onReconnected = onReconnected;
    if (this.ib.conn.state !== 'connected') await this.ib.connect();
  }

  async flush(): Promise<void> {
    await this.venue?.idle();
  }

  link(): VenueLink {
    return this.ib.conn.link();
  }

  async close(): Promise<void> {
    await this.venue?.idle();
    this.ib.close();
  }
}
