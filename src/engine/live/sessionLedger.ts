// A session's bookkeeping beside the kernel: which orders and fills changed since the last write, the
// equity curve step by step, and the portfolio summary (cash, equity, day P&L) the API shows.

import type { RiskSnapshot } from '../../model/events.js';
import type { Fill, Order } from '../../model/types.js';
import type { Kernel } from '../kernel.js';
import type { PortfolioSummary } from './sessionEvents.js';
import type { AccountSnapshot } from './sessionStore.js';

const DAY_MS = 86_400_000;

export interface DirtyState {
  /** Orders changed since the last write, in id order (parents before their children). */
  readonly orders: Order[];
  readonly fills: Fill[];
  /** The session-wide number of `fills[0]`: the fills handed over are always the run that follows the last stored. */
  readonly firstFillNo: number;
  readonly snapshot: AccountSnapshot | null;
}

export class SessionLedger {
  lastOrderUpdate: Order | null = null;
  /** Time and equity at the close of each step. */
  readonly curveTs: number[] = [];
  readonly curveEquity: number[] = [];
  /** 1 where a position was open at the step's close. */
  readonly inMarket: number[] = [];
  lastRiskSnapshot: RiskSnapshot | null = null;
  private dirtyOrders = new Map<number, Order>();
  private fills: Fill[] = [];
  /** Fills the session has made since it began (recovery re-makes them, so the count is the same after a restart). */
  private fillCount = 0;
  private snapshotDue = false;
  private day = NaN;
  private dayStartEquity: number;
  private readonly listeners: ((p: PortfolioSummary) => void)[] = [];

  constructor(
    private readonly kernel: Kernel,
    private readonly startingCash: number,
  ) {
    this.dayStartEquity = startingCash;
    kernel.bus.subscribe('orderUpdated', (o) => {
      this.lastOrderUpdate = o;
      this.dirtyOrders.set(o.id, o);
    });
    kernel.bus.subscribe('orderFilled', (f) => {
      this.fills.push(f);
      this.fillCount++;
    });
    kernel.bus.subscribe('riskSnapshot', (r) => (this.lastRiskSnapshot = r));
  }

  get stepCount(): number {
    return this.curveTs.length;
  }

  onStep(listener: (p: PortfolioSummary) => void): void {
    this.listeners.push(listener);
  }

  stepClosed(ts: number): void {
    const day = Math.floor(ts / DAY_MS);
    const last = this.curveEquity[this.curveEquity.length - 1];
    if (day !== this.day) {
      if (last !== undefined) this.dayStartEquity = last;
      this.day = day;
    }
    this.curveTs.push(ts);
    this.curveEquity.push(this.kernel.portfolio.equity());
    this.inMarket.push(this.kernel.portfolio.hasOpenPositions() ? 1 : 0);
    this.snapshotDue = true;
    if (this.listeners.length > 0) {
      const p = this.summary();
      for (const l of this.listeners) l(p);
    }
  }

  summary(): PortfolioSummary {
    const pf = this.kernel.portfolio;
    const cash = pf.cash();
    const equity = pf.equity();
    let realized = 0;
    let unrealized = 0;
    let open = 0;
    for (const symbol of this.kernel.market.symbols()) {
      const v = pf.view(symbol);
      realized += v.realizedPnl;
      unrealized += v.unrealizedPnl;
      if (v.quantity !== 0) open++;
    }
    const n = this.curveTs.length;
    return {
      ts: n > 0 ? (this.curveTs[n - 1] as number) : NaN,
      step: n,
      startingCash: this.startingCash,
      cash,
      equity,
      positionsValue: equity - cash,
      dayPnl: equity - this.dayStartEquity,
      realizedPnl: realized,
      unrealizedPnl: unrealized,
      openPositions: open,
    };
  }

  /** A strategy's mark-to-market P&L (null: the manual orders), from the kernel's exact book of its own fills. */
  strategyPnl(strategyId: string | null): { pnl: number; marketValue: number; fills: number } {
    const books = this.kernel.attribution;
    return { pnl: books.pnl(strategyId), marketValue: books.marketValue(strategyId), fills: books.fills(strategyId) };
  }

