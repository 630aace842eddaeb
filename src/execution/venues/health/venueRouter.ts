// Failover of new orders across venues by priority: a new order goes to the highest-priority venue that is
// healthy (else the best degraded one; when all are down, to the first, which refuses it with its reason).
// An order stays with the venue that took it: cancels and modifies go there, wherever new orders now go; a
// bracket's exits follow their entry (they sell what it bought, at the broker that holds it).

import type { Order, OrderChanges } from '../../../model/types.js';
import type { Venue, VenueDeps, VenueFactory, VenueOrderState } from '../venue.js';
import type { BrokerState } from './brokerHealth.js';

export interface RoutedVenue {
  readonly factory: VenueFactory;
  /** Lower goes first: 1 is the primary. */
  readonly priority: number;
  /** The venue's health now (a BrokerHealth's state, or always 'healthy'). */
  readonly state: () => BrokerState;
}

interface Child {
  readonly venue: Venue;
  readonly priority: number;
  readonly state: () => BrokerState;
}

export class VenueRouter implements Venue {
  readonly name: string;
  private readonly children: readonly Child[];
  private readonly holder = new Map<number, Child>();

  constructor(routes: readonly RoutedVenue[], deps: VenueDeps) {
    if (routes.length === 0) throw new Error('venue router: no venues to route to');
    this.children = [...routes].sort((a, b) => a.priority - b.priority).map((r) => ({ venue: r.factory(deps), priority: r.priority, state: r.state }));
    this.name = `router(${this.children.map((c) => c.venue.name).join(',')})`;
  }

  /** The venue a new order goes to now. */
  target(): Venue {
    return this.pick().venue;
  }

  /** The venue holding an order, or null for one it never routed. */
  holderOf(order: Order): Venue | null {
    return this.holder.get(order.id)?.venue ?? null;
  }

  submit(order: Order, activeAfterTs?: number): void {
    const parent = order.parentId === null ? undefined : this.holder.get(order.parentId);
    const child = parent ?? this.pick();
    this.holder.set(order.id, child);
    child.venue.submit(order, activeAfterTs);
  }

  /** Told to every venue (it sends nothing): the entry is routed only when submitted. */
  holdExits(entry: Order, exits: readonly Order[]): void {
    for (const c of this.children) c.venue.holdExits?.(entry, exits);
  }

  cancel(order: Order): boolean {
    return this.holder.get(order.id)?.venue.cancel(order) ?? false;
  }

  replace(order: Order, changes: OrderChanges): boolean {
    const v = this.holder.get(order.id)?.venue;
    return v?.replace?.(order, changes) ?? false;
  }

  cancelAll(symbol?: string): number {
    return this.children.reduce((n, c) => n + c.venue.cancelAll(symbol), 0);
  }

  async workingOrders(): Promise<readonly VenueOrderState[]> {
    return (await Promise.all(this.children.map((c) => c.venue.workingOrders()))).flat();
  }

  async lookup(clientOrderId: string): Promise<VenueOrderState | null> {
    for (const c of this.children) {
      const found = await c.venue.lookup(clientOrderId);
      if (found !== null) return found;
    }
    return null;
  }

  onBar(bar: Parameters<Venue['onBar']>[0]): void {
    for (const c of this.children) c.venue.onBar(bar);
  }

  onQuote(quote: Parameters<Venue['onQuote']>[0]): void {
    for (const c of this.children) c.venue.onQuote(quote);
  }

  private pick(): Child {
    const states = this.children.map((c) => c.state());
    const healthy = states.indexOf('healthy');
    if (healthy >= 0) return this.children[healthy] as Child;
    const degraded = states.indexOf('degraded');
    return this.children[degraded >= 0 ? degraded : 0] as Child;
  }
}

/** A kernel venue factory routing across `routes`. */
export function venueRouter(routes: readonly RoutedVenue[]): VenueFactory {
  return (deps) => new VenueRouter(routes, deps);
}
