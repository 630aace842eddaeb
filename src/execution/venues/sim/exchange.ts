// The simulated venue for backtests and paper trading: holds working orders per symbol and meets each
// new bar with them in submission order, applying the fill rules, TIF, OCO links, volume limits, slippage
// and commission. Orders decided on bar t's close meet the market at bar t+1 (or at t's close with fillOn: close).

import { localDayKey } from '../../../core/tz.js';
import { notionalPu, puToNumber, toPu } from '../../../model/money.js';
import type { Bar, Fill, Instrument, Order, OrderChanges, Quote } from '../../../model/types.js';
import { amendedTerms } from '../../orderAmendment.js';
import { isAuctionTif } from '../../orderValidation.js';
import type { ExecutionReports } from '../../reports.js';
import type { Venue, VenueOrderState } from '../venue.js';
import type { CommissionModel } from './commission.js';
import { limitFill, nextTrailReference, stopFill, stopLimitFill, type BarPu } from './fillRules.js';
import type { SlippageModel } from './slippage.js';
import { replacement, updateTrailStop, venueOrderState, type WorkingOrder } from './workingOrder.js';

export interface ExchangeConfig {
  readonly commission: CommissionModel;
  readonly slippage: SlippageModel;
  /** 'open': orders meet the next bar (default). 'close': market orders fill at the deciding bar's close. */
  readonly fillOn: 'open' | 'close';
  /** At most this percent of a bar's volume fills per symbol and bar; 0 = no limit. */
  readonly volumeLimitPct: number;
  /** Which OCO leg wins when both could fill on one bar (pessimistic default: the stop-loss). */
  readonly ocoBothFill: 'stop-loss' | 'take-profit';
  /**
   * When DAY orders end: given the time an order first meets a bar, the close of its trading session (a market
   * calendar's nextClose); it expires on the first bar at or after that. Absent: at the first bar of the next
   * exchange-local day (backtests on bars that carry no session hours). Null from the function: never (24/7).
   */
  readonly dayOrderClose?: (ts: number, symbol: string) => number | null;
}

interface SymbolBook {
  readonly instrument: Instrument;
  readonly tickPu: number;
  working: WorkingOrder[];
  /** The latest bar as received (floats); converted to pu only when orders need it. */
  hasBar: boolean;
  open: number;
  high: number;
  low: number;
  close: number;
  lastTs: number;
  lastVolume: number;
  spreadPu: number;
  capacity: number;
}

export class SimulatedExchange implements Venue {
  readonly name = 'sim';
  private readonly books = new Map<string, SymbolBook>();
  /** One-entry cache: consecutive bars of one symbol skip the map lookup. */
  private cachedSymbol = '';
  private cachedBook: SymbolBook | null = null;
  /** Time of the latest bar of any symbol: bars arrive in time order, so this is the current step once it began. */
  private lastBarTs = -Infinity;
  private readonly barPu: BarPu = { open: 0, high: 0, low: 0, close: 0 };
  /** Separate scratch for close fills: a strategy may submit while another symbol's bar is being met. */
  private readonly closeBarPu: BarPu = { open: 0, high: 0, low: 0, close: 0 };

  constructor(
    private readonly config: ExchangeConfig,
    private readonly reports: ExecutionReports,
    private readonly instruments: (symbol: string) => Instrument,
    /** The kernel's clock, for the time stamps of reports. */
    private readonly now: () => number,
    /** False for a symbol the run does not know: its orders are rejected (`instruments` would throw). */
    private readonly knows: (symbol: string) => boolean = () => true,
  ) {}

  private book(symbol: string): SymbolBook {
    if (symbol === this.cachedSymbol && this.cachedBook !== null) return this.cachedBook;
    let b = this.books.get(symbol);
    if (!b) {
      const instrument = this.instruments(symbol);
      b = {
        instrument,
        tickPu: 10 ** (8 - instrument.priceDecimals),
        working: [],
        hasBar: false,
        open: 0,
        high: 0,
        low: 0,
        close: 0,
        lastTs: -Infinity,
        lastVolume: 0,
        spreadPu: NaN,
        capacity: Infinity,
      };
      this.books.set(symbol, b);
    }
    this.cachedSymbol = symbol;
    this.cachedBook = b;
    return b;
  }

  private lastBarPu(b: SymbolBook, p: BarPu): BarPu {
    p.open = toPu(b.open);
    p.high = toPu(b.high);
    p.low = toPu(b.low);
    p.close = toPu(b.close);
    return p;
  }

