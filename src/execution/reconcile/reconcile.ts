// Reconciliation, the pure part: the journal's view (our working orders, what we know filled, our positions)
// against the broker's (its open orders, the final state of ours it no longer holds, its positions), giving the
// list of corrections and whether trading may resume. Nothing here talks to a broker or changes an order; the
// reconciler gathers the broker's view and carries the corrections out.

import type { Side } from '../../model/types.js';

/** One order as a broker reports it, under our client order id when it is one of ours. */
export interface OrderReport {
  readonly clientOrderId: string;
  readonly brokerOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly filledQuantity: number;
  /** Average price of every fill so far (0 when none). */
  readonly avgFillPrice: number;
  readonly status: 'working' | 'filled' | 'canceled' | 'expired' | 'rejected';
}

/** One of our orders the journal holds as working. */
export interface JournalOrder {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly filledQuantity: number;
  /** Sum of quantity × price of the fills we applied (for the price of fills we missed). */
  readonly filledNotional: number;
}

export interface ReconcileInput {
  readonly journalOrders: readonly JournalOrder[];
  /** Signed quantities by symbol (long > 0). */
  readonly journalPositions: ReadonlyMap<string, number>;
  readonly brokerOpenOrders: readonly OrderReport[];
  /** Our working orders the broker no longer lists as open, looked up one by one: null when it never had it. */
  readonly brokerResolved: ReadonlyMap<string, OrderReport | null>;
  readonly brokerPositions: ReadonlyMap<string, number>;
}

export interface ReconcilePolicy {
  /** A broker order nobody here sent: take it into the session, or cancel it at the broker. */
  readonly unknownOrders: 'adopt' | 'cancel';
  /** Positions that still differ after missed fills are applied: halt trading, or take the broker's figure. */
  readonly positionMismatch: 'halt' | 'adopt';
}

export const DEFAULT_RECONCILE_POLICY: ReconcilePolicy = { unknownOrders: 'cancel', positionMismatch: 'halt' };

export type Correction =
  | { readonly kind: 'missedFill'; readonly clientOrderId: string; readonly quantity: number; readonly price: number }
  | { readonly kind: 'closedAtBroker'; readonly clientOrderId: string; readonly status: 'canceled' | 'expired' | 'rejected' }
  | { readonly kind: 'neverReachedBroker'; readonly clientOrderId: string }
  | { readonly kind: 'unknownOrder'; readonly action: 'adopt' | 'cancel'; readonly order: OrderReport }
  | { readonly kind: 'positionMismatch'; readonly action: 'halt' | 'adopt'; readonly symbol: string; readonly ours: number; readonly broker: number };

export interface Reconciliation {
  readonly corrections: readonly Correction[];
  /** Why trading must stay halted, or null when it may resume. */
  readonly halt: string | null;
}

const signed = (side: Side, q: number): number => (side === 'buy' ? q : -q);

export function reconcile(input: ReconcileInput, policy: ReconcilePolicy): Reconciliation {
  const corrections: Correction[] = [];
  const ours = new Set(input.journalOrders.map((o) => o.clientOrderId));
  const open = new Map(input.brokerOpenOrders.map((r) => [r.clientOrderId, r]));
  const positions = new Map(input.journalPositions);
  for (const o of input.journalOrders) {
    const r = open.get(o.clientOrderId) ?? input.brokerResolved.get(o.clientOrderId) ?? null;
    if (r === null) {
      // The send was stored but never reached the broker (crash between the write and the send).
      corrections.push({ kind: 'neverReachedBroker', clientOrderId: o.clientOrderId });
      continue;
    }
    const missed = Math.min(r.filledQuantity, o.quantity) - o.filledQuantity;
    if (missed > 0) {
      const price = (r.avgFillPrice * (o.filledQuantity + missed) - o.filledNotional) / missed;
      corrections.push({ kind: 'missedFill', clientOrderId: o.clientOrderId, quantity: missed, price });
      positions.set(o.symbol, (positions.get(o.symbol) ?? 0) + signed(o.side, missed));
    }
    if (r.status === 'canceled' || r.status === 'expired' || r.status === 'rejected') corrections.push({ kind: 'closedAtBroker', clientOrderId: o.clientOrderId, status: r.status });
  }
  for (const r of input.brokerOpenOrders) if (!ours.has(r.clientOrderId)) corrections.push({ kind: 'unknownOrder', action: policy.unknownOrders, order: r });
  const halts: string[] = [];
  const symbols = new Set([...positions.keys(), ...input.brokerPositions.keys()]);
  for (const symbol of [...symbols].sort()) {
    const mine = positions.get(symbol) ?? 0;
    const broker = input.brokerPositions.get(symbol) ?? 0;
    if (mine === broker) continue;
    corrections.push({ kind: 'positionMismatch', action: policy.positionMismatch, symbol, ours: mine, broker });
    if (policy.positionMismatch === 'halt') halts.push(`${symbol}: ours ${mine}, broker ${broker}`);
  }
  return { corrections, halt: halts.length === 0 ? null : `positions differ from the broker's (${halts.join('; ')}); trading is halted until a person looks` };
}
