// The order manager: creates orders from requests, validates every state transition, links bracket and OCO
// legs, and publishes each transition on the bus. Venues report to it through ExecutionReports. Cancel and
// modify pass through pending_cancel / pending_replace until the venue answers (at once in a backtest).

import type { MessageBus } from '../core/bus.js';
import type { Clock } from '../core/clock.js';
import { Pi5Error } from '../core/errors.js';
import { removeAt } from '../core/removeAt.js';
import type { Logger } from '../core/log.js';
import type { KernelEvents } from '../model/events.js';
import type { BracketRole, Fill, Order, OrderChanges, OrderRequest, OrderStatus } from '../model/types.js';
import { ClientOrderIds } from './clientOrderIds.js';
import { amendedRequest, amendedTerms, applyTerms } from './orderAmendment.js';
import { OrderArchive } from './orderArchive.js';
import { assertRequest, assertTransition, canRequest, isPending, isTerminal, workingStatus } from './orderStates.js';
import type { ExecutionClient, ExecutionReports } from './reports.js';
import { validateOrderRequest } from './orderValidation.js';

export { isTerminal } from './orderStates.js';

export interface OrderLinks {
  readonly parentId?: number;
  readonly ocoGroup?: string;
  readonly role?: BracketRole;
}

export class OrderManager implements ExecutionReports {
  private nextId = 1;
  /** Live orders by id − 1 (ids are dense, starting at 1); finished ones move to the archive. */
  private readonly orders: (Order | undefined)[] = [];
  private readonly archive: OrderArchive;
  private readonly working: Order[] = [];
  /** Bracket exits held until their entry fills. */
  private readonly heldChildren = new Map<number, Order[]>();
  private readonly clientIds: ClientOrderIds;
  /** Changes sent to the venue and not yet answered, by order id. */
  private readonly pendingChanges = new Map<number, OrderChanges>();
  private venue: ExecutionClient | null = null;
  private readonly publishUpdate: (o: Order) => void;
  private readonly publishFill: (f: Fill) => void;

  constructor(
    bus: MessageBus<KernelEvents>,
    private readonly clock: Clock,
    clientIdPrefix = 'pi5',
    private readonly log: Logger | null = null,
  ) {
    this.publishUpdate = bus.publisher('orderUpdated');
    this.publishFill = bus.publisher('orderFilled');
    this.clientIds = new ClientOrderIds(clientIdPrefix);
    this.archive = new OrderArchive((id) => this.clientIds.generated(id));
  }

  connect(venue: ExecutionClient): void {
    this.venue = venue;
  }

  /** Builds an order in state `new`; throws PI5_ERR_BAD_ORDER for a malformed request. */
  create(request: OrderRequest, strategyId: string | null, links: OrderLinks = {}): Order {
    validateOrderRequest(request);
    // The id is taken only once the client id is accepted, so ids stay dense.
    const id = this.nextId;
    const clientOrderId = this.clientIds.assign(request.clientOrderId, id);
    this.nextId++;
    const now = this.clock.now();
    const order: Order = {
      id,
      clientOrderId,
      brokerOrderId: null,
      symbol: request.symbol,
      side: request.side,
      quantity: request.quantity,
      type: request.type ?? 'market',
      limitPrice: request.limitPrice ?? null,
      stopPrice: request.stopPrice ?? null,
      trailAmount: request.trailAmount ?? null,
      trailPercent: request.trailPercent ?? null,
      tif: request.tif ?? 'GTC',
      tag: request.tag ?? null,
      parentId: links.parentId ?? null,
      ocoGroup: links.ocoGroup ?? null,
      role: links.role ?? null,
      strategyId,
      createdAt: now,
      status: 'new',
      filledQuantity: 0,
      avgFillPrice: 0,
      updatedAt: now,
      rejectReason: null,
    };
    this.orders.push(order);
    return order;
  }

  /** Sends a new order to the venue. */
  submit(order: Order): void {
    if (!this.venue) throw new Pi5Error('PI5_ERR_INTERNAL', 'order manager has no venue connected');
    this.transition(order, 'submitted', order.updatedAt);
    this.working.push(order);
    this.venue.submit(order);
  }

  /** Holds bracket exits until the entry fills; they then go to the venue as an OCO pair. */
  holdUntilFilled(parent: Order, children: readonly Order[]): void {
    this.heldChildren.set(parent.id, [...children]);
    this.venue?.holdExits?.(parent, children);
  }

