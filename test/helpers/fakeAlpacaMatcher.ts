// The fake Alpaca's book: orders as Alpaca's order entity, matching on the bars a test hands it (market at the
// open, limits and stops at the better of open and their price, opg/cls auction orders at the bar's open/close
// or canceled, at most half a bar's volume per bar in all),
// OCO pairs, bracket and oto orders (their exit legs `held` until the entry fills; then the take-profit is `new`
// and a stop leg stays `held` until its stop is hit, as at Alpaca; the two exits of a bracket one-cancels-other; an
// entry that ends part filled leaves legs for what it filled, one that ends unfilled cancels them), replace as a new order, DAY expiry after a daily bar, positions, cash and FILL activities. Every
// change is announced through `announce` (the trading stream's trade_updates).

import { randomUUID } from 'node:crypto';
import type { Bar } from '../../src/model/types.js';

export interface FakeOrder {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  qty: number;
  filled: number;
  notional: number;
  readonly type: string;
  readonly tif: string;
  readonly limit: number | null;
  readonly stop: number | null;
  readonly trailPrice: number | null;
  readonly trailPercent: number | null;
  hwm: number | null;
  status: string;
  readonly createdAt: string;
  updatedAt: string;
  filledAt: string | null;
  replacedBy: string | null;
  readonly replaces: string | null;
  readonly orderClass: string;
  readonly legs: FakeOrder[];
  sibling: FakeOrder | null;
  dayBars: number;
  /** A leg held until its entry fills (a stop leg stays `held` after that, but it can trade). */
  awaitingParent: boolean;
}

export interface FakeActivity {
  readonly id: string;
  readonly activity_type: 'FILL';
  readonly transaction_time: string;
  readonly type: string;
  readonly price: string;
  readonly qty: string;
  readonly side: string;
  readonly symbol: string;
  readonly order_id: string;
  readonly cum_qty: string;
  readonly leaves_qty: string;
}

