// Write-ahead in front of a venue: orders the OMS sends are held until the session has persisted them, then
// released to the venue in the order they were sent (DESIGN.md §10). A crash between the two loses nothing:
// the order is in storage, and recovery re-derives it under the same client order id instead of sending it twice.

import type { Order, OrderChanges } from '../../model/types.js';
import type { ExecutionClient, ExecutionReports } from '../../execution/reports.js';

interface HeldOrder {
  readonly order: Order;
  readonly activeAfterTs: number | undefined;
}

export class WriteAheadVenue implements ExecutionClient {
  private held: HeldOrder[] = [];

  constructor(
    private readonly venue: ExecutionClient,
    private readonly reports: ExecutionReports,
    private readonly now: () => number,
  ) {}

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
