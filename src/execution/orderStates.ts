// The order state machine (DESIGN.md §4, plus the pending states of cancel and modify): which transitions
// are legal, and the one check every transition passes. An illegal one is refused and logged.

import { Pi5Error } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Order, OrderStatus } from '../model/types.js';

/**
 * A pending state is left by the venue's answer: canceled / back to working (cancel refused), or the amended
 * order back to working (replaced, or replace refused). Fills may arrive meanwhile: a partial one keeps the
 * pending state (as FIX does), a complete one ends the order.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  new: ['submitted', 'rejected', 'canceled'],
  submitted: ['accepted', 'rejected', 'canceled', 'pending_cancel'],
  accepted: ['partially_filled', 'filled', 'canceled', 'expired', 'pending_cancel', 'pending_replace'],
  partially_filled: ['partially_filled', 'filled', 'canceled', 'expired', 'pending_cancel', 'pending_replace'],
  pending_cancel: ['pending_cancel', 'accepted', 'partially_filled', 'filled', 'canceled', 'expired', 'rejected'],
  pending_replace: ['pending_replace', 'pending_cancel', 'accepted', 'partially_filled', 'filled', 'canceled', 'expired'],
  filled: [],
  rejected: [],
  canceled: [],
  expired: [],
};

export function isTerminal(status: OrderStatus): boolean {
  return ORDER_TRANSITIONS[status].length === 0;
}

export function isPending(status: OrderStatus): boolean {
  return status === 'pending_cancel' || status === 'pending_replace';
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** The working state an order returns to when a pending request ends without ending the order. */
export function workingStatus(order: Order): 'accepted' | 'partially_filled' {
  return order.filledQuantity > 0 ? 'partially_filled' : 'accepted';
}

/** A cancel may overtake a pending modify (the kill switch must be able to cancel anything working). */
function blocksRequest(status: OrderStatus, to: 'pending_cancel' | 'pending_replace'): boolean {
  return to === 'pending_cancel' ? status === 'pending_cancel' : isPending(status);
}

/** True when a cancel or modify request may be sent now (working, and no request pending that blocks it). */
export function canRequest(order: Order, to: 'pending_cancel' | 'pending_replace'): boolean {
  return !blocksRequest(order.status, to) && canTransition(order.status, to);
}

/** Throws PI5_ERR_BAD_TRANSITION (changing nothing) and logs it when `to` is not a legal next state. */
export function assertTransition(order: Order, to: OrderStatus, log: Logger | null): void {
  if (canTransition(order.status, to)) return;
  refuseTransition(order, to, log, 'is not allowed');
}

/**
 * Refuses a new cancel or modify request while one is pending: the self-transitions of the pending states
 * only carry partial fills, so a second request is checked here rather than by the table.
 */
export function assertRequest(order: Order, to: 'pending_cancel' | 'pending_replace', log: Logger | null): void {
  if (blocksRequest(order.status, to)) refuseTransition(order, to, log, `is not allowed (a ${order.status === 'pending_cancel' ? 'cancel' : 'modify'} is pending)`);
  assertTransition(order, to, log);
}

function refuseTransition(order: Order, to: OrderStatus, log: Logger | null, why: string): never {
  const details = { orderId: order.id, clientOrderId: order.clientOrderId, from: order.status, to };
  const message = `order #${order.id} (${order.clientOrderId}): ${order.status} → ${to} ${why}`;
  // Logged as well as thrown: a venue report that hits this is dropped by whoever catches it.
  log?.warn(message, { code: 'PI5_ERR_BAD_TRANSITION', ...details });
  throw new Pi5Error('PI5_ERR_BAD_TRANSITION', message, details);
}
