// Reconciliation, the acting part: gathers the broker's view for the journal's working orders, runs the pure
// comparison, and carries each correction out: an order with missed fills or closed at the broker is caught up
// through the venue's own once-only path, an order that never reached the broker is sent again under its client
// id, an order nobody here sent is adopted or canceled. The result lists every correction so the
// session can record and publish it.

import type { Order } from '../../model/types.js';
import type { BrokerReports } from './brokerReports.js';
import { reconcile, type OrderReport, type Reconciliation, type ReconcilePolicy } from './reconcile.js';

export interface ReconcileTarget {
  /** Our working orders (the order manager's open orders). */
  readonly working: () => readonly Order[];
  readonly positions: () => ReadonlyMap<string, number>;
  readonly broker: BrokerReports;
  /** Sends an order that never reached the broker again (same client id: idempotent at the broker). */
  readonly resend: (order: Order) => void;
  /** Takes a broker order nobody here sent into the session. */
  readonly adopt: (report: OrderReport) => void;
}

export async function reconcileWithBroker(t: ReconcileTarget, policy: ReconcilePolicy): Promise<Reconciliation> {
  const working = t.working().filter((o) => o.status !== 'new');
  const [openOrders, positions] = await Promise.all([t.broker.openOrderReports(), t.broker.positionReports()]);
  const openIds = new Set(openOrders.map((r) => r.clientOrderId));
  const resolved = new Map<string, OrderReport | null>();
  for (const o of working) if (!openIds.has(o.clientOrderId)) resolved.set(o.clientOrderId, await t.broker.orderReport(o.clientOrderId));
  const result = reconcile(
    {
      journalOrders: working.map((o) => ({ clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, quantity: o.quantity, filledQuantity: o.filledQuantity, filledNotional: o.avgFillPrice * o.filledQuantity })),
      journalPositions: t.positions(),
      brokerOpenOrders: openOrders,
      brokerResolved: resolved,
      brokerPositions: positions,
    },
    policy,
  );
  const byClientId = new Map(working.map((o) => [o.clientOrderId, o]));
  const settled = new Set<string>();
  for (const c of result.corrections) {
    if (c.kind === 'missedFill' || c.kind === 'closedAtBroker') {
      if (!settled.has(c.clientOrderId)) await t.broker.settleOrder(c.clientOrderId);
      settled.add(c.clientOrderId);
    } else if (c.kind === 'neverReachedBroker') {
      const o = byClientId.get(c.clientOrderId);
      if (o !== undefined) t.resend(o);
    } else if (c.kind === 'unknownOrder') {
      if (c.action === 'cancel') await t.broker.cancelBrokerOrder(c.order.brokerOrderId);
      else t.adopt(c.order);
    }
  }
  return result;
}