  /** Hands over (and forgets) what changed since the last call. */
  takeDirty(): DirtyState {
    const orders = [...this.dirtyOrders.values()].sort((a, b) => a.id - b.id).map((o) => ({ ...o }));
    const fills = this.fills;
    this.dirtyOrders = new Map();
    this.fills = [];
    let snapshot: AccountSnapshot | null = null;
    if (this.snapshotDue) {
      const s = this.summary();
      snapshot = { ts: s.ts, cash: s.cash, equity: s.equity, realizedPnl: s.realizedPnl, unrealizedPnl: s.unrealizedPnl };
      this.snapshotDue = false;
    }
    return { orders, fills, firstFillNo: this.fillCount - fills.length, snapshot };
  }

  /** Takes back what a failed write carried; changes made since stay newer. */
  restoreDirty(d: DirtyState): void {
    for (const o of d.orders) if (!this.dirtyOrders.has(o.id)) this.dirtyOrders.set(o.id, o);
    this.fills = [...d.fills, ...this.fills];
    if (d.snapshot !== null) this.snapshotDue = true;
  }

  /** Marks orders changed, so the next write stores them (recovery: orders re-derived from actions whose orders write never landed). */
  markDirty(orders: readonly Order[]): void {
    for (const o of orders) this.dirtyOrders.set(o.id, o);
  }

  /** Orders the kernel holds that storage does not. */
  unstoredOrders(stored: ReadonlyMap<string, unknown>): Order[] {
    return this.kernel.oms.all().filter((o) => !stored.has(o.clientOrderId));
  }

  /**
   * Orders storage holds with another quantity or status than the kernel's: rows a crash left behind a modify's,
   * and orders the exchange accepted after the last write (a release changes them after their row was written).
   */
  laggingOrders(stored: ReadonlyMap<string, { readonly quantity: number; readonly status: string }>): Order[] {
    return this.kernel.oms.all().filter((o) => {
      const s = stored.get(o.clientOrderId);
      return s !== undefined && (s.quantity !== o.quantity || s.status !== o.status);
    });
  }

  /** Each order's quantity by client order id (what recovery compares before and after the last actions). */
  orderQuantities(): Map<string, number> {
    return new Map(this.kernel.oms.all().map((o) => [o.clientOrderId, o.quantity]));
  }

  /** The id the next order will get (ids count up from 1). */
  nextOrderId(): number {
    return this.kernel.oms.all().reduce((m, o) => Math.max(m, o.id), 0) + 1;
  }

  /**
   * Null when the kernel's orders are exactly the stored ones (same ids, symbols, sides, quantities), apart from
   * orders `mayBeUnstored` allows to be missing from storage.
   */
  compareOrders(
    stored: ReadonlyMap<string, { readonly symbol: string; readonly side: string; readonly quantity: number }>,
    mayBeUnstored: (o: Order) => boolean = () => false,
    mayLag: (o: Order) => boolean = () => false,
  ): string | null {
    const mine = this.kernel.oms.all();
    let unstored = 0;
    for (const o of mine) {
      const s = stored.get(o.clientOrderId);
      if (!s && mayBeUnstored(o)) {
        unstored++;
        continue;
      }
      if (!s) return `${o.clientOrderId} was re-derived but is not stored`;
      const lagging = s.quantity !== o.quantity && mayLag(o);
      if (s.symbol !== o.symbol || s.side !== o.side || (s.quantity !== o.quantity && !lagging)) {
        return `${o.clientOrderId} is stored as ${s.side} ${s.quantity} ${s.symbol} but re-derived as ${o.side} ${o.quantity} ${o.symbol}`;
      }
    }
    if (stored.size !== mine.length - unstored) return `${stored.size} orders are stored but ${mine.length - unstored} were re-derived`;
    return null;
  }
}
