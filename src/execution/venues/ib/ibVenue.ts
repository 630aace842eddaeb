// The Interactive Brokers venue: our orders go to TWS / IB Gateway over its socket API (orderRef = our client
// order id), and IB's order states, executions and commission reports come back as the order manager's reports.
// After a reconnect it catches up: executions missed while down are applied once, and orders IB closed meanwhile
// are closed here; after a restart, an order IB finished while we were down is found among its completed orders.

import type { Bar, Order, OrderChanges, Quote } from '../../../model/types.js';
import type { OrderReport } from '../../reconcile/reconcile.js';
import type { BrokerVenue } from '../brokerVenue.js';
import type { VenueDeps, VenueOrderState } from '../venue.js';
import { IbConnection, type IbConnectionOptions } from './connection.js';
import * as inc from './incoming.js';
import { IN } from './incoming.js';
import * as map from './mapping.js';
import * as out from './outgoing.js';
import { IbQueries } from './queries.js';

export interface IbVenueOptions {
  /** The client id the connection logged in with: executions are asked for by it after a reconnect. */
  readonly clientId: number;
  /** The IB account orders go to (e.g. DU1234567 for paper); empty: the only account of the login. */
  readonly account: string;
  /** How long a fill waits for its commission report before it is booked with commission 0. */
  readonly commissionWaitMs?: number;
  /** Time-out for open orders, positions, account and execution requests. */
  readonly requestTimeoutMs?: number;
  /** Where problems the venue cannot report on an order go (a catch-up after a reconnect that failed). */
  readonly warn?: (text: string) => void;
  /** Runs once the catch-up after a reconnect is done (a trading session reconciles then). */
  readonly onCaughtUp?: () => void;
}

interface Tracked {
  readonly order: Order;
  readonly ibId: number;
  acked: boolean;
  done: boolean;
  cancelRequested: boolean;
  replace: OrderChanges | null;
  filled: number;
  /** Shares of executions a resumed order's journal already applied: IB sends them again, they are not new. */
  known: number;
  /** Executions seen for the order (a resumed order with none and no open order never reached IB). */
  execs: number;
  lastError: string | null;
}

interface PendingExec {
  readonly t: Tracked;
  readonly exec: inc.IbExecution;
  readonly cancelTimer: () => void;
}

export class IbVenue implements BrokerVenue {
  readonly name = 'ib';
  private readonly queries: IbQueries;
  private readonly byIbId = new Map<number, Tracked>();
  private readonly pending = new Map<string, PendingExec>();
  private readonly seenExecs = new Set<string>();
  /** Ids for resumed orders IB no longer works (negative: IB's are not). */
  private nextLocalId = -1;

  constructor(readonly conn: IbConnection, private readonly opts: IbVenueOptions, private readonly d: VenueDeps) {
    this.queries = new IbQueries(this.conn, opts.requestTimeoutMs ?? 10_000);
    this.conn.on('message', (f) => this.onMessage(f));
    this.conn.on('ready', (reconnected) => {
      if (reconnected) void this.catchUp().then(() => this.opts.onCaughtUp?.(), (e: unknown) => this.opts.warn?.(`IB: catching up after the reconnect failed: ${(e as Error).message}`));
    });
  }

  submit(order: Order): void {
    if (this.conn.state !== 'connected') {
      this.d.reports.rejected(order, this.d.now(), 'IB: not connected to TWS / IB Gateway');
      return;
    }
    const t = this.track(order, this.conn.takeOrderId(), false);
    order.brokerOrderId = String(t.ibId);
    this.conn.send(out.placeOrder(t.ibId, this.contract(order.symbol), map.toIbOrder(order, this.opts.account)));
  }

  cancel(order: Order): boolean {
    const t = this.tracked(order);
    if (t === null || this.conn.state !== 'connected') return false;
    t.cancelRequested = true;
    this.conn.send(out.cancelOrder(t.ibId));
    return true;
  }

  /** IB modifies an order by placing it again under the same order id. */
  replace(order: Order, changes: OrderChanges): boolean {
    const t = this.tracked(order);
    if (t === null || !t.acked || t.replace !== null || this.conn.state !== 'connected') return false;
    if (changes.tif !== undefined && map.tifChangeRefusal(order.tif, changes.tif) !== null) return false;
    t.replace = changes;
    this.conn.send(out.placeOrder(t.ibId, this.contract(order.symbol), map.toIbOrder(order, this.opts.account, changes)));
    return true;
  }