  /** A new order refused before it reached the venue (risk denial or validation). */
  reject(order: Order, reason: string): void {
    this.assert(order, 'rejected');
    order.rejectReason = reason;
    this.transition(order, 'rejected', this.clock.now());
  }

  /** Cancels an order: at once while it is held here, else through pending_cancel until the venue answers. */
  cancel(orderId: number): boolean {
    const o = this.orders[orderId - 1];
    if (!o) return false;
    const now = this.clock.now();
    if (o.status === 'new') {
      this.transition(o, 'canceled', now);
      return true;
    }
    // Finished, or already being canceled: nothing new to ask.
    if (!this.venue || !canRequest(o, 'pending_cancel')) return false;
    this.transition(o, 'pending_cancel', now);
    const sent = this.venue.cancel(o);
    if (!sent && o.status === 'pending_cancel') this.cancelRejected(o, now, 'the venue does not hold the order');
    return sent;
  }

  cancelAll(symbol?: string): number {
    let n = 0;
    for (const o of [...this.working]) if ((symbol === undefined || o.symbol === symbol) && this.cancel(o.id)) n++;
    return n;
  }

  /**
   * The order as a request after `changes`, checked like a new one: PI5_ERR_BAD_ORDER for bad changes,
   * PI5_ERR_BAD_TRANSITION (logged) when the order cannot be modified now (finished or already pending).
   */
  modification(order: Order, changes: OrderChanges): OrderRequest {
    if (order.status !== 'new') assertRequest(order, 'pending_replace', this.log);
    return amendedRequest(order, changes);
  }

  /**
   * Modifies a working order in place (same id, client id and links) through pending_replace; an order held
   * here (a bracket exit waiting for its entry) is amended at once. False when the venue could not be asked.
   */
  modify(orderId: number, changes: OrderChanges): boolean {
    const o = this.get(orderId);
    if (!o) throw new Pi5Error('PI5_ERR_BAD_ORDER', `modify: no order #${orderId}`, { orderId });
    this.modification(o, changes);
    const now = this.clock.now();
    if (o.status === 'new') {
      applyTerms(o, amendedTerms(o, changes));
      o.updatedAt = now;
      this.publishUpdate(o);
      return true;
    }
    if (this.venue?.replace === undefined) {
      this.log?.warn(`order #${o.id} (${o.clientOrderId}): the venue cannot modify orders`, { orderId: o.id });
      return false;
    }
    this.transition(o, 'pending_replace', now);
    this.pendingChanges.set(o.id, changes);
    const sent = this.venue.replace(o, changes);
    if (!sent && this.pendingChanges.has(o.id)) this.replaceRejected(o, now, 'the venue does not hold the order');
    return sent;
  }

  /** Runs `fn` as if `order` were not working: a replacement is judged in place of the original, not on top of it. */
  withoutWorking<T>(order: Order, fn: () => T): T {
    const i = this.working.indexOf(order);
    if (i < 0) return fn();
    this.working.splice(i, 1);
    try {
      return fn();
    } finally {
      this.working.splice(i, 0, order);
    }
  }

  get(orderId: number): Order | undefined {
    return this.orders[orderId - 1] ?? this.archive.get(orderId);
  }

  /** The order with this client order id (given or generated), without scanning the orders. */
  byClientId(clientOrderId: string): Order | undefined {
    const id = this.clientIds.orderIdOf(clientOrderId);
    const o = id === undefined ? undefined : this.get(id);
    return o?.clientOrderId === clientOrderId ? o : undefined;
  }

  openOrders(symbol?: string): readonly Order[] {
    return symbol === undefined ? this.working : this.working.filter((o) => o.symbol === symbol);
  }

  /** Every order so far in id order (finished ones rebuilt from the archive). */
  all(): Order[] {
    const out: Order[] = [];
    for (let id = 1; id < this.nextId; id++) {
      const o = this.get(id);
      if (o) out.push(o);
    }
    return out;
  }

  // ExecutionReports

  accepted(order: Order, ts: number): void {
    // The acknowledgement of an order whose cancel is already on its way: it stays pending.
    if (order.status === 'pending_cancel') return;
    this.transition(order, 'accepted', ts);
  }