  submit(order: Order, activeAfterTs?: number): void {
    if (!this.books.has(order.symbol) && !this.knows(order.symbol)) {
      this.reports.rejected(order, this.now(), `unknown symbol ${order.symbol}`);
      return;
    }
    if (isAuctionTif(order.tif)) {
      // The simulated exchange trades bars, not auctions: an OPG/CLS order would fill at a price no auction set.
      this.reports.rejected(order, this.now(), `time in force ${order.tif} (auction order) is for broker venues (alpaca); the simulated exchange has no opening or closing auction`);
      return;
    }
    const b = this.book(order.symbol);
    this.reports.accepted(order, this.now());
    // Decided during the bars of step T (after any symbol's bar at T): the order waits for bars after T, for
    // every symbol. Decided before them (a timer at T): it meets the bars at T.
    const decidedAfter = Math.max(b.lastTs, this.lastBarTs);
    const closeFill = this.config.fillOn === 'close' && order.type === 'market' && activeAfterTs === undefined;
    // With fillOn close, an order for a symbol whose bar of this step is still to come fills at that bar's close.
    const waitForClose = closeFill && b.lastTs < this.lastBarTs;
    const w: WorkingOrder = {
      order,
      limitPu: order.limitPrice === null ? NaN : toPu(order.limitPrice),
      stopPu: order.stopPrice === null ? NaN : toPu(order.stopPrice),
      trailAmountPu: order.trailAmount === null ? NaN : toPu(order.trailAmount),
      trailPercent: order.trailPercent,
      remaining: order.quantity - order.filledQuantity,
      refPu: b.hasBar ? toPu(b.close) : NaN,
      trailStopPu: NaN,
      triggered: false,
      pendingTrigger: false,
      activeAfterTs: waitForClose ? b.lastTs : (activeAfterTs ?? decidedAfter),
      closeAtTs: waitForClose ? this.lastBarTs : NaN,
      sessionDay: NaN,
      filledOnce: false,
      done: false,
    };
    if (order.type === 'trailing-stop') updateTrailStop(w);
    if (closeFill && !waitForClose && b.hasBar) {
      const bar = this.lastBarPu(b, this.closeBarPu);
      this.fill(b, w, bar.close, true, b.lastTs, bar);
      if (w.done) return;
      if (order.tif === 'IOC' || order.tif === 'FOK') {
        this.cancelUnfilled(w, b.lastTs);
        return;
      }
    }
    b.working.push(w);
  }

  private cancelUnfilled(w: WorkingOrder, ts: number): void {
    this.finish(w);
    this.reports.canceled(w.order, ts, `${w.order.tif}: unfilled remainder canceled after its first bar`);
  }

  cancel(order: Order): boolean {
    const b = this.book(order.symbol);
    // A replaced order has a finished entry for its old terms: look for the live one.
    const w = b.working.find((x) => x.order === order && !x.done);
    if (!w) return false;
    this.finish(w);
    this.reports.canceled(order, b.lastTs, 'canceled by request');
    return true;
  }

  /**
   * Replaces a working order's terms (already validated). Like a venue's cancel/replace it joins the back of
   * the queue and meets only bars after the decision, except that a pure quantity decrease keeps its place;
   * trailing reference, trigger and session state carry over unless the change touches them.
   */
  replace(order: Order, changes: OrderChanges): boolean {
    const b = this.book(order.symbol);
    const w = b.working.find((x) => x.order === order && !x.done);
    if (!w || (changes.tif !== undefined && isAuctionTif(changes.tif))) return false;
    const t = amendedTerms(order, changes);
    // Shift what is left by the change in quantity: an OCO leg shrunk by a sibling's partial fill stays shrunk.
    const remaining = w.remaining + t.quantity - order.quantity;
    this.finish(w);
    if (remaining <= 0) {
      this.reports.canceled(order, b.lastTs, 'replaced: a sibling fill left nothing to work');
      return true;
    }
    const only = (Object.keys(changes) as (keyof OrderChanges)[]).filter((k) => changes[k] !== undefined);
    const next = replacement(w, t, remaining, Math.max(w.activeAfterTs, b.lastTs, this.lastBarTs));
    if (only.length === 1 && only[0] === 'quantity' && t.quantity < order.quantity) {
      // A pure decrease keeps its place in the queue and its activation.
      const i = b.working.indexOf(w);
      b.working[i] = { ...next, activeAfterTs: w.activeAfterTs };
    } else {
      b.working.push(next);
    }
    this.reports.replaced(order, this.now());
    return true;
  }

