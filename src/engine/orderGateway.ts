// The one path every order takes from a strategy (or the API) to the venue: create in the OMS, run the
// pre-trade checks (the risk engine), then submit, or record a denial. Brackets, OCO pairs, modifies and the
// children of execution algorithms go through it too.

import type { MessageBus } from '../core/bus.js';
import type { Clock } from '../core/clock.js';
import type { KernelEvents, RiskDenial } from '../model/events.js';
import type { BracketRequest, Order, OrderChanges, OrderRequest } from '../model/types.js';
import type { OrderManager } from '../execution/oms.js';
import type { RiskEngine } from '../risk/riskEngine.js';

/** What became of a modify: done, refused by a pre-trade check (with its denial), or not done (no such order, or the venue was not asked). */
export type ModifyResult = { readonly kind: 'modified' } | { readonly kind: 'denied'; readonly denial: RiskDenial } | { readonly kind: 'unchanged' };

const MODIFIED: ModifyResult = { kind: 'modified' };
const NOT_MODIFIED: ModifyResult = { kind: 'unchanged' };

export class OrderGateway {
  private readonly publishDenial: (d: KernelEvents['riskDenied']) => void;
  private ocoSeq = 0;

  constructor(
    bus: MessageBus<KernelEvents>,
    private readonly clock: Clock,
    private readonly oms: OrderManager,
    private readonly risk: RiskEngine,
  ) {
    this.publishDenial = bus.publisher('riskDenied');
  }

  submit(request: OrderRequest, strategyId: string | null): Order | null {
    const order = this.oms.create(request, strategyId);
    return this.send(order, request, strategyId) ? order : null;
  }

  /** Like submit, but returns the order also when it was denied (status rejected, the denial in rejectReason). */
  place(request: OrderRequest, strategyId: string | null): Order {
    const order = this.oms.create(request, strategyId);
    this.send(order, request, strategyId);
    return order;
  }

  private send(order: Order, request: OrderRequest, strategyId: string | null): boolean {
    if (!this.admit(order, request, strategyId)) return false;
    this.risk.admitted(this.clock.now());
    this.oms.submit(order);
    return true;
  }

  /**
   * Modifies a working order (cancel/replace in place). The amended order is checked like a new one, in place
   * of the original: its unfilled quantity at its new price, with the original left out of the working orders.
   * A denial publishes riskDenied and leaves the order as it was. Counts towards the order-rate limits.
   * False when denied or when the venue could not be asked; throws PI5_ERR_BAD_ORDER for bad changes and
   * PI5_ERR_BAD_TRANSITION for an order that cannot be modified (finished, or a cancel or modify pending).
   */
  modify(orderId: number, changes: OrderChanges, strategyId: string | null): boolean {
    return this.modifyOrDeny(orderId, changes, strategyId).kind === 'modified';
  }

  /** Like modify, but says why an order was left as it was: the risk denial as a value, or that the venue was not asked. */
  modifyOrDeny(orderId: number, changes: OrderChanges, strategyId: string | null): ModifyResult {
    const order = this.oms.get(orderId);
    if (order === undefined) return NOT_MODIFIED;
    const request = this.oms.modification(order, changes);
    const unfilled: OrderRequest = { ...request, quantity: request.quantity - order.filledQuantity };
    const check = this.oms.withoutWorking(order, () => this.risk.check(unfilled, strategyId));
    if (check !== null) {
      const denial: RiskDenial = { ts: this.clock.now(), strategyId, symbol: order.symbol, code: check.code, message: `modify #${order.id}: ${check.message}` };
      this.publishDenial(denial);
      return { kind: 'denied', denial };
    }
    this.risk.admitted(this.clock.now());
    return this.oms.modify(orderId, changes) ? MODIFIED : NOT_MODIFIED;
  }

  /** Entry plus take-profit and/or stop-loss; the exits wait for the entry's fill and then form an OCO. */
  submitBracket(request: BracketRequest, strategyId: string | null): readonly Order[] {
    const entry = this.oms.create(request.entry, strategyId, { role: 'entry' });
    const exitSide = request.entry.side === 'buy' ? 'sell' : 'buy';
    const group = `bracket-${entry.id}`;
    // Exits are GTC whatever the entry's TIF: a protective stop must not expire while the position lives.
    const base = { symbol: request.entry.symbol, side: exitSide, quantity: request.entry.quantity, tif: 'GTC' } as const;
    const links = { parentId: entry.id, ocoGroup: group };
    const exits: Order[] = [];
    if (request.takeProfit) {
      const tp = request.takeProfit;
      const req: OrderRequest = { ...base, type: 'limit', limitPrice: tp.limitPrice, ...(tp.tag === undefined ? {} : { tag: tp.tag }) };
      exits.push(this.oms.create(req, strategyId, { ...links, role: 'take-profit' }));
    }
    if (request.stopLoss) {
      const sl = request.stopLoss;
      const tag = sl.tag === undefined ? {} : { tag: sl.tag };
      const req: OrderRequest =
        sl.limitPrice === undefined
          ? { ...base, ...tag, type: 'stop', stopPrice: sl.stopPrice }
          : { ...base, ...tag, type: 'stop-limit', stopPrice: sl.stopPrice, limitPrice: sl.limitPrice };
      exits.push(this.oms.create(req, strategyId, { ...links, role: 'stop-loss' }));
    }
    if (!this.admit(entry, request.entry, strategyId)) {
      for (const e of exits) this.oms.reject(e, `parent #${entry.id} rejected`);
      return [];
    }
    this.oms.holdUntilFilled(entry, exits);
    this.risk.admitted(this.clock.now());
    this.oms.submit(entry);
    return [entry, ...exits];
  }

  /** Orders that cancel each other: the first to fill cancels the rest. All are admitted or none. */
  submitOco(requests: readonly OrderRequest[], strategyId: string | null): readonly Order[] {
    const group = `oco-${++this.ocoSeq}`;
    const orders = requests.map((r) => this.oms.create(r, strategyId, { ocoGroup: group }));
    const admitted = orders.filter((o, i) => this.admit(o, requests[i] as OrderRequest, strategyId));
    if (admitted.length !== orders.length) {
      for (const o of admitted) this.oms.reject(o, `OCO ${group}: a sibling was rejected`);
      return [];
    }
    for (const o of orders) {
      this.risk.admitted(this.clock.now());
      this.oms.submit(o);
    }
    return orders;
  }

  private admit(order: Order, request: OrderRequest, strategyId: string | null): boolean {
    const denial = this.risk.check(request, strategyId);
    if (denial === null) return true;
    this.oms.reject(order, `${denial.code}: ${denial.message}`);
    this.publishDenial({ ts: this.clock.now(), strategyId, symbol: request.symbol, code: denial.code, message: denial.message });
    return false;
  }
}
