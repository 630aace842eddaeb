// Alpaca as a venue: our orders go out over the Trading API v2 under our client order ids, and every broker answer
// (the POST/PATCH response, a trade_updates event, a REST catch-up) goes through one `sync` that compares the
// broker's order with what we reported and reports only the difference. Fills are reported from the broker's
// cumulative filled quantity, so a fill seen twice (stream and catch-up) is applied once. A submit whose outcome
// is unknown is looked up by client id before it is sent again, and a duplicate client id adopts the broker's order.
// A bracket goes out as Alpaca's `bracket`/`oto` order (brackets.ts): its exits are bound to the held legs, and
// their release by the OMS once the entry fills sends nothing (a leg amended meanwhile is replaced then).

import type { Bar, Order, OrderChanges, Quote } from '../../../model/types.js';
import type { VenueDeps, VenueFactory, VenueOrderState } from '../venue.js';
import { AlpacaRefusal, AlpacaUnknownOutcome, type AlpacaOrderRequest, type AlpacaTradingApi } from './api.js';
import { baseClientId, fillOf, isWorking, ocoBody, orderBody, qtyOf, replaceBody, replacementClientId, timeOf, venueState, type AlpacaOrderOptions } from './mapper.js';
import type { AlpacaOrder, TradeUpdate } from './schema.js';
import { bracketBody, isLegClass, legAmendment, legOf } from './brackets.js';
import { refusalReason } from '../brokerRefusals.js';
import type { BrokerVenue } from '../brokerVenue.js';
import type { OrderReport } from '../../reconcile/reconcile.js';

export interface AlpacaVenueOptions extends AlpacaOrderOptions {
  /** Attempts to learn the outcome of a submit that got no answer (lookup by client id, then resend). */
  readonly unknownOutcomeAttempts: number;
  /** Broker orders nobody here sent (a person on the web app, another program): what reconciliation decides on. */
  readonly onStranger?: (a: AlpacaOrder) => void;
  readonly onProblem?: (message: string) => void;
}

export const DEFAULT_ALPACA_VENUE: AlpacaVenueOptions = { extendedHours: false, unknownOutcomeAttempts: 3 };

const FINISHED = new Set<Order['status']>(['filled', 'canceled', 'expired', 'rejected']);
const open = (o: Order): boolean => !FINISHED.has(o.status);

/** What was reported of one broker order: filled quantity and notional, so a catch-up reports only the rest. */
interface Reported {
  filled: number;
  notional: number;
}

