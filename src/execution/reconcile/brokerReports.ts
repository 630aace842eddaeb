// What reconciliation asks of a broker venue: its open orders, one order's final state by our client id, its
// positions, and a cancel by the broker's own id (for orders nobody here sent). Each broker venue implements it.

import type { OrderReport } from './reconcile.js';

export interface BrokerReports {
  openOrderReports(): Promise<readonly OrderReport[]>;
  /** The order sent under our client order id, replacements followed; null when the broker never had it. */
  orderReport(clientOrderId: string): Promise<OrderReport | null>;
  /** Signed quantities by symbol. */
  positionReports(): Promise<ReadonlyMap<string, number>>;
  cancelBrokerOrder(brokerOrderId: string): Promise<void>;
  /**
   * Brings our order up to the broker's state (fills it made, its end) through the venue's own once-only path, so
   * a fill that also arrives on the stream is still applied once.
   */
  settleOrder(clientOrderId: string): Promise<void>;
}
