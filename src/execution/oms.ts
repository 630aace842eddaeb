// The order manager: creates orders from requests, validates every state transition, links bracket and OCO
// legs, and publishes each transition on the bus. Venues report to it through ExecutionReports.

import type { MessageBus } from '../core/bus.js';
import type { Clock } from '../core/clock.js';
import { Pi5Error } from '../core/errors.js';
import type { KernelEvents } from '../model/events.js';
import type { BracketRole, Fill, Order, OrderRequest, OrderStatus } from '../model/types.js';
import type { ExecutionClient, ExecutionReports } from './reports.js';
import { OrderArchive } from './orderArchive.js';
import { validateOrderRequest } from './orderValidation.js';

const ALLOWED: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  new: ['submitted', 'rejected', 'canceled'],
  submitted: ['accepted', 'rejected', 'canceled'],
  accepted: ['partially_filled', 'filled', 'canceled', 'expired'],
  partially_filled: ['partially_filled', 'filled', 'canceled', 'expired'],
  filled: [],
  rejected: [],
  canceled: [],
  expired: [],
};

export function isTerminal(status: OrderStatus): boolean {
  return ALLOWED[status].length === 0;
}

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
  /** Client ids given by callers, and generated ids that had to take a suffix to avoid one of them. */
  private readonly takenClientIds = new Set<string>();
  /** Orders whose client id is not the plain generated one (given, or generated with a suffix). */
  private readonly customClientIds = new Set<number>();
  private venue: ExecutionClient | null = null;
  private readonly publishUpdate: (o: Order) => void;
  private readonly publishFill: (f: Fill) => void;

  constructor(
    bus: MessageBus<KernelEvents>,
    private readonly clock: Clock,
    private readonly clientIdPrefix = 'pi5',
  ) {
    this.publishUpdate = bus.publisher('orderUpdated');
    this.publishFill = bus.publisher('orderFilled');
    this.archive = new OrderArchive((id) => this.generatedClientId(id));
  }

  private generatedClientId(id: number): string {
    return `${this.clientIdPrefix}-${id}`;
  }

  connect(venue: ExecutionClient): void {
    this.venue = venue;
  }

  /** Builds an order in state `new`; throws PI5_ERR_BAD_ORDER for a malformed request. */
  create(request: OrderRequest, strategyId: string | null, links: OrderLinks = {}): Order {
    validateOrderRequest(request);
    // The id is taken only once the client id is accepted, so ids stay dense.
    const id = this.nextId;
    const clientOrderId = this.clientOrderId(request.clientOrderId, id);
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

  private clientOrderId(given: string | undefined, id: number): string {
    if (given === undefined) {
      let generated = this.generatedClientId(id);
      for (let k = 1; this.takenClientIds.size > 0 && this.takenClientIds.has(generated); k++) {
        generated = `${this.generatedClientId(id)}.${k}`;
      }
      if (generated !== this.generatedClientId(id)) {
        this.takenClientIds.add(generated);
        this.customClientIds.add(id);
      }
      return generated;
    }
    // A plain generated id (prefix-N, N without leading zeros) of an earlier order is taken too.
    const prefix = `${this.clientIdPrefix}-`;
    const rest = given.startsWith(prefix) ? given.slice(prefix.length) : '';
    const generatedBefore = /^[1-9]\d*$/.test(rest) && Number(rest) < id && !this.customClientIds.has(Number(rest));
    if (this.takenClientIds.has(given) || generatedBefore) {
      throw new Pi5Error('PI5_ERR_BAD_ORDER', `client order id ${given} is already in use`, { clientOrderId: given });
    }
    this.takenClientIds.add(given);
    this.customClientIds.add(id);
    return given;
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
  }

  /** A new order refused before it reached the venue (risk denial or validation). */
  reject(order: Order, reason: string): void {
    this.assertTransition(order, 'rejected');
    order.rejectReason = reason;
    this.transition(order, 'rejected', this.clock.now());
  }

  cancel(orderId: number): boolean {
    const o = this.orders[orderId - 1];
    if (!o) return false;
    if (o.status === 'new') {
      this.transition(o, 'canceled', this.clock.now());
      return true;
    }
    return this.venue?.cancel(o) ?? false;
  }

  cancelAll(symbol?: string): number {
    let n = 0;
    for (const o of [...this.working]) if ((symbol === undefined || o.symbol === symbol) && this.cancel(o.id)) n++;
    return n;
  }

  get(orderId: number): Order | undefined {
    return this.orders[orderId - 1] ?? this.archive.get(orderId);
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
    this.transition(order, 'accepted', ts);
  }

  filled(order: Order, fill: Fill): void {
    const done = order.filledQuantity + fill.quantity >= order.quantity;
    this.assertTransition(order, done ? 'filled' : 'partially_filled');
    const prevQty = order.filledQuantity;
    order.filledQuantity = prevQty + fill.quantity;
    order.avgFillPrice = (order.avgFillPrice * prevQty + fill.price * fill.quantity) / order.filledQuantity;
    this.transition(order, done ? 'filled' : 'partially_filled', fill.ts);
    this.publishFill(fill);
    if (done) this.releaseChildren(order, fill.ts);
  }

  canceled(order: Order, ts: number, reason: string): void {
    this.assertTransition(order, 'canceled');
    order.rejectReason = reason;
    this.transition(order, 'canceled', ts);
    this.endChildren(order, ts);
  }

  expired(order: Order, ts: number): void {
    this.transition(order, 'expired', ts);
    this.endChildren(order, ts);
  }

  rejected(order: Order, ts: number, reason: string): void {
    this.assertTransition(order, 'rejected');
    order.rejectReason = reason;
    this.transition(order, 'rejected', ts);
    this.endChildren(order, ts);
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

  /** Throws (changing nothing) when `to` is not a legal next state: checked before any field is touched. */
  private assertTransition(order: Order, to: OrderStatus): void {
    if (!ALLOWED[order.status].includes(to)) {
      throw new Pi5Error('PI5_ERR_BAD_TRANSITION', `order #${order.id} (${order.clientOrderId}): ${order.status} → ${to} is not allowed`, {
        orderId: order.id,
        from: order.status,
        to,
      });
    }
  }

  private transition(order: Order, to: OrderStatus, ts: number): void {
    this.assertTransition(order, to);
    order.status = to;
    order.updatedAt = ts;
    if (isTerminal(to)) {
      const i = this.working.indexOf(order);
      if (i >= 0) this.working.splice(i, 1);
      this.archive.add(order, this.customClientIds.size === 0 || !this.customClientIds.has(order.id));
      this.orders[order.id - 1] = undefined;
    }
    this.publishUpdate(order);
  }
}
