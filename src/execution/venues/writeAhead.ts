// Write-ahead in front of a venue: orders the OMS sends are held until the session has persisted them, then
// released to the venue in the order they were sent (DESIGN.md §10). A crash between the two loses nothing:
// the order is in storage, and recovery re-derives it under the same client order id instead of sending it twice.

import type { Bar, Order, OrderChanges, Quote } from '../../model/types.js';
import type { ExecutionReports } from '../reports.js';
import type { Venue, VenueFactory, VenueOrderState } from './venue.js';

interface HeldOrder {
  readonly order: Order;
  readonly activeAfterTs: number | undefined;
}

export class WriteAheadVenue implements Venue {
  readonly name: string;
  private held: HeldOrder[] = [];

  constructor(
    private readonly venue: Venue,
    private readonly reports: ExecutionReports,
    private readonly now: () => number,
  ) {
    this.name = `write-ahead(${venue.name})`;
  }

  /** Wraps the venue `inner` builds; `onCreate` gets the wrapper (the session keeps it to release orders). */
  static around(inner: VenueFactory, onCreate: (v: WriteAheadVenue) => void): VenueFactory {
    return (d) => {
      const v = new WriteAheadVenue(inner(d), d.reports, d.now);
      onCreate(v);
      return v;
    };
  }

  submit(order: Order, activeAfterTs?: number): void {
    this.held.push({ order, activeAfterTs });
  }

  /** A held order never reached the venue: it is canceled here; a released one is canceled at the venue. */
  cancel(order: Order): boolean {
    const i = this.held.findIndex((h) => h.order === order);
    if (i < 0) return this.venue.cancel(order);
    this.held.splice(i, 1);
    this.reports.canceled(order, this.now(), 'canceled by request');
    return true;
  }

  /** A held order is amended before it is sent (the OMS applies the changes); a released one at the venue. */
  replace(order: Order, changes: OrderChanges): boolean {
    if (!this.held.some((h) => h.order === order)) return this.venue.replace?.(order, changes) ?? false;
    this.reports.replaced(order, this.now());
    return true;
  }

  /** Sends nothing: passed on at once, so the entry's release finds the venue knowing its exits. */
  holdExits(entry: Order, exits: readonly Order[]): void {
    this.venue.holdExits?.(entry, exits);
  }

  cancelAll(symbol?: string): number {
    let n = 0;
    for (const h of [...this.held]) if ((symbol === undefined || h.order.symbol === symbol) && this.cancel(h.order)) n++;
    return n + this.venue.cancelAll(symbol);
  }

  /** Only what reached the venue: held orders are recovered from storage, not from the venue. */
  workingOrders(): Promise<readonly VenueOrderState[]> {
    return this.venue.workingOrders();
  }

  lookup(clientOrderId: string): Promise<VenueOrderState | null> {
    return this.venue.lookup(clientOrderId);
  }

  onBar(bar: Bar): void {
    this.venue.onBar(bar);
  }

  onQuote(quote: Quote): void {
    this.venue.onQuote(quote);
  }

  /** Orders waiting for their write to storage. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Sends every held order on (call once they are persisted); orders sent meanwhile wait for the next write. */
  release(): void {
    const batch = this.held;
    this.held = [];
    for (const h of batch) this.venue.submit(h.order, h.activeAfterTs);
  }
}