/** Orders that can trade now; a `held` leg is open (listed, cancelable, replaceable) but waits for its entry. */
const WORKING = new Set(['new', 'partially_filled', 'accepted', 'pending_new']);
const OPEN = new Set([...WORKING, 'held']);
/** Can fill on a bar: working, or a stop leg whose entry filled (Alpaca shows it `held` until triggered). */
const canTrade = (o: FakeOrder): boolean => WORKING.has(o.status) || (o.status === 'held' && !o.awaitingParent);
const TYPES = new Set(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']);
const TIFS = new Set(['day', 'gtc', 'ioc', 'fok', 'opg', 'cls']);
const num = (v: unknown): number | null => (v === undefined || v === null ? null : Number(v));
const str = (v: number | null): string | null => (v === null ? null : String(v));

export class FakeMatcher {
  readonly orders: FakeOrder[] = [];
  readonly fills: FakeActivity[] = [];
  readonly position = new Map<string, { qty: number; avg: number }>();
  cash = 100_000;
  /** The fake's clock for time stamps; tests may set it. */
  now = (): number => Date.now();

  constructor(private readonly announce: (event: string, o: FakeOrder, extra?: Record<string, unknown>) => void) {}

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** POST /v2/orders: the new order (an OCO's parent), or the refusal message. */
  place(b: Record<string, unknown>, by = 'client'): FakeOrder | string {
    const cid = typeof b.client_order_id === 'string' && b.client_order_id !== '' ? b.client_order_id : randomUUID();
    if (this.byClientId(cid) !== undefined) return 'client_order_id must be unique';
    const qty = Number(b.qty);
    if (!(qty > 0)) return `qty must be > 0 (${by})`;
    const type = String(b.type);
    const tif = String(b.time_in_force);
    if (!TYPES.has(type)) return `invalid order type ${type}`;
    if (!TIFS.has(tif)) return `invalid time_in_force ${tif}`;
    if ((type === 'limit' || type === 'stop_limit') && b.limit_price === undefined && b.order_class !== 'oco') return 'limit_price is required';
    if ((type === 'stop' || type === 'stop_limit') && b.stop_price === undefined) return 'stop_price is required';
    const side = b.side === 'sell' ? 'sell' : 'buy';
    const symbol = String(b.symbol);
    if (b.order_class === 'bracket' || b.order_class === 'oto') return this.placeWithLegs(b, cid, symbol, side, qty, type, tif);
    if (b.order_class === 'oco') {
      const tp = b.take_profit as { limit_price: string };
      const sl = b.stop_loss as { stop_price: string; limit_price?: string };
      const parent = this.add({ cid, symbol, side, qty, type: 'limit', tif, limit: num(tp.limit_price), stop: null, orderClass: 'oco' });
      const leg = this.add({ cid: randomUUID(), symbol, side, qty, type: sl.limit_price === undefined ? 'stop' : 'stop_limit', tif, limit: num(sl.limit_price), stop: num(sl.stop_price), orderClass: 'oco' });
      parent.legs.push(leg);
      parent.sibling = leg;
      leg.sibling = parent;
      this.announce('new', parent);
      this.announce('new', leg);
      return parent;
    }
    const o = this.add({ cid, symbol, side, qty, type, tif, limit: num(b.limit_price), stop: num(b.stop_price), orderClass: '', trailPrice: num(b.trail_price), trailPercent: num(b.trail_percent) });
    this.announce('new', o);
    return o;
  }

  /** A bracket (both exits) or oto (one): the entry works, its legs are held until it fills. */
  private placeWithLegs(b: Record<string, unknown>, cid: string, symbol: string, side: 'buy' | 'sell', qty: number, type: string, tif: string): FakeOrder | string {
    const cls = String(b.order_class);
    const tp = b.take_profit as { limit_price?: string } | undefined;
    const sl = b.stop_loss as { stop_price?: string; limit_price?: string } | undefined;
    if (cls === 'bracket' && (tp?.limit_price === undefined || sl?.stop_price === undefined)) return 'bracket orders require take_profit.limit_price and stop_loss.stop_price';
    if (cls === 'oto' && (tp === undefined) === (sl === undefined)) return 'oto orders require either take_profit or stop_loss';
    if (tif !== 'day' && tif !== 'gtc') return `time_in_force ${tif} is not allowed for ${cls} orders`;
    if (type === 'trailing_stop') return `trailing_stop is not allowed as the entry of ${cls} orders`;
    if (b.extended_hours === true) return `extended hours are not allowed for ${cls} orders`;
    if ((type === 'limit' || type === 'stop_limit') && b.limit_price === undefined) return 'limit_price is required';
    const exit = side === 'buy' ? 'sell' : 'buy';
    const parent = this.add({ cid, symbol, side, qty, type, tif, limit: num(b.limit_price), stop: num(b.stop_price), orderClass: cls });
    if (tp !== undefined) parent.legs.push(this.add({ cid: randomUUID(), symbol, side: exit, qty, type: 'limit', tif, limit: num(tp.limit_price), stop: null, orderClass: cls, status: 'held', awaitingParent: true }));
    if (sl !== undefined) {
      parent.legs.push(this.add({ cid: randomUUID(), symbol, side: exit, qty, type: sl.limit_price === undefined ? 'stop' : 'stop_limit', tif, limit: num(sl.limit_price), stop: num(sl.stop_price), orderClass: cls, status: 'held', awaitingParent: true }));
    }
    this.pairLegs(parent);
    this.announce('new', parent);
    for (const l of parent.legs) this.announce('new', l);
    return parent;
  }

  /** A bracket's two exits cancel each other. */
  private pairLegs(parent: FakeOrder): void {
    const [a, b] = parent.legs;
    if (a === undefined || b === undefined) return;
    a.sibling = b;
    b.sibling = a;
  }

  /** The entry a held leg waits on, if any. */
  parentOf(leg: FakeOrder): FakeOrder | undefined {
    return this.orders.find((p) => p.legs.includes(leg));
  }

  /** An entry ended: legs work for what it filled (all of it, or the part filled before it was canceled), else go. */
  private settleLegs(parent: FakeOrder): void {
    const held = parent.legs.filter((l) => l.status === 'held' && l.awaitingParent);
    if (held.length === 0 || WORKING.has(parent.status)) return;
    for (const l of held) {
      l.awaitingParent = false;
      if (parent.filled === 0) {
        this.end(l, 'canceled');
        continue;
      }
      l.qty = parent.filled;
      l.updatedAt = this.iso();
      // A stop leg stays held (untriggered) but can trade from now on; the take-profit goes to the market.
      if (l.type === 'stop' || l.type === 'stop_limit') continue;
      l.status = 'new';
      this.announce('new', l);
    }
  }

  private add(p: { cid: string; symbol: string; side: 'buy' | 'sell'; qty: number; type: string; tif: string; limit: number | null; stop: number | null; orderClass: string; trailPrice?: number | null; trailPercent?: number | null; replaces?: string; status?: string; awaitingParent?: boolean }): FakeOrder {
    const t = this.iso();
    const o: FakeOrder = {
      id: randomUUID(),
      clientOrderId: p.cid,
      symbol: p.symbol,
      side: p.side,
      qty: p.qty,
      filled: 0,
      notional: 0,
      type: p.type,
      tif: p.tif,
      limit: p.limit,
      stop: p.stop,
      trailPrice: p.trailPrice ?? null,
      trailPercent: p.trailPercent ?? null,
      hwm: null,
      status: p.status ?? 'new',
      createdAt: t,
      updatedAt: t,
      filledAt: null,
      replacedBy: null,
      replaces: p.replaces ?? null,
      orderClass: p.orderClass,
      legs: [],
      sibling: null,
      dayBars: 0,
      awaitingParent: p.awaitingParent ?? false,
    };
    this.orders.push(o);
    return o;
  }

  get(id: string): FakeOrder | undefined {
    return this.orders.find((o) => o.id === id);
  }

  byClientId(cid: string): FakeOrder | undefined {
    return this.orders.find((o) => o.clientOrderId === cid);
  }

  list(status: string, after: string | null): FakeOrder[] {
    const open = this.orders.filter((o) => OPEN.has(o.status));
    const all = status === 'open' ? open : status === 'closed' ? this.orders.filter((o) => !OPEN.has(o.status)) : this.orders;
    return after === null ? all : all.filter((o) => o.updatedAt > after);
  }

  /** DELETE /v2/orders/{id}: null when canceled, else the refusal. */
  cancel(id: string): { status: number; message: string } | null {
    const o = this.get(id);
    if (o === undefined) return { status: 404, message: 'order not found' };
    if (!OPEN.has(o.status)) return { status: 422, message: 'order is not cancelable' };
    this.end(o, 'canceled');
    if (o.sibling !== null && OPEN.has(o.sibling.status)) this.end(o.sibling, 'canceled');
    return null;
  }

  cancelAll(): FakeOrder[] {
    const open = this.orders.filter((o) => OPEN.has(o.status));
    for (const o of open) if (OPEN.has(o.status)) this.end(o, 'canceled');
    return open;
  }

  /** PATCH /v2/orders/{id}: a new order replaces the old one (Alpaca's qty is what the new order is for). */
  replace(id: string, b: Record<string, unknown>): FakeOrder | string {
    const old = this.get(id);
    if (old === undefined) return 'order not found';
    if (!OPEN.has(old.status)) return 'order is not replaceable';
    const cid = typeof b.client_order_id === 'string' ? b.client_order_id : randomUUID();
    if (this.byClientId(cid) !== undefined) return 'client_order_id must be unique';
    const n = this.add({
      cid,
      symbol: old.symbol,
      side: old.side,
      qty: num(b.qty) ?? old.qty - old.filled,
      type: old.type,
      tif: typeof b.time_in_force === 'string' ? b.time_in_force : old.tif,
      limit: num(b.limit_price) ?? old.limit,
      stop: num(b.stop_price) ?? old.stop,
      orderClass: old.orderClass,
      trailPrice: old.trailPrice === null ? null : (num(b.trail) ?? old.trailPrice),
      trailPercent: old.trailPercent === null ? null : (num(b.trail) ?? old.trailPercent),
      replaces: old.id,
      status: old.status === 'held' ? 'held' : 'new',
      awaitingParent: old.awaitingParent,
    });
    // A replaced entry keeps its legs; a replaced leg takes its place under the entry and beside its sibling.
    n.legs.push(...old.legs.splice(0));
    const parent = this.parentOf(old);
    if (parent !== undefined) parent.legs.splice(parent.legs.indexOf(old), 1, n);
    if (old.sibling !== null) {
      n.sibling = old.sibling;
      old.sibling.sibling = n;
      old.sibling = null;
    }
    old.replacedBy = n.id;
    old.status = 'replaced';
    old.updatedAt = this.iso();
    this.announce('replaced', old);
    this.announce('new', n);
    return n;
  }

  private end(o: FakeOrder, status: 'canceled' | 'expired'): void {
    o.status = status;
    o.updatedAt = this.iso();
    this.announce(status, o);
    this.settleLegs(o);
  }

  /** Price at which `o` trades on `bar`, or null. */
  private priceOn(o: FakeOrder, bar: Bar): number | null {
    const buy = o.side === 'buy';
    if (o.tif === 'opg' || o.tif === 'cls') {
      // An auction order trades at the auction's price (the bar's open or close) or not at all.
      const p = o.tif === 'opg' ? bar.open : bar.close;
      return o.limit === null || (buy ? p <= o.limit : p >= o.limit) ? p : null;
    }
    const limitOk = (p: number): number | null => (o.limit === null ? p : buy ? (bar.low <= o.limit ? Math.min(p, o.limit) : null) : bar.high >= o.limit ? Math.max(p, o.limit) : null);
    switch (o.type) {
      case 'market':
        return bar.open;
      case 'limit':
        return limitOk(bar.open);
      case 'stop':
      case 'stop_limit': {
        const s = o.stop ?? 0;
        const hit = buy ? bar.high >= s : bar.low <= s;
        if (!hit) return null;
        const p = buy ? Math.max(bar.open, s) : Math.min(bar.open, s);
        return o.type === 'stop' ? p : limitOk(p);
      }
      case 'trailing_stop': {
        o.hwm = o.hwm === null ? (buy ? bar.low : bar.high) : buy ? Math.min(o.hwm, bar.low) : Math.max(o.hwm, bar.high);
        const dist = o.trailPrice ?? (o.hwm * (o.trailPercent ?? 0)) / 100;
        const s = buy ? o.hwm + dist : o.hwm - dist;
        return (buy ? bar.high >= s : bar.low <= s) ? (buy ? Math.max(bar.open, s) : Math.min(bar.open, s)) : null;
      }
      default:
        return null;
    }
  }

  /** A bar trades: working orders of its symbol fill in time order within half its volume; then DAY expiry. */
  trade(bar: Bar): void {
    let budget = Math.floor(bar.volume / 2);
    for (const o of this.orders.filter((x) => x.symbol === bar.symbol && canTrade(x))) {
      if (!canTrade(o) || budget <= 0) continue;
      const price = this.priceOn(o, bar);
      if (price === null) continue;
      const qty = Math.min(o.qty - o.filled, budget);
      budget -= qty;
      this.fill(o, qty, price);
    }
    // Auction orders get one auction: what it did not fill is canceled.
    for (const o of this.orders.filter((x) => x.symbol === bar.symbol && WORKING.has(x.status) && (x.tif === 'opg' || x.tif === 'cls'))) this.end(o, 'canceled');
    if (bar.timeframe !== '1d') return;
    for (const o of this.orders.filter((x) => x.symbol === bar.symbol && WORKING.has(x.status) && x.tif === 'day')) if (++o.dayBars >= 1) this.end(o, 'expired');
  }

  /** Fills `qty` of `o` at `price` (tests call it for fills the market makes while nobody listens, too). */
  fill(o: FakeOrder, qty: number, price: number): void {
    o.filled += qty;
    o.notional += qty * price;
    const t = this.iso();
    o.updatedAt = t;
    const done = o.filled >= o.qty;
    o.status = done ? 'filled' : 'partially_filled';
    if (done) o.filledAt = t;
    const sign = o.side === 'buy' ? 1 : -1;
    const p = this.position.get(o.symbol) ?? { qty: 0, avg: 0 };
    const next = p.qty + sign * qty;
    // Adding to a position averages the entry; reducing keeps it; crossing zero starts anew at this price.
    const avg = next === 0 ? 0 : p.qty === 0 || Math.sign(p.qty) === sign ? (Math.abs(p.qty) * p.avg + qty * price) / Math.abs(next) : Math.sign(next) === Math.sign(p.qty) ? p.avg : price;
    this.position.set(o.symbol, { qty: next, avg });
    this.cash -= sign * qty * price;
    this.fills.push({
      id: `${t.replace(/\D/g, '').slice(0, 17)}${String(this.fills.length).padStart(6, '0')}::${randomUUID()}`,
      activity_type: 'FILL',
      transaction_time: t,
      type: done ? 'fill' : 'partial_fill',
      price: String(price),
      qty: String(qty),
      side: o.side,
      symbol: o.symbol,
      order_id: o.id,
      cum_qty: String(o.filled),
      leaves_qty: String(o.qty - o.filled),
    });
    this.announce(done ? 'fill' : 'partial_fill', o, { price: String(price), qty: String(qty), position_qty: String(next), execution_id: randomUUID() });
    if (o.sibling !== null && OPEN.has(o.sibling.status)) this.end(o.sibling, 'canceled');
    if (done) this.settleLegs(o);
  }

  activities(after: string | null, token: string | null, size: number): FakeActivity[] {
    let list = after === null ? this.fills : this.fills.filter((f) => f.transaction_time > after);
    if (token !== null) list = list.filter((f) => f.id > token);
    return list.slice(0, size);
  }

  account(): Record<string, unknown> {
    let equity = this.cash;
    for (const p of this.position.values()) equity += p.qty * p.avg;
    return { id: 'fake-account', status: 'ACTIVE', currency: 'USD', cash: this.cash.toFixed(2), buying_power: Math.max(0, this.cash).toFixed(2), equity: equity.toFixed(2), pattern_day_trader: false, trading_blocked: false };
  }

  positions(): Record<string, unknown>[] {
    return [...this.position.entries()]
      .filter(([, p]) => p.qty !== 0)
      .map(([symbol, p]) => ({ asset_id: symbol, symbol, exchange: 'FAKE', asset_class: 'us_equity', qty: String(p.qty), side: p.qty > 0 ? 'long' : 'short', avg_entry_price: String(p.avg) }));
  }

  /** A leg of an OCO, bracket or oto (not its parent). */
  isLeg(o: FakeOrder): boolean {
    return this.orders.some((p) => p.legs.includes(o));
  }

  /** The order entity; `nested` puts an OCO parent's legs under it (else legs is null, as Alpaca answers). */
  wire(o: FakeOrder, nested = true): Record<string, unknown> {
    return {
      id: o.id,
      client_order_id: o.clientOrderId,
      created_at: o.createdAt,
      updated_at: o.updatedAt,
      submitted_at: o.createdAt,
      filled_at: o.filledAt,
      expired_at: o.status === 'expired' ? o.updatedAt : null,
      canceled_at: o.status === 'canceled' ? o.updatedAt : null,
      failed_at: null,
      replaced_at: o.replacedBy === null ? null : o.updatedAt,
      replaced_by: o.replacedBy,
      replaces: o.replaces,
      asset_id: o.symbol,
      symbol: o.symbol,
      asset_class: 'us_equity',
      notional: null,
      qty: String(o.qty),
      filled_qty: String(o.filled),
      filled_avg_price: o.filled === 0 ? null : String(o.notional / o.filled),
      order_class: o.orderClass,
      order_type: o.type,
      type: o.type,
      side: o.side,
      time_in_force: o.tif,
      limit_price: str(o.limit),
      stop_price: str(o.stop),
      trail_price: str(o.trailPrice),
      trail_percent: str(o.trailPercent),
      hwm: str(o.hwm),
      status: o.status,
      extended_hours: false,
      legs: o.legs.length === 0 || !nested ? null : o.legs.map((l) => this.wire(l)),
    };
  }
}