  filled(order: Order, fill: Fill): void {
    const done = order.filledQuantity + fill.quantity >= order.quantity;
    const to: OrderStatus = done ? 'filled' : isPending(order.status) ? order.status : 'partially_filled';
    this.assert(order, to);
    const prevQty = order.filledQuantity;
    order.filledQuantity = prevQty + fill.quantity;
    order.avgFillPrice = (order.avgFillPrice * prevQty + fill.price * fill.quantity) / order.filledQuantity;
    this.transition(order, to, fill.ts);
    this.publishFill(fill);
    if (done) this.releaseChildren(order, fill.ts);
  }

  canceled(order: Order, ts: number, reason: string): void {
    this.assert(order, 'canceled');
    order.rejectReason = reason;
    this.transition(order, 'canceled', ts);
    this.endChildren(order, ts);
  }

  expired(order: Order, ts: number): void {
    this.transition(order, 'expired', ts);
    this.endChildren(order, ts);
  }

  rejected(order: Order, ts: number, reason: string): void {
    this.assert(order, 'rejected');
    order.rejectReason = reason;
    this.transition(order, 'rejected', ts);
    this.endChildren(order, ts);
  }

  replaced(order: Order, ts: number): void {
    const changes = this.pendingChanges.get(order.id);
    if (changes === undefined) throw new Pi5Error('PI5_ERR_INTERNAL', `order #${order.id}: replaced without a replace request`, { orderId: order.id });
    // A cancel sent after the replace keeps the order pending_cancel; the new terms apply all the same.
    const to = order.status === 'pending_replace' ? workingStatus(order) : order.status;
    this.assert(order, to);
    this.pendingChanges.delete(order.id);
    applyTerms(order, amendedTerms(order, changes));
    this.transition(order, to, ts);
  }

  replaceRejected(order: Order, ts: number, reason: string): void {
    this.pendingChanges.delete(order.id);
    this.log?.warn(`order #${order.id} (${order.clientOrderId}): replace refused: ${reason}`, { orderId: order.id });
    if (order.status === 'pending_replace') this.transition(order, workingStatus(order), ts);
  }

  cancelRejected(order: Order, ts: number, reason: string): void {
    this.log?.warn(`order #${order.id} (${order.clientOrderId}): cancel refused: ${reason}`, { orderId: order.id });
    if (order.status !== 'pending_cancel') return;
    this.transition(order, this.pendingChanges.has(order.id) ? 'pending_replace' : workingStatus(order), ts);
  }

  private releaseChildren(parent: Order, ts: number): void {
    const children = this.heldChildren.get(parent.id);
    if (!children || !this.venue) return;
    this.heldChildren.delete(parent.id);
    for (const c of children) {
      if (c.status !== 'new') continue; // canceled while held
      this.transition(c, 'submitted', ts);
      this.working.push(c);
      this.venue.submit(c, ts);
    }
  }

  /** An entry that ends unfilled cancels its held exits; a partly filled one releases them for what filled. */
  private endChildren(parent: Order, ts: number): void {
    const children = this.heldChildren.get(parent.id);
    if (!children) return;
    if (parent.filledQuantity > 0) {
      // Protect only what the entry actually bought or sold.
      for (const c of children) if (c.status === 'new') (c as { quantity: number }).quantity = parent.filledQuantity;
      this.releaseChildren(parent, ts);
      return;
    }
    this.heldChildren.delete(parent.id);
    for (const c of children) {
      if (c.status !== 'new') continue;
      c.rejectReason = `parent #${parent.id} ${parent.status}`;
      this.transition(c, 'canceled', ts);
    }
  }

  /** Throws (changing nothing, logged) when `to` is not a legal next state: checked before any field is touched. */
  private assert(order: Order, to: OrderStatus): void {
    assertTransition(order, to, this.log);
  }

  private transition(order: Order, to: OrderStatus, ts: number): void {
    this.assert(order, to);
    order.status = to;
    order.updatedAt = ts;
    if (isTerminal(to)) {
      removeAt(this.working, this.working.indexOf(order));
      if (this.pendingChanges.size > 0) this.pendingChanges.delete(order.id);
      this.archive.add(order, this.clientIds.isPlain(order.id));
      this.orders[order.id - 1] = undefined;
    }
    this.publishUpdate(order);
  }
}