export class AlpacaVenue implements BrokerVenue {
  readonly name = 'alpaca';
  private readonly byBrokerId = new Map<string, Order>();
  private readonly byClientId = new Map<string, Order>();
  private readonly reported = new Map<string, Reported>();
  private readonly replaceCount = new Map<number, number>();
  /** Orders whose cancel was asked before the broker acknowledged them. */
  private readonly cancelWanted = new Set<Order>();
  /** OCO exits resumed before the sibling their broker order hangs under, by OCO group. */
  private readonly parkedLegs = new Map<string, Order>();
  /** OCO legs waiting for their sibling (the OMS releases both in the same tick). */
  private ocoLegs: Order[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Bracket exits the OMS holds, by their entry's id, and each exit's entry. */
  private readonly exitsOf = new Map<number, readonly Order[]>();
  private readonly entryOf = new Map<number, Order>();
  /** The latest broker view of each exit sent as a leg of its entry (by our order id): what its release answers from. */
  private readonly legs = new Map<number, AlpacaOrder>();

  constructor(
    readonly api: AlpacaTradingApi,
    private readonly d: VenueDeps,
    private readonly o: AlpacaVenueOptions = DEFAULT_ALPACA_VENUE,
  ) {}

  submit(order: Order): void {
    if (!this.d.hasInstrument(order.symbol)) {
      this.d.reports.rejected(order, this.d.now(), refusalReason('INVALID_ORDER', `unknown symbol ${order.symbol}`));
      return;
    }
    this.byClientId.set(order.clientOrderId, order);
    const leg = this.legs.get(order.id);
    if (leg !== undefined) {
      this.track(this.releaseLeg(order, leg));
      return;
    }
    const exits = this.exitsOf.get(order.id) ?? [];
    const bracket = bracketBody(order, exits, this.d.instrument(order.symbol), this.o);
    if (bracket !== null) {
      for (const e of exits) this.byClientId.set(e.clientOrderId, e);
      this.track(this.send([order, ...exits], bracket));
      return;
    }
    if (order.ocoGroup !== null && (order.role === 'take-profit' || order.role === 'stop-loss')) {
      if (this.ocoLegs.length === 0) queueMicrotask(() => this.sendOcoLegs());
      this.ocoLegs.push(order);
      return;
    }
    this.track(this.send([order], orderBody(order, this.d.instrument(order.symbol), this.o)));
  }

  holdExits(entry: Order, exits: readonly Order[]): void {
    this.exitsOf.set(entry.id, exits);
    for (const e of exits) this.entryOf.set(e.id, entry);
  }

  /**
   * An exit released by the OMS whose leg Alpaca already holds: nothing is sent; terms amended while it was held
   * here are carried to the leg by a replace (Alpaca replaces one leg at a time).
   */
  private async releaseLeg(exit: Order, leg: AlpacaOrder): Promise<void> {
    const n = (this.replaceCount.get(exit.id) ?? 0) + 1;
    const body = legAmendment(exit, leg, this.d.instrument(exit.symbol), replacementClientId(exit.clientOrderId, n));
    if (body === null || !isWorking(leg)) {
      this.sync(leg, undefined, 'leg released');
      return;
    }
    this.replaceCount.set(exit.id, n);
    try {
      const a = await this.api.replaceOrder(leg.id, body);
      exit.brokerOrderId = a.id;
      this.byBrokerId.set(a.id, exit);
      this.sync(a, undefined, 'leg amended');
    } catch (e) {
      if (!(e instanceof AlpacaRefusal)) throw e;
      // The leg keeps Alpaca's terms; ours are what the order says, so the difference is told, not hidden.
      this.o.onProblem?.(`alpaca: the ${exit.role ?? 'exit'} leg of order ${exit.clientOrderId} kept its terms: ${e.message}`);
      this.sync(leg, undefined, 'leg released');
    }
  }

  cancel(order: Order): boolean {
    if (!this.byClientId.has(order.clientOrderId)) return false;
    const id = order.brokerOrderId;
    if (id === null) {
      this.cancelWanted.add(order);
      return true;
    }
    this.track(this.sendCancel(order, id));
    return true;
  }

  replace(order: Order, changes: OrderChanges): boolean {
    const id = order.brokerOrderId;
    if (id === null || !this.byClientId.has(order.clientOrderId)) return false;
    const n = (this.replaceCount.get(order.id) ?? 0) + 1;
    this.replaceCount.set(order.id, n);
    const body = replaceBody(order, changes, this.d.instrument(order.symbol), replacementClientId(order.clientOrderId, n));
    this.track(this.sendReplace(order, id, body));
    return true;
  }

  cancelAll(symbol?: string): number {
    let n = 0;
    for (const o of new Set(this.byClientId.values())) if (open(o) && (symbol === undefined || o.symbol === symbol) && this.cancel(o)) n++;
    return n;
  }

  async workingOrders(): Promise<readonly VenueOrderState[]> {
    await this.idle();
    const open = await this.api.orders('open');
    return open.filter((a) => this.isOpenHere(a)).map((a) => this.stateOf(a));
  }

  async lookup(clientOrderId: string): Promise<VenueOrderState | null> {
    await this.idle();
    const direct = await this.brokerOrder(clientOrderId);
    if (direct !== null && direct.replaced_by == null) return isWorking(direct) ? this.stateOf(direct) : null;
    // A replaced order lives on under `<id>~r<n>`: the open one of those is the order now.
    const open = await this.api.orders('open');
    const now = open.find((a) => baseClientId(a.client_order_id) === clientOrderId);
    return now === undefined ? null : this.stateOf(now);
  }

  async openOrderReports(): Promise<readonly OrderReport[]> {
    await this.idle();
    return (await this.api.orders('open')).filter((a) => this.isOpenHere(a)).map((a) => this.reportOf([a]));
  }

  /** Working at the broker, and not the held leg of an exit the OMS still holds (that one is not working yet). */
  private isOpenHere(a: AlpacaOrder): boolean {
    return isWorking(a) && this.orderOf(a)?.status !== 'new';
  }

  async orderReport(clientOrderId: string): Promise<OrderReport | null> {
    await this.idle();
    const direct = await this.brokerOrder(clientOrderId);
    if (direct === null || direct.replaced_by == null) return direct === null ? null : this.reportOf([direct]);
    const chain = (await this.api.orders('all')).filter((a) => baseClientId(a.client_order_id) === clientOrderId);
    return this.reportOf(chain.length > 0 ? chain : [direct]);
  }

  async positionReports(): Promise<ReadonlyMap<string, number>> {
    const list = await this.api.positions();
    return new Map(list.map((p) => [p.symbol, Math.abs(Number(p.qty)) * (p.side === 'long' ? 1 : -1)]));
  }

  cancelBrokerOrder(brokerOrderId: string): Promise<void> {
    return this.api.cancelOrder(brokerOrderId);
  }

  async resume(order: Order): Promise<void> {
    this.byClientId.set(order.clientOrderId, order);
    let direct = await this.api.orderByClientId(order.clientOrderId);
    const leg = direct === null ? await this.bracketLeg(order) : null;
    if (leg !== null) direct = leg;
    else if (direct === null && order.ocoGroup !== null) {
      const leg = await this.ocoLeg(order);
      if (leg === 'sibling not resumed yet') {
        this.parkedLegs.set(order.ocoGroup, order);
        return;
      }
      direct = leg;
    }
    // An entry's legs are bound first: catching the entry up may fill it, and the OMS then releases its exits.
    if (direct !== null && isLegClass(direct) && this.exitsOf.has(order.id)) await this.bindLegs(order, direct.id);
    await this.take(order, direct);
    // A leg whose parent was not yet known is taken over now that it is.
    const parked = order.ocoGroup === null ? undefined : this.parkedLegs.get(order.ocoGroup);
    if (parked !== undefined && parked !== order) {
      this.parkedLegs.delete(order.ocoGroup ?? '');
      await this.resume(parked);
    }
  }

  /**
   * The broker's order of an OCO exit that is not found by our client id: the leg of the `oco` its sibling was
   * sent as (Alpaca gives legs client ids of its own), read from the parent with `nested=true`. Null when the pair
   * never reached Alpaca or was not sent as one order.
   */
  private async ocoLeg(order: Order): Promise<AlpacaOrder | null | 'sibling not resumed yet'> {
    const sibling = [...this.byClientId.values()].find((o) => o !== order && o.ocoGroup === order.ocoGroup);
    if (sibling === undefined) return 'sibling not resumed yet';
    if (sibling.brokerOrderId === null) return null;
    const parent = await this.api.orderById(sibling.brokerOrderId, true);
    return parent?.order_class === 'oco' ? (parent.legs?.[0] ?? null) : null;
  }

  /** The leg of a bracket exit whose entry went out as Alpaca's `bracket`/`oto`, read from the entry (nested). */
  private async bracketLeg(exit: Order): Promise<AlpacaOrder | null> {
    const entry = this.entryOf.get(exit.id);
    if (entry === undefined) return null;
    const id = entry.brokerOrderId ?? (await this.api.orderByClientId(entry.clientOrderId))?.id;
    const parent = id === undefined ? null : await this.api.orderById(id, true);
    return parent !== null && isLegClass(parent) ? (legOf(exit, parent.legs ?? []) ?? null) : null;
  }

  /** Binds the exits of a resumed entry (held by the OMS, so never resumed themselves) to the entry's legs. */
  private async bindLegs(entry: Order, brokerId: string): Promise<void> {
    const exits = this.exitsOf.get(entry.id);
    if (exits === undefined) return;
    const parent = await this.api.orderById(brokerId, true);
    for (const e of exits) {
      const leg = parent === null ? undefined : legOf(e, parent.legs ?? []);
      if (leg === undefined) continue;
      this.byClientId.set(e.clientOrderId, e);
      this.byBrokerId.set(leg.id, e);
      this.sync(leg, undefined, 'resumed');
    }
  }

  /** Binds a resumed order to its broker order and catches it up; sends it when the broker never had it. */
  private async take(order: Order, direct: AlpacaOrder | null): Promise<void> {
    if (direct === null) {
      // Stored but never sent: a cancel asked meanwhile ends it here; otherwise it goes out now, under its id.
      if (order.status === 'pending_cancel') this.d.reports.canceled(order, this.d.now(), 'canceled before it reached the broker');
      else this.submit(order);
      return;
    }
    const chain = direct.replaced_by == null ? [direct] : (await this.api.orders('all')).filter((a) => baseClientId(a.client_order_id) === order.clientOrderId);
    // What the journal already applied counts as reported, oldest broker order first: only the rest is new.
    let known = order.filledQuantity;
    for (const a of chain) {
      this.byBrokerId.set(a.id, order);
      const take = Math.min(known, qtyOf(a.filled_qty));
      known -= take;
      this.reported.set(a.id, { filled: take, notional: take * qtyOf(a.filled_avg_price) });
    }
    const last = chain[chain.length - 1] ?? direct;
    order.brokerOrderId = last.id;
    await this.settleOrder(order.clientOrderId);
    if (order.status === 'pending_cancel' && isWorking(last)) await this.sendCancel(order, last.id);
  }

  async settleOrder(clientOrderId: string): Promise<void> {
    await this.idle();
    const direct = await this.brokerOrder(clientOrderId);
    if (direct === null) return;
    const chain = direct.replaced_by == null ? [direct] : (await this.api.orders('all')).filter((a) => baseClientId(a.client_order_id) === clientOrderId);
    const fills = await this.api.fillActivities(timeOf(direct.created_at, 0) - 1);
    const ids = new Set(chain.map((a) => a.id));
    for (const act of fills) {
      const order = ids.has(act.order_id) ? this.byBrokerId.get(act.order_id) : undefined;
      if (order !== undefined) this.applyFill(order, act.order_id, Number(act.cum_qty ?? NaN), { price: act.price, qty: qtyOf(act.qty), ts: timeOf(act.transaction_time, this.d.now()) });
    }
    for (const a of chain) this.sync(a, undefined, 'reconciliation');
  }

  /** The broker's order under our client id, or (an OCO leg, which carries Alpaca's) by the broker id bound to it. */
  private async brokerOrder(clientOrderId: string): Promise<AlpacaOrder | null> {
    const direct = await this.api.orderByClientId(clientOrderId);
    const bound = direct === null ? this.byClientId.get(clientOrderId)?.brokerOrderId : null;
    return bound == null ? direct : this.api.orderById(bound, false);
  }

  /** One report for an order and its replacements (oldest first): fills add up, the last one's state counts. */
  private reportOf(chain: readonly AlpacaOrder[]): OrderReport {
    const last = chain[chain.length - 1] as AlpacaOrder;
    let filled = 0;
    let notional = 0;
    for (const a of chain) {
      filled += qtyOf(a.filled_qty);
      notional += qtyOf(a.filled_qty) * qtyOf(a.filled_avg_price);
    }
    const ours = this.orderOf(last);
    const lastFilled = qtyOf(last.filled_qty);
    return {
      clientOrderId: ours?.clientOrderId ?? baseClientId(last.client_order_id),
      brokerOrderId: last.id,
      symbol: last.symbol,
      side: last.side,
      quantity: ours?.quantity ?? filled - lastFilled + qtyOf(last.qty),
      filledQuantity: filled,
      avgFillPrice: filled === 0 ? 0 : notional / filled,
      status: isWorking(last) ? 'working' : last.status === 'filled' ? 'filled' : last.status === 'rejected' ? 'rejected' : last.status === 'expired' || last.status === 'done_for_day' ? 'expired' : 'canceled',
    };
  }

  /** A broker fills on its own market. */
  onBar(_bar: Bar): void {}
  onQuote(_quote: Quote): void {}

  /** A trade_updates event: the order snapshot it carries is synced, the event's price used for a fill. */
  onTradeUpdate(u: TradeUpdate): void {
    const isFill = u.event === 'fill' || u.event === 'partial_fill';
    this.sync(u.order, isFill && u.price != null ? { price: u.price, qty: qtyOf(u.qty), ts: timeOf(u.timestamp, this.d.now()) } : undefined, u.event);
  }

  /**
   * Catch-up over REST after a reconnect or at start: every order of ours the broker changed is synced, and fills
   * missed while the stream was down are reported from the FILL activities (exact prices), each once.
   */
  async catchUp(sinceMs: number): Promise<void> {
    const activities = await this.api.fillActivities(sinceMs);
    for (const act of activities) {
      const order = this.byBrokerId.get(act.order_id);
      if (order !== undefined) this.applyFill(order, act.order_id, Number(act.cum_qty ?? NaN), { price: act.price, qty: qtyOf(act.qty), ts: timeOf(act.transaction_time, this.d.now()) });
    }
    for (const a of await this.api.orders('all', sinceMs)) this.sync(a, undefined, 'catch-up');
  }

  /** Resolves once no request of this venue is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Our order of a broker order, or undefined for one nobody here sent. */
  orderOf(a: AlpacaOrder): Order | undefined {
    return this.byBrokerId.get(a.id) ?? this.byClientId.get(baseClientId(a.client_order_id));
  }

  private stateOf(a: AlpacaOrder): VenueOrderState {
    const ours = this.orderOf(a);
    const s = venueState(a, baseClientId(a.client_order_id));
    return ours === undefined ? s : { ...s, clientOrderId: ours.clientOrderId, quantity: ours.quantity };
  }

  private track(p: Promise<void>): void {
    const t = p.catch((e: unknown) => this.o.onProblem?.(`alpaca: ${(e as Error).message}`));
    this.inFlight.add(t);
    void t.finally(() => this.inFlight.delete(t));
  }

  private sendOcoLegs(): void {
    const legs = this.ocoLegs;
    this.ocoLegs = [];
    const byGroup = new Map<string, Order[]>();
    for (const l of legs) byGroup.set(l.ocoGroup ?? '', [...(byGroup.get(l.ocoGroup ?? '') ?? []), l]);
    for (const group of byGroup.values()) {
      const tp = group.find((l) => l.role === 'take-profit' && l.type === 'limit');
      const sl = group.find((l) => l.role === 'stop-loss' && (l.type === 'stop' || l.type === 'stop-limit'));
      if (group.length === 2 && tp !== undefined && sl !== undefined) {
        this.track(this.send([tp, sl], ocoBody(tp, sl, this.d.instrument(tp.symbol))));
      } else {
        for (const l of group) this.track(this.send([l], orderBody(l, this.d.instrument(l.symbol), this.o)));
      }
    }
  }

  /** POSTs one order (an OCO pair: the parent and its leg); learns an unknown outcome by client id first. */
  private async send(orders: readonly Order[], body: AlpacaOrderRequest): Promise<void> {
    const head = orders[0];
    if (head === undefined) return;
    for (let attempt = 1; ; attempt++) {
      try {
        this.bind(orders, await this.api.submitOrder(body));
        break;
      } catch (e) {
        if (e instanceof AlpacaRefusal) {
          // Our client id is already at the broker: an earlier send (before a crash or a timeout) got through.
          const known = /client_order_id/i.test(e.message) ? await this.api.orderByClientId(head.clientOrderId) : null;
          if (known !== null) {
            this.bind(orders, await this.withLegs(known));
            break;
          }
          for (const o of orders) if (open(o)) this.d.reports.rejected(o, this.d.now(), e.message.replace(/^(\w+): /, `${e.refusal}: `));
          return;
        }
        if (!(e instanceof AlpacaUnknownOutcome) || attempt >= this.o.unknownOutcomeAttempts) throw e;
        const found = await this.api.orderByClientId(head.clientOrderId).catch(() => null);
        if (found !== null) {
          this.bind(orders, await this.withLegs(found));
          break;
        }
      }
    }
    for (const o of orders) {
      const id = o.brokerOrderId;
      if (this.cancelWanted.delete(o) && id !== null && open(o)) await this.sendCancel(o, id);
    }
  }

  /** A bracket/oto/oco found by client id comes without its legs: they are read from it (nested). */
  private async withLegs(a: AlpacaOrder): Promise<AlpacaOrder> {
    if (a.order_class !== 'oco' && !isLegClass(a)) return a;
    return (a.legs ?? []).length > 0 ? a : ((await this.api.orderById(a.id, true)) ?? a);
  }

  /** Records the broker ids of what a submit made and syncs its state. */
  private bind(orders: readonly Order[], a: AlpacaOrder): void {
    const [head, ...rest] = orders;
    if (head === undefined) return;
    head.brokerOrderId = a.id;
    this.byBrokerId.set(a.id, head);
    const legs = a.legs ?? [];
    // An oco's one leg is the stop-loss; a bracket's or oto's legs are matched to the exits by kind.
    const pairs = rest.map((o) => [o, isLegClass(a) ? legOf(o, legs) : legs[0]] as const);
    for (const [o, leg] of pairs) {
      if (leg === undefined) continue;
      o.brokerOrderId = leg.id;
      this.byBrokerId.set(leg.id, o);
    }
    this.sync(a, undefined, 'submitted');
    for (const [, leg] of pairs) if (leg !== undefined) this.sync(leg, undefined, 'submitted');
  }

  private async sendCancel(order: Order, brokerOrderId: string): Promise<void> {
    try {
      await this.api.cancelOrder(brokerOrderId);
    } catch (e) {
      if (!(e instanceof AlpacaRefusal)) throw e;
      // Too late (filled meanwhile) or unknown: what the order really is comes from the broker.
      const now = await this.api.orderByClientId(order.clientOrderId).catch(() => null);
      if (now !== null) this.sync(now, undefined, 'cancel refused');
      if (order.status === 'pending_cancel') this.d.reports.cancelRejected(order, this.d.now(), e.message.replace(/^(\w+): /, `${e.refusal}: `));
    }
  }

  private async sendReplace(order: Order, brokerOrderId: string, body: AlpacaOrderRequest): Promise<void> {
    try {
      const a = await this.api.replaceOrder(brokerOrderId, body);
      order.brokerOrderId = a.id;
      this.byBrokerId.set(a.id, order);
      if (order.status === 'pending_replace' || order.status === 'pending_cancel') this.d.reports.replaced(order, this.d.now());
      this.sync(a, undefined, 'replaced');
    } catch (e) {
      if (!(e instanceof AlpacaRefusal)) throw e;
      this.d.reports.replaceRejected(order, this.d.now(), e.message.replace(/^(\w+): /, `${e.refusal}: `));
    }
  }

  /** Reports the difference between the broker's view of an order and ours. */
  private sync(a: AlpacaOrder, fill: FillEvent | undefined, why: string): void {
    const order = this.orderOf(a);
    if (order === undefined) {
      this.o.onStranger?.(a);
      return;
    }
    const entry = this.entryOf.get(order.id);
    if (entry !== undefined && isLegClass(a)) {
      this.legs.set(order.id, a);
      // Held by the OMS until its entry fills: nothing to report yet (its release answers from this view).
      if (order.status === 'new') return;
      // Canceled here while held: once the entry filled (a stop leg still shows `held` then, until triggered), the
      // leg Alpaca activated must not trade.
      const active = a.status !== 'held' || (entry.filledQuantity > 0 && !open(entry)) || entry.status === 'partially_filled';
      if (!open(order) && isWorking(a) && active) {
        this.track(this.api.cancelOrder(a.id).catch(() => undefined));
        return;
      }
    }
    // The old half of a replace: its fills count, its end does not end our order.
    const current = order.brokerOrderId === null || order.brokerOrderId === a.id;
    if (current && order.status === 'submitted' && a.status !== 'rejected' && a.status !== 'pending_new') this.d.reports.accepted(order, timeOf(a.created_at, this.d.now()));
    this.applyFill(order, a.id, qtyOf(a.filled_qty), fill ?? (a.filled_avg_price == null ? undefined : { price: a.filled_avg_price, qty: NaN, ts: timeOf(a.filled_at ?? a.updated_at, this.d.now()), avg: true }));
    if (!current || !open(order)) return;
    const ts = timeOf(a.updated_at, this.d.now());
    if (a.status === 'canceled') this.d.reports.canceled(order, ts, order.status === 'pending_cancel' ? 'canceled by request' : `canceled at the broker (${why})`);
    else if (a.status === 'expired' || a.status === 'done_for_day') this.d.reports.expired(order, ts);
    else if (a.status === 'rejected') this.d.reports.rejected(order, ts, refusalReason('BROKER_ERROR', `alpaca rejected order ${a.id}`));
  }

  /**
   * Reports what the broker filled beyond what was reported, once: `cum` is the broker's cumulative filled
   * quantity of broker order `brokerId`; the price is the event's, or what the average price leaves for the rest.
   */
  private applyFill(order: Order, brokerId: string, cum: number, f: FillEvent | undefined): void {
    const r = this.reported.get(brokerId) ?? { filled: 0, notional: 0 };
    const total = Number.isNaN(cum) ? r.filled + (f?.qty ?? 0) : cum;
    const delta = Math.min(total - r.filled, order.quantity - order.filledQuantity);
    if (!(delta > 0) || f === undefined || !open(order)) return;
    const price = f.avg === true ? (Number(f.price) * total - r.notional) / delta : Number(f.price);
    const priceText = f.avg === true ? price.toFixed(8) : f.price;
    this.reported.set(brokerId, { filled: r.filled + delta, notional: r.notional + price * delta });
    this.d.reports.filled(order, fillOf(order, delta, priceText, f.ts));
  }
}

interface FillEvent {
  readonly price: string;
  readonly qty: number;
  readonly ts: number;
  /** `price` is the order's average over every fill so far, not this fill's. */
  readonly avg?: boolean;
}

export function alpacaVenue(api: AlpacaTradingApi, opts: AlpacaVenueOptions = DEFAULT_ALPACA_VENUE, onCreate?: (v: AlpacaVenue) => void): VenueFactory {
  return (d) => {
    const v = new AlpacaVenue(api, d, opts);
    onCreate?.(v);
    return v;
  };
}