  cancelAll(symbol?: string): number {
    let n = 0;
    for (const b of this.books.values()) {
      if (symbol !== undefined && b.instrument.symbol !== symbol) continue;
      for (const w of [...b.working]) if (!w.done && this.cancel(w.order)) n++;
    }
    return n;
  }

  workingOrders(): Promise<readonly VenueOrderState[]> {
    const out: VenueOrderState[] = [];
    for (const b of this.books.values()) for (const w of b.working) if (!w.done) out.push(venueOrderState(w));
    return Promise.resolve(out);
  }

  async lookup(clientOrderId: string): Promise<VenueOrderState | null> {
    return (await this.workingOrders()).find((w) => w.clientOrderId === clientOrderId) ?? null;
  }

  onQuote(q: Quote): void {
    this.book(q.symbol).spreadPu = toPu(q.ask) - toPu(q.bid);
  }

  /** Meets the working orders of the bar's symbol with the bar, then records it as the latest bar. */
  onBar(bar: Bar): void {
    const b = this.book(bar.symbol);
    if (bar.ts > this.lastBarTs) this.lastBarTs = bar.ts;
    b.hasBar = true;
    b.open = bar.open;
    b.high = bar.high;
    b.low = bar.low;
    b.close = bar.close;
    b.lastTs = bar.ts;
    b.lastVolume = bar.volume;
    b.capacity = this.config.volumeLimitPct > 0 ? Math.floor((bar.volume * this.config.volumeLimitPct) / 100) : Infinity;
    if (b.working.length > 0) this.meetBar(b, bar.ts, this.lastBarPu(b, this.barPu));
  }

  private meetBar(b: SymbolBook, ts: number, bar: BarPu): void {
    const list = b.working;
    // Orders added while this bar is processed (bracket exits) are not yet active: iterate the snapshot.
    const n = list.length;
    for (let i = 0; i < n; i++) {
      const w = list[i] as WorkingOrder;
      if (w.done || ts <= w.activeAfterTs) continue;
      this.meetOrder(b, w, ts, bar);
    }
    let k = 0;
    for (let i = 0; i < list.length; i++) {
      const w = list[i] as WorkingOrder;
      if (!w.done) list[k++] = w;
    }
    list.length = k;
  }

  private meetOrder(b: SymbolBook, w: WorkingOrder, ts: number, bar: BarPu): void {
    const o = w.order;
    if (o.tif === 'DAY' && this.config.dayOrderClose !== undefined) {
      // sessionDay holds the session's close time here: set when the order first meets a bar.
      if (Number.isNaN(w.sessionDay)) w.sessionDay = this.config.dayOrderClose(ts, o.symbol) ?? Infinity;
      if (ts >= w.sessionDay) {
        this.finish(w);
        this.reports.expired(o, ts);
        return;
      }
    } else if (o.tif === 'DAY') {
      const day = localDayKey(ts, b.instrument.timeZone);
      if (Number.isNaN(w.sessionDay)) w.sessionDay = day;
      else if (day !== w.sessionDay) {
        this.finish(w);
        this.reports.expired(o, ts);
        return;
      }
    }
    const price = ts === w.closeAtTs ? bar.close : this.rulePrice(w, bar);
    const before = w.remaining;
    if (!Number.isNaN(price) && !this.losesOco(b, w, bar)) this.fill(b, w, price, this.isTaker(w), ts, bar);
    if (!w.done) this.afterBar(w, bar, w.remaining !== before);
    if (!w.done && (o.tif === 'IOC' || o.tif === 'FOK')) this.cancelUnfilled(w, ts);
  }

  /** The rule price for this bar, or NaN when the order does not fill on it. */
  private rulePrice(w: WorkingOrder, bar: BarPu): number {
    const o = w.order;
    switch (o.type) {
      case 'market':
        return bar.open;
      case 'limit':
        return limitFill(o.side, w.limitPu, bar);
      case 'stop':
        return stopFill(o.side, w.stopPu, bar);
      case 'stop-limit': {
        const r = stopLimitFill(o.side, w.stopPu, w.limitPu, w.triggered, bar);
        w.pendingTrigger = r.triggered;
        return r.price;
      }
      case 'trailing-stop':
        return Number.isNaN(w.trailStopPu) ? NaN : stopFill(o.side, w.trailStopPu, bar);
    }
  }