  /** One symbol: a cancel per order; all: IB's global cancel (every open order of the account, any client). */
  cancelAll(symbol?: string): number {
    if (this.conn.state !== 'connected') return 0;
    const open = [...this.byIbId.values()].filter((t) => !t.done && (symbol === undefined || t.order.symbol === symbol));
    for (const t of open) t.cancelRequested = true;
    if (symbol === undefined) this.conn.send(out.reqGlobalCancel());
    else for (const t of open) this.conn.send(out.cancelOrder(t.ibId));
    return open.length;
  }

  async workingOrders(): Promise<readonly VenueOrderState[]> {
    const rows = await this.queries.openOrders();
    return rows
      .filter((r) => map.isWorkingStatus(r.status))
      .map((r) => ({
        clientOrderId: r.order.orderRef === '' ? `ib:${r.orderId}` : r.order.orderRef,
        symbol: r.order.symbol,
        side: r.order.action === 'BUY' ? 'buy' : 'sell',
        quantity: r.order.totalQuantity,
        leavesQuantity: r.remaining,
      }));
  }

  async lookup(clientOrderId: string): Promise<VenueOrderState | null> {
    return (await this.workingOrders()).find((w) => w.clientOrderId === clientOrderId) ?? null;
  }

  positions(): Promise<inc.IbPosition[]> {
    return this.queries.positions();
  }

  accountValues(): Promise<inc.IbAccountValue[]> {
    return this.queries.accountValues(this.opts.account);
  }

  async openOrderReports(): Promise<readonly OrderReport[]> {
    const rows = await this.queries.openOrders();
    return rows.filter((r) => map.isWorkingStatus(r.status)).map((r) => this.reportOf(r.orderId, r.order.orderRef, r.order.symbol, r.order.action, r.order.totalQuantity, r.order.totalQuantity - r.remaining));
  }

  /**
   * IB lists only working orders (and today's executions): an order it closed is known from our own tracking,
   * which `resume` and `settleOrder` bring up to date first; null when IB never had it.
   */
  async orderReport(clientOrderId: string): Promise<OrderReport | null> {
    const working = (await this.openOrderReports()).find((r) => r.clientOrderId === clientOrderId);
    if (working !== undefined) return working;
    const t = [...this.byIbId.values()].find((x) => x.order.clientOrderId === clientOrderId);
    if (t === undefined || !t.acked) return null;
    const o = t.order;
    const status = o.status === 'filled' || o.status === 'expired' || o.status === 'rejected' ? o.status : t.done ? 'canceled' : 'working';
    return { clientOrderId, brokerOrderId: String(t.ibId), symbol: o.symbol, side: o.side, quantity: o.quantity, filledQuantity: o.filledQuantity, avgFillPrice: o.avgFillPrice, status };
  }

  async positionReports(): Promise<ReadonlyMap<string, number>> {
    const rows = await this.queries.positions();
    return new Map(rows.filter((p) => this.opts.account === '' || p.account === this.opts.account).map((p) => [p.symbol, p.position]));
  }

  async cancelBrokerOrder(brokerOrderId: string): Promise<void> {
    this.conn.send(out.cancelOrder(Number(brokerOrderId)));
    await this.conn.sync();
  }

  /** Executions IB made (each applied once) and orders it closed: the same catch-up as after a reconnect. */
  async settleOrder(_clientOrderId: string): Promise<void> {
    await this.catchUp();
  }

  /**
   * Takes over an order a restarted session holds as sent: bound to IB's working order with its orderRef, or
   * caught up from today's executions; sent now when IB has neither (it never got it).
   */
  async resume(order: Order): Promise<void> {
    const row = (await this.queries.openOrders()).find((r) => r.order.orderRef === order.clientOrderId && map.isWorkingStatus(r.status));
    // An id no open order uses: executions of a closed order find it by orderRef.
    const t = this.track(order, row?.orderId ?? this.nextLocalId--, row !== undefined);
    t.filled = order.filledQuantity;
    t.known = order.filledQuantity;
    order.brokerOrderId = String(t.ibId);
    await this.queries.executions(this.opts.clientId, this.opts.account);
    this.flushPending(t);
    if (row !== undefined) {
      if (order.status === 'pending_cancel' && !t.done) this.cancel(order);
      return;
    }
    if (t.done) return;
    this.byIbId.delete(t.ibId);
    if (t.execs === 0 && order.filledQuantity === 0) {
      // IB may have closed it unfilled while we were down (canceled in TWS, expired, refused): such an order is
      // among today's completed orders and ends here; only one IB never had is sent.
      const completed = (await this.queries.completedOrders()).find((c) => c.orderRef === order.clientOrderId);
      if (completed !== undefined) return this.closeCompleted(t, completed);
      order.brokerOrderId = null;
      if (order.status === 'pending_cancel') this.d.reports.canceled(order, this.d.now(), 'canceled before it reached the broker');
      else this.submit(order);
      return;
    }
    t.done = true;
    this.d.reports.canceled(order, this.d.now(), 'IB: closed while the session was down');
  }

