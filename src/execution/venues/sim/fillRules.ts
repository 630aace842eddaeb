// The fill rules of DESIGN.md §5 as pure functions of one working order and one bar, all in integer
// price units, so that triggers and fill prices are exact. State changes are returned, not applied.

import type { Side } from '../../../model/types.js';

export interface BarPu {
  open: number;
  high: number;
  low: number;
  close: number;
}

/** Limit rule: buy fills if low ≤ limit at min(open, limit); sell fills if high ≥ limit at max(open, limit). */
export function limitFill(side: Side, limit: number, bar: BarPu): number {
  if (side === 'buy') return bar.low <= limit ? Math.min(bar.open, limit) : NaN;
  return bar.high >= limit ? Math.max(bar.open, limit) : NaN;
}

/** Stop rule: buy triggers if high ≥ stop, fills at max(open, stop); sell mirrored. */
export function stopFill(side: Side, stop: number, bar: BarPu): number {
  if (side === 'buy') return bar.high >= stop ? Math.max(bar.open, stop) : NaN;
  return bar.low <= stop ? Math.min(bar.open, stop) : NaN;
}

export interface StopLimitOutcome {
  /** Fill price in pu, or NaN. */
  price: number;
  /** Whether the order is triggered after this bar (rests as a plain limit from the next bar). */
  triggered: boolean;
}

/**
 * Stop-limit: a gap through the stop at the open triggers it and the limit works for the whole bar; a stop
 * reached inside the bar fills at the stop only when the limit is marketable there, else it rests as a limit.
 */
export function stopLimitFill(side: Side, stop: number, limit: number, alreadyTriggered: boolean, bar: BarPu): StopLimitOutcome {
  if (alreadyTriggered) return { price: limitFill(side, limit, bar), triggered: true };
  const buy = side === 'buy';
  const gapped = buy ? bar.open >= stop : bar.open <= stop;
  if (gapped) return { price: limitFill(side, limit, bar), triggered: true };
  const reached = buy ? bar.high >= stop : bar.low <= stop;
  if (!reached) return { price: NaN, triggered: false };
  const marketable = buy ? limit >= stop : limit <= stop;
  return { price: marketable ? stop : NaN, triggered: true };
}

/** The trailing reference after a bar on which the order did not fill: the high (sell) or low (buy) if better. */
export function nextTrailReference(side: Side, reference: number, bar: BarPu): number {
  return side === 'sell' ? Math.max(reference, bar.high) : Math.min(reference, bar.low);
}