  private isTaker(w: WorkingOrder): boolean {
    const t = w.order.type;
    return t === 'market' || t === 'stop' || t === 'trailing-stop';
  }

  /** An OCO leg that could fill yields to a sibling that also fills this bar and wins ties by config. */
  private losesOco(b: SymbolBook, w: WorkingOrder, bar: BarPu): boolean {
    const group = w.order.ocoGroup;
    if (group === null) return false;
    const winner = this.config.ocoBothFill;
    if (w.order.role === winner) return false;
    for (const s of b.working) {
      if (s === w || s.done || s.order.ocoGroup !== group || s.order.role !== winner) continue;
      if (b.lastTs <= s.activeAfterTs) continue;
      const saved = s.pendingTrigger;
      const p = this.rulePrice(s, bar);
      s.pendingTrigger = saved;
      if (!Number.isNaN(p)) return true;
    }
    return false;
  }

  /**
   * Stop-limit triggers and trailing references change only after the bar (the stop never moves inside a
   * bar), and the trailing reference only after a bar without a fill.
   */
  private afterBar(w: WorkingOrder, bar: BarPu, filledThisBar: boolean): void {
    if (w.order.type === 'stop-limit') w.triggered = w.triggered || w.pendingTrigger;
    if (w.order.type === 'trailing-stop' && !filledThisBar) {
      const ref = Number.isNaN(w.refPu) ? bar.close : nextTrailReference(w.order.side, w.refPu, bar);
      if (ref !== w.refPu) {
        w.refPu = ref;
        updateTrailStop(w);
      }
    }
  }

  private fill(b: SymbolBook, w: WorkingOrder, rulePricePu: number, taker: boolean, ts: number, bar: BarPu): void {
    const o = w.order;
    const qty = Math.min(w.remaining, b.capacity);
    if (o.tif === 'FOK' && qty < w.remaining) return;
    if (qty <= 0) return;
    const price = taker ? this.slipped(b, o.side, rulePricePu, qty, bar) : rulePricePu;
    b.capacity -= qty;
    w.remaining -= qty;
    const first = !w.filledOnce;
    w.filledOnce = true;
    const notional = notionalPu(qty, price);
    const commissionPu = this.config.commission.commissionPu({ quantity: qty, pricePu: price, notionalPu: notional, firstFillOfOrder: first, ts });
    const fill: Fill = {
      orderId: o.id,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      quantity: qty,
      price: puToNumber(price),
      pricePu: price,
      commissionPu: Number(commissionPu),
      slippagePu: Math.abs(price - rulePricePu) * qty,
      ts,
      liquidity: taker ? 'taker' : 'maker',
      strategyId: o.strategyId,
    };
    if (w.remaining === 0) this.finish(w);
    this.reports.filled(o, fill);
    if (o.ocoGroup !== null) {
      if (w.done) this.cancelSiblings(b, w, ts);
      else this.shrinkSiblings(b, w);
    }
  }

  private slipped(b: SymbolBook, side: 'buy' | 'sell', pricePu: number, qty: number, bar: BarPu): number {
    const slip = this.config.slippage.slippagePu({
      side,
      pricePu,
      quantity: qty,
      barVolume: b.lastVolume,
      tickPu: b.tickPu,
      spreadPu: b.spreadPu,
    });
    if (slip === 0) return pricePu;
    // Slippage never moves a fill outside the bar's traded range.
    return side === 'buy' ? Math.min(pricePu + slip, Math.max(bar.high, pricePu)) : Math.max(pricePu - slip, Math.min(bar.low, pricePu));
  }

  private cancelSiblings(b: SymbolBook, w: WorkingOrder, ts: number): void {
    for (const s of b.working) {
      if (s !== w && !s.done && s.order.ocoGroup === w.order.ocoGroup) {
        this.finish(s);
        this.reports.canceled(s.order, ts, `OCO: ${w.order.role ?? 'sibling'} #${w.order.id} filled`);
      }
    }
  }

  /** A partly filled OCO leg leaves its siblings only what is still unfilled, so the group never over-fills. */
  private shrinkSiblings(b: SymbolBook, w: WorkingOrder): void {
    for (const s of b.working) {
      if (s !== w && !s.done && s.order.ocoGroup === w.order.ocoGroup && s.remaining > w.remaining) s.remaining = w.remaining;
    }
  }

  private finish(w: WorkingOrder): void {
    w.done = true;
  }
}
