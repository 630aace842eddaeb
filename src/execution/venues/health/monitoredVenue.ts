// Puts a broker health monitor on a venue's order path: the time from sending an order (or a modify or cancel)
// to the venue's first answer is its latency, and refusals count as errors. Works for any venue factory.

import type { Order, OrderChanges } from '../../../model/types.js';
import type { ExecutionReports, Venue, VenueDeps, VenueFactory } from '../venue.js';
import type { BrokerHealth } from './brokerHealth.js';

/** `factory`'s venue, with every answer timed into `health` (wall clock: `nowMs`). */
export function monitoredVenue(factory: VenueFactory, health: BrokerHealth, nowMs: () => number = Date.now): VenueFactory {
  return (deps: VenueDeps): Venue => {
    const sentAt = new Map<number, number>();
    const answered = (order: Order, ok: boolean): void => {
      const t = sentAt.get(order.id);
      if (t === undefined) return;
      sentAt.delete(order.id);
      health.recordLatency(nowMs() - t);
      health.recordOutcome(ok);
    };
    const r = deps.reports;
    const reports: ExecutionReports = {
      accepted: (o, ts) => (answered(o, true), r.accepted(o, ts)),
      filled: (o, f) => (answered(o, true), r.filled(o, f)),
      canceled: (o, ts, why) => (answered(o, true), r.canceled(o, ts, why)),
      expired: (o, ts) => r.expired(o, ts),
      rejected: (o, ts, why) => (answered(o, false), r.rejected(o, ts, why)),
      replaced: (o, ts) => (answered(o, true), r.replaced(o, ts)),
      replaceRejected: (o, ts, why) => (answered(o, false), r.replaceRejected(o, ts, why)),
      cancelRejected: (o, ts, why) => (answered(o, false), r.cancelRejected(o, ts, why)),
    };
    const inner = factory({ ...deps, reports });
    const sent = (o: Order): void => void sentAt.set(o.id, nowMs());
    const venue: Venue = {
      name: inner.name,
      submit(o, activeAfterTs) {
        sent(o);
        inner.submit(o, activeAfterTs);
      },
      cancel(o) {
        const ok = inner.cancel(o);
        if (ok) sent(o);
        return ok;
      },
      holdExits: (entry, exits) => inner.holdExits?.(entry, exits),
      cancelAll: (symbol) => inner.cancelAll(symbol),
      workingOrders: () => inner.workingOrders(),
      lookup: (id) => inner.lookup(id),
      onBar: (b) => inner.onBar(b),
      onQuote: (q) => inner.onQuote(q),
    };
    const replace = inner.replace?.bind(inner);
    if (replace !== undefined) {
      return {
        ...venue,
        replace(o: Order, changes: OrderChanges) {
          const ok = replace(o, changes);
          if (ok) sent(o);
          return ok;
        },
      };
    }
    return venue;
  };
}
