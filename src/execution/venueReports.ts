// A venue's reports as data: what a broker venue said about an order, by client order id, so a trading session
// can record each report in its journal before the order manager applies it, and recovery can replay it at the
// same point between steps (a broker's answers, unlike the simulated exchange's, cannot be re-derived from bars).

import type { Fill, Order } from '../model/types.js';
import type { ExecutionReports } from './reports.js';

export type VenueReport =
  | { readonly type: 'accepted' | 'expired' | 'replaced'; readonly clientOrderId: string; readonly ts: number }
  | { readonly type: 'canceled' | 'rejected' | 'replaceRejected' | 'cancelRejected'; readonly clientOrderId: string; readonly ts: number; readonly reason: string }
  | { readonly type: 'filled'; readonly clientOrderId: string; readonly fill: Fill };

/** Turns report calls into VenueReport values handed to `sink` (the session records, then applies them). */
export class ReportRecorder implements ExecutionReports {
  sink: (r: VenueReport) => void = () => undefined;

  accepted(o: Order, ts: number): void {
    this.sink({ type: 'accepted', clientOrderId: o.clientOrderId, ts });
  }
  filled(o: Order, fill: Fill): void {
    this.sink({ type: 'filled', clientOrderId: o.clientOrderId, fill });
  }
  canceled(o: Order, ts: number, reason: string): void {
    this.sink({ type: 'canceled', clientOrderId: o.clientOrderId, ts, reason });
  }
  expired(o: Order, ts: number): void {
    this.sink({ type: 'expired', clientOrderId: o.clientOrderId, ts });
  }
  rejected(o: Order, ts: number, reason: string): void {
    this.sink({ type: 'rejected', clientOrderId: o.clientOrderId, ts, reason });
  }
  replaced(o: Order, ts: number): void {
    this.sink({ type: 'replaced', clientOrderId: o.clientOrderId, ts });
  }
  replaceRejected(o: Order, ts: number, reason: string): void {
    this.sink({ type: 'replaceRejected', clientOrderId: o.clientOrderId, ts, reason });
  }
  cancelRejected(o: Order, ts: number, reason: string): void {
    this.sink({ type: 'cancelRejected', clientOrderId: o.clientOrderId, ts, reason });
  }
}

/** Applies a recorded report to the order it names; false when no order has that client id. */
export function applyVenueReport(reports: ExecutionReports, find: (clientOrderId: string) => Order | undefined, r: VenueReport): boolean {
  const o = find(r.clientOrderId);
  if (o === undefined) return false;
  switch (r.type) {
    case 'accepted':
      reports.accepted(o, r.ts);
      break;
    case 'expired':
      reports.expired(o, r.ts);
      break;
    case 'replaced':
      reports.replaced(o, r.ts);
      break;
    case 'filled':
      reports.filled(o, { ...r.fill, orderId: o.id });
      break;
    case 'canceled':
      reports.canceled(o, r.ts, r.reason);
      break;
    case 'rejected':
      reports.rejected(o, r.ts, r.reason);
      break;
    case 'replaceRejected':
      reports.replaceRejected(o, r.ts, r.reason);
      break;
    case 'cancelRejected':
      reports.cancelRejected(o, r.ts, r.reason);
      break;
  }
  return true;
}
