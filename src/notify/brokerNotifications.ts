// What a broker connection has to tell a person: its stream or socket dropped, it came back, and what a
// reconciliation with the broker corrected. Connection changes come from the brokers' listeners; a reconciliation
// is told as soon as the session publishes it (after a reconnect: at once, not at the next step); the start
// reconciliation, which runs before notifications open, is read from the session's status when they open.

import type { SessionView } from '../engine/live/sessionView.js';
import type { ReconciliationRecord } from '../engine/live/sessionBroker.js';
import type { Correction } from '../execution/reconcile/reconcile.js';
import type { BrokerConnectionEvent, BrokerConnectionSource } from '../execution/venues/brokerVenue.js';
import type { Notification, Notify } from './types.js';

/** A broker the session could not reach at start (it retries), or reached at last: told as a drop and a return. */
export function reachabilityNotification(venue: string, unreachable: string | null, ts: number): Notification {
  return connectionNotification(
    unreachable === null
      ? { venue, state: 'up', detail: 'reached after being unreachable at start; the orders it holds were taken over and reconciled', ts }
      : { venue, state: 'down', detail: `unreachable at start (${unreachable}); the session retries with backoff`, ts },
  );
}

export function connectionNotification(e: BrokerConnectionEvent): Notification {
  const down = e.state === 'down';
  return {
    kind: down ? 'broker_disconnect' : 'broker_reconnect',
    ts: e.ts,
    title: down ? `Broker ${e.venue} disconnected` : `Broker ${e.venue} reconnected`,
    text: down ? `${e.detail}. No order reaches ${e.venue} until it is back; the session reconciles then.` : `${e.detail}. The session reconciles with the broker before trading on.`,
    data: { venue: e.venue, state: e.state, detail: e.detail },
  };
}

function describe(c: Correction): string {
  switch (c.kind) {
    case 'missedFill':
      return `${c.clientOrderId}: missed fill of ${c.quantity} @ ${c.price} applied`;
    case 'closedAtBroker':
      return `${c.clientOrderId}: ${c.status} at the broker`;
    case 'neverReachedBroker':
      return `${c.clientOrderId}: never reached the broker, sent again`;
    case 'unknownOrder':
      return `broker order ${c.order.brokerOrderId} (${c.order.side} ${c.order.quantity} ${c.order.symbol}) nobody here sent: ${c.action === 'cancel' ? 'canceled' : 'adopted'}`;
    case 'positionMismatch':
      return `${c.symbol}: position ours ${c.ours}, broker ${c.broker} (${c.action === 'halt' ? 'trading halted' : "broker's figure adopted"})`;
  }
}

export function reconciliationNotification(venue: string, session: string, r: ReconciliationRecord): Notification {
  const lines = r.corrections.map(describe);
  return {
    kind: 'reconciliation',
    ts: r.at,
    title: `Reconciliation with ${venue} (${r.trigger}): ${r.corrections.length} correction${r.corrections.length === 1 ? '' : 's'}${r.halt === null ? '' : ', trading HALTED'}`,
    text: [`Session ${session}, ${r.trigger} reconciliation with ${venue}:`, ...lines.map((l) => `- ${l}`), ...(r.halt === null ? [] : [r.halt])].join('\n'),
    data: { venue, session, trigger: r.trigger, corrections: r.corrections, halt: r.halt },
  };
}

/**
 * Tells connection changes of every source and each reconciliation of the session that corrected something, once;
 * returns the unsubscribe. Everything here only queues: no broker or step waits on a receiver.
 */
export function watchBrokers(view: SessionView, sources: readonly (Partial<BrokerConnectionSource> | undefined)[], notify: Notify): () => void {
  const offs: (() => void)[] = [];
  for (const s of sources) {
    const off = s?.onConnection?.((e) => notify(connectionNotification(e)));
    if (off !== undefined) offs.push(off);
  }
  const told = new WeakSet<ReconciliationRecord>();
  const tell = (venue: string, r: ReconciliationRecord | null): void => {
    if (r === null || told.has(r)) return;
    told.add(r);
    if (r.corrections.length > 0) notify(reconciliationNotification(venue, view.id, r));
  };
  const b = view.status().broker;
  const venues = b?.venues ?? (b == null ? [] : [{ name: b.name, reconciliation: b.reconciliation, unreachable: null }]);
  for (const v of venues) {
    tell(v.name, v.reconciliation);
    if (v.unreachable !== null) notify(reachabilityNotification(v.name, v.unreachable, Date.now()));
  }
  offs.push(
    view.events.subscribe('reconciled', (e) => tell(e.venue, e.record)),
    view.events.subscribe('brokerReachability', (e) => notify(reachabilityNotification(e.venue, e.unreachable, e.ts))),
  );
  return () => offs.forEach((off) => off());
}
