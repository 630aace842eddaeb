// The simulated exchange's record of one working order: its terms in integer price units and the state the
// fill rules carry from bar to bar (trailing reference, stop-limit trigger, session, what is left).

import { offsetByPercentPu, toPu } from '../../../model/money.js';
import type { Order } from '../../../model/types.js';
import type { OrderTerms } from '../../orderAmendment.js';
import type { VenueOrderState } from '../venue.js';

export interface WorkingOrder {
  readonly order: Order;
  readonly limitPu: number;
  readonly stopPu: number;
  readonly trailAmountPu: number;
  /** The order's trailPercent, kept here so a replacement's terms apply before the OMS amends the order. */
  readonly trailPercent: number | null;
  remaining: number;
  /** Trailing reference and the stop level derived from it. */
  refPu: number;
  trailStopPu: number;
  triggered: boolean;
  pendingTrigger: boolean;
  readonly activeAfterTs: number;
  /** fillOn close for a symbol whose bar at the decision time is still to come: fill at that bar's close. */
  readonly closeAtTs: number;
  sessionDay: number;
  filledOnce: boolean;
  done: boolean;
}

/** The order as the venue reports it to recovery. */
export function venueOrderState(w: WorkingOrder): VenueOrderState {
  const o = w.order;
  return { clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, quantity: o.quantity, leavesQuantity: w.remaining };
}

export function updateTrailStop(w: WorkingOrder): void {
  if (Number.isNaN(w.refPu)) return;
  const sign = w.order.side === 'sell' ? -1 : 1;
  const pct = w.trailPercent;
  w.trailStopPu = pct !== null ? offsetByPercentPu(w.refPu, pct, sign) : w.refPu + sign * w.trailAmountPu;
}

/**
 * The working order after a replace: new terms, the trailing reference kept (the stop is recomputed from it),
 * the stop-limit trigger kept unless the stop moved, the DAY session kept unless the TIF changed, and the
 * commission's first-fill flag kept (it is still one order).
 */
export function replacement(w: WorkingOrder, t: OrderTerms, remaining: number, activeAfterTs: number): WorkingOrder {
  const o = w.order;
  const next: WorkingOrder = {
    ...w,
    limitPu: t.limitPrice === null ? NaN : toPu(t.limitPrice),
    stopPu: t.stopPrice === null ? NaN : toPu(t.stopPrice),
    trailAmountPu: t.trailAmount === null ? NaN : toPu(t.trailAmount),
    trailPercent: t.trailPercent,
    remaining,
    triggered: w.triggered && t.stopPrice === o.stopPrice,
    pendingTrigger: false,
    activeAfterTs,
    sessionDay: t.tif === o.tif ? w.sessionDay : NaN,
    done: false,
  };
  if (o.type === 'trailing-stop') updateTrailStop(next);
  return next;
}