  /** Ends a resumed order IB finished while the session was down, from its completedOrder. */
  private closeCompleted(t: Tracked, c: inc.IbCompletedOrder): void {
    t.done = true;
    const now = this.d.now();
    const how = `IB: ${c.completedStatus || c.status} while the session was down`;
    if (c.filledQuantity > 0) this.opts.warn?.(`IB: order ${t.order.clientOrderId} filled ${c.filledQuantity} at IB but today's executions do not list it: check the account (reconciliation compares positions)`);
    if (c.status === 'Inactive') this.d.reports.rejected(t.order, now, how);
    else this.d.reports.canceled(t.order, now, t.order.status === 'pending_cancel' ? 'canceled on request' : how);
  }

  /** Resolves once IB answered everything sent so far (a round trip behind the requests). */
  async idle(): Promise<void> {
    if (this.conn.state === 'connected') await this.conn.sync().catch(() => undefined);
  }

  // IB fills on its own market.
  onBar(_bar: Bar): void {}
  onQuote(_quote: Quote): void {}

  private contract(symbol: string): out.IbContract {
    const currency = this.d.hasInstrument(symbol) ? this.d.instrument(symbol).currency : 'USD';
    return { symbol, currency, exchange: 'SMART' };
  }

  private track(order: Order, ibId: number, acked: boolean): Tracked {
    const t: Tracked = { order, ibId, acked, done: false, cancelRequested: false, replace: null, filled: 0, known: 0, execs: 0, lastError: null };
    this.byIbId.set(ibId, t);
    return t;
  }

  private reportOf(ibId: number, orderRef: string, symbol: string, action: string, quantity: number, filled: number): OrderReport {
    const t = this.byIbId.get(ibId);
    const ours = t?.order;
    return {
      clientOrderId: orderRef === '' ? `ib:${ibId}` : orderRef,
      brokerOrderId: String(ibId),
      symbol,
      side: action === 'BUY' ? 'buy' : 'sell',
      quantity: ours?.quantity ?? quantity,
      filledQuantity: ours?.filledQuantity ?? filled,
      avgFillPrice: ours?.avgFillPrice ?? 0,
      status: 'working',
    };
  }

  private tracked(order: Order): Tracked | null {
    const t = order.brokerOrderId === null ? undefined : this.byIbId.get(Number(order.brokerOrderId));
    return t === undefined || t.done || t.order !== order ? null : t;
  }

  private onMessage(f: string[]): void {
    switch (Number(f[0])) {
      case IN.orderStatus:
        return this.onStatus(inc.orderStatus(f));
      case IN.openOrder:
        return this.onOpenOrder(inc.openOrder(f));
      case IN.execDetails:
        return this.onExec(inc.execDetails(f));
      case IN.commissionReport:
        return this.onCommission(inc.commissionReport(f));
      case IN.error:
        return this.onError(inc.error(f));
      default:
    }
  }

  private onStatus(s: inc.IbOrderStatus): void {
    const t = this.byIbId.get(s.orderId);
    if (t === undefined || t.done) return;
    const now = this.d.now();
    if (map.isAckStatus(s.status) && !t.acked) {
      t.acked = true;
      this.d.reports.accepted(t.order, now);
    } else if (map.isCanceledStatus(s.status) || s.status === 'Inactive') {
      this.flushPending(t);
      if (t.done) return;
      t.done = true;
      if (!t.acked) this.d.reports.rejected(t.order, now, t.lastError ?? `IB: order ${s.status.toLowerCase()} before it was acknowledged`);
      // IB ends a DAY order at the close with a plain Cancelled: one we did not ask to cancel has expired.
      else if (s.status !== 'Inactive' && !t.cancelRequested && t.order.tif === 'DAY' && t.lastError === null) this.d.reports.expired(t.order, now);
      else this.d.reports.canceled(t.order, now, t.cancelRequested ? 'canceled on request' : `IB: ${t.lastError ?? s.status}`);
    }
  }

  /** A modify is done when IB shows the order on its new terms. */
  private onOpenOrder(o: inc.IbOpenOrder): void {
    const t = this.byIbId.get(o.orderId);
    if (t === undefined || t.done || t.replace === null) return;
    const want = map.toIbOrder(t.order, this.opts.account, t.replace);
    const same = (a: number | null, b: number): boolean => a === null || Math.abs(a - b) < 1e-9;
    if (o.totalQuantity === want.totalQuantity && same(want.lmtPrice, o.lmtPrice) && same(want.auxPrice, o.auxPrice)) {
      t.replace = null;
      this.d.reports.replaced(t.order, this.d.now());
    }
  }

  private onExec(e: inc.IbExecution): void {
    if (this.seenExecs.has(e.execId) || this.pending.has(e.execId)) return;
    const t = this.byIbId.get(e.orderId) ?? [...this.byIbId.values()].find((x) => x.order.clientOrderId === e.orderRef);
    if (t === undefined) return;
    t.execs++;
    const cancelTimer = this.laterMs(() => this.book(e.execId, null), this.opts.commissionWaitMs ?? 2000);
    this.pending.set(e.execId, { t, exec: e, cancelTimer });
  }

  private onCommission(c: inc.IbCommission): void {
    this.book(c.execId, c);
  }

  private book(execId: string, c: inc.IbCommission | null): void {
    const p = this.pending.get(execId);
    if (p === undefined) return;
    this.pending.delete(execId);
    p.cancelTimer();
    this.seenExecs.add(execId);
    if (p.t.known >= p.exec.shares) {
      p.t.known -= p.exec.shares;
      return;
    }
    p.t.filled += p.exec.shares;
    if (p.t.filled >= p.t.order.quantity) p.t.done = true;
    this.d.reports.filled(p.t.order, map.toFill(p.t.order, p.exec, c, this.d.now()));
  }

  /** Fills precede a close: book executions still waiting for their commission before the order ends. */
  private flushPending(t: Tracked): void {
    for (const [execId, p] of [...this.pending]) if (p.t === t) this.book(execId, null);
  }

  private onError(e: inc.IbError): void {
    const t = this.byIbId.get(e.id);
    if (t === undefined || t.done) return;
    const reason = `IB ${e.code}: ${e.message}`;
    // IB names why it canceled (an OCA sibling filled, ...) before the Cancelled status: keep it for that status,
    // which also tells such a cancel from a DAY order's expiry.
    if (e.code === map.ORDER_CANCELED) t.lastError = reason;
    if (map.isInformational(e.code)) return;
    const now = this.d.now();
    if (t.replace !== null) {
      t.replace = null;
      this.d.reports.replaceRejected(t.order, now, reason);
    } else if (t.cancelRequested && map.isCancelRefusal(e.code)) {
      t.cancelRequested = false;
      this.d.reports.cancelRejected(t.order, now, reason);
    } else if (!t.acked) {
      t.done = true;
      this.d.reports.rejected(t.order, now, reason);
    } else {
      // An error on a working order (e.g. before IB makes it Inactive): the status that follows closes it.
      t.lastError = reason;
    }
  }

  /** After a reconnect: fills missed while down (once each), then close what IB no longer works. */
  private async catchUp(): Promise<void> {
    await this.queries.executions(this.opts.clientId, this.opts.account);
    const open = new Map((await this.queries.openOrders()).map((r) => [r.orderId, r]));
    for (const t of this.byIbId.values()) {
      if (t.done) continue;
      const r = open.get(t.ibId);
      if (r !== undefined && map.isWorkingStatus(r.status)) {
        if (map.isAckStatus(r.status) && !t.acked) this.onStatus({ orderId: t.ibId, status: r.status, filled: 0, remaining: r.remaining });
        continue;
      }
      this.flushPending(t);
      if (!t.done) this.onStatus({ orderId: t.ibId, status: r?.status ?? 'Cancelled', filled: 0, remaining: 0 });
    }
  }

  private laterMs(fn: () => void, ms: number): () => void {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  }
}

/**
 * The IB venue of a session: its connection (the node connects it before the session starts, so a wrong host,
 * port or client id stops the start with the reason) and the factory the kernel builds the venue with.
 */
export class IbBroker {
  readonly conn: IbConnection;
  private venue: IbVenue | null = null;

  constructor(readonly options: IbConnectionOptions & IbVenueOptions) {
    this.conn = new IbConnection(options);
  }

  connect(): Promise<void> {
    return this.conn.connect();
  }

  close(): void {
    this.conn.close();
  }

  readonly factory = (d: VenueDeps): IbVenue => (this.venue = new IbVenue(this.conn, this.options, d));

  /** The venue the kernel built, once it has. */
  built(): IbVenue | null {
    return this.venue;
  }
}
