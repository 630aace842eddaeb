// Builds the PreTradeState for one order from the live account: positions, working orders (each OCO group
// counted once, by its largest leg) and, only when a configured limit needs them, the optional fields. The
// state, the scratch maps and the correlation list are reused from order to order: the order path allocates
// nothing, and every figure is still read from the live account, so no cache can go stale.

import type { Order } from '../model/types.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { StateNeeds } from './checks/index.js';
import type { HeldCorrelation, PreTradeState } from './checks/types.js';
import type { CloseSeries } from './correlation.js';

export interface RiskSources {
  readonly portfolio: Portfolio;
  /** Symbols with a non-zero position (kept by the risk engine from fills when a check needs them). */
  heldSymbols?: () => readonly string[];
  openOrders(): readonly Order[];
  lastPrice(symbol: string): number;
  history(symbol: string): CloseSeries | undefined;
  timeZone(symbol: string): string;
  now(): number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type StateDraft = Mutable<PreTradeState>;

const isExit = (o: Order): boolean => o.role === 'take-profit' || o.role === 'stop-loss';

function heldSymbols(src: RiskSources): readonly string[] {
  return src.heldSymbols?.() ?? src.portfolio.openPositionReports().map((r) => r.symbol);
}

/**
 * Every field present from the start, numbers as numbers, so the object keeps one shape and its number fields
 * are stored in place (a field that once held undefined boxes every number written to it afterwards).
 */
function emptyState(): StateDraft {
  return {
    equity: 0, cash: 0, position: 0, pendingBuy: 0, pendingSell: 0, price: 0, grossExposure: 0, pendingExposure: 0, openOrders: 0,
    killSwitchTripped: false, now: 0, timeZone: undefined, netExposure: 0, pendingBuyNotional: 0, pendingSellNotional: 0,
    ordersLastSecond: 0, ordersLastMinute: 0, ordersToday: 0, dayStartEquity: 0, peakEquity: 0, otherPositions: 0,
    group: undefined, groupExposure: 0, correlations: undefined,
  };
}

/**
 * What one build has read or summed for one symbol. Fields other than symbol and group are valid only while
 * `stamp` is the current build's: slots are stamped rather than cleared, because clearing (or growing) a
 * long-lived Map allocates its new table in the old generation, and that showed up as major GCs at p99.
 */
interface SymbolSlot {
  readonly symbol: string;
  /** The symbol's group in the config (slots are dropped when the groups change). */
  readonly group: string | undefined;
  stamp: number;
  held: number;
  hasHeld: boolean;
  last: number;
  hasLast: boolean;
  /** Quantity of working orders that reduce the symbol's position. */
  reducing: number;
  /** Counted in otherPositions. */
  opening: boolean;
}

/**
 * One per risk engine. build() returns the same object each time: read it before the next order. An optional
 * field is written only when the order's pipeline needs it (StateNeeds); the others keep whatever an earlier
 * order left, which no check of this pipeline reads (each need belongs to the checks that read it).
 */
export class AccountStateBuilder {
  private readonly s = emptyState();
  private slots = new Map<string, SymbolSlot>();
  private slotsGroups: ReadonlyMap<string, string> | null = null;
  /** The slot used last: working orders come in runs of one symbol (an entry and its exits, a ladder). */
  private lastSlot: SymbolSlot | null = null;
  private stamp = 0;
  /** Symbols other than the order's held or being opened (for maxPositions). */
  private opening = 0;

  build(src: RiskSources, symbol: string, needs: StateNeeds, groups: ReadonlyMap<string, string>): StateDraft {
    const p = src.portfolio;
    const s = this.s;
    const orders = src.openOrders();
    s.equity = p.equity();
    s.cash = p.cash();
    s.position = p.quantity(symbol);
    s.pendingBuy = 0;
    s.pendingSell = 0;
    s.price = src.lastPrice(symbol);
    s.grossExposure = p.grossExposure();
    s.pendingExposure = 0;
    s.openOrders = orders.length;
    s.killSwitchTripped = false;
    s.correlations = undefined;
    if (needs.pendingNotional) {
      s.pendingBuyNotional = 0;
      s.pendingSellNotional = 0;
    }
    const group = needs.group ? groups.get(symbol) : undefined;
    if (needs.group) {
      s.group = group;
      s.groupExposure = 0;
    }
    // A new build: whatever the slots hold is from an earlier account and is not used.
    this.stamp++;
    this.opening = 0;
    if (groups !== this.slotsGroups) {
      this.slots = new Map<string, SymbolSlot>();
      this.slotsGroups = groups;
      this.lastSlot = null;
    }
    const own = this.slotOf(symbol);
    own.held = s.position;
    own.hasHeld = true;
    own.last = s.price;
    own.hasLast = true;
    const opening = needs.positionCount;
    this.scanOrders(src, orders, symbol, needs, group, opening);
    if (!Number.isFinite(s.pendingExposure)) s.pendingExposure = 0;
    if (needs.netExposure || needs.positionCount || needs.group) this.scanPositions(src, symbol, needs, group, opening);
    if (needs.clock) {
      s.now = src.now();
      s.timeZone = src.timeZone(symbol);
    }
    return s;
  }

  private slotOf(symbol: string): SymbolSlot {
    let x = this.lastSlot;
    if (x === null || x.symbol !== symbol) {
      x = this.slots.get(symbol) ?? this.newSlot(symbol);
      this.lastSlot = x;
    }
    if (x.stamp !== this.stamp) {
      x.stamp = this.stamp;
      x.hasHeld = false;
      x.hasLast = false;
      x.reducing = 0;
      x.opening = false;
    }
    return x;
  }

  private newSlot(symbol: string): SymbolSlot {
    const x: SymbolSlot = { symbol, group: this.slotsGroups?.get(symbol), stamp: 0, held: 0, hasHeld: false, last: NaN, hasLast: false, reducing: 0, opening: false };
    this.slots.set(symbol, x);
    return x;
  }

  private heldIn(src: RiskSources, x: SymbolSlot): number {
    if (!x.hasHeld) {
      x.held = src.portfolio.quantity(x.symbol);
      x.hasHeld = true;
    }
    return x.held;
  }

  private lastIn(src: RiskSources, x: SymbolSlot): number {
    if (!x.hasLast) {
      x.last = src.lastPrice(x.symbol);
      x.hasLast = true;
    }
    return x.last;
  }

  /** The order's exposure price (exposurePrice), reading the last price only when it decides. */
  private orderPrice(src: RiskSources, o: Order, x: SymbolSlot): number {
    const limit = o.limitPrice;
    if (limit !== null && limit !== undefined) {
      if (o.side === 'buy') return limit;
      const last = this.lastIn(src, x);
      return limit < last ? last : limit;
    }
    return o.stopPrice ?? this.lastIn(src, x);
  }

  /** Counts a symbol once per build towards otherPositions (a Set's add, without the Set). */
  private addOpening(x: SymbolSlot): void {
    if (x.opening) return;
    x.opening = true;
    this.opening++;
  }

  /** The working orders as the checks see them, in one pass. */
  private scanOrders(src: RiskSources, orders: readonly Order[], symbol: string, needs: StateNeeds, group: string | undefined, opening: boolean): void {
    const s = this.s;
    // OCO groups are new for every bracket, so this map is made per order (young, short-lived), when needed.
    let ocoSeen: Map<string, number> | null = null;
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i] as Order;
      let remaining = o.quantity - o.filledQuantity;
      if (o.ocoGroup !== null) {
        ocoSeen ??= new Map<string, number>();
        const seen = ocoSeen.get(o.ocoGroup) ?? 0;
        ocoSeen.set(o.ocoGroup, Math.max(seen, remaining));
        remaining = Math.max(0, remaining - seen);
      }
      const same = o.symbol === symbol;
      if (same) {
        if (o.side === 'buy') s.pendingBuy += remaining;
        else s.pendingSell += remaining;
      }
      // Exits only ever reduce a position; other orders on the side that grows it commit exposure, and so does
      // the part of reducing orders that would carry the position through flat (a reversal).
      let committed = 0;
      let held = 0;
      const x = this.slotOf(o.symbol);
      if (!isExit(o)) {
        held = same ? s.position : this.heldIn(src, x);
        if (o.side === 'buy' ? held >= 0 : held <= 0) committed = remaining;
        else {
          const used = x.reducing;
          x.reducing = used + remaining;
          committed = Math.max(0, used + remaining - Math.abs(held)) - Math.max(0, used - Math.abs(held));
        }
      }
      if (committed === 0 && !needs.pendingNotional) continue;
      const price = this.orderPrice(src, o, x);
      if (!Number.isFinite(price)) continue;
      if (needs.pendingNotional) {
        if (o.side === 'buy') s.pendingBuyNotional = (s.pendingBuyNotional ?? 0) + remaining * price;
        else s.pendingSellNotional = (s.pendingSellNotional ?? 0) + remaining * price;
      }
      if (committed === 0) continue;
      s.pendingExposure += committed * price;
      if (group !== undefined && x.group === group) s.groupExposure = (s.groupExposure ?? 0) + committed * price;
      if (opening && held === 0 && !same) this.addOpening(x);
    }
  }

  /** Net exposure, symbols held and the group's exposure, from the open positions. */
  private scanPositions(src: RiskSources, symbol: string, needs: StateNeeds, group: string | undefined, opening: boolean): void {
    const s = this.s;
    const p = src.portfolio;
    const slots = group !== undefined || opening;
    let net = 0;
    const list = heldSymbols(src);
    for (let i = 0; i < list.length; i++) {
      const held = list[i] as string;
      const x = slots ? this.slotOf(held) : null;
      const signed = (x === null ? p.quantity(held) : this.heldIn(src, x)) * p.lastPrice(held);
      net += signed;
      if (x === null) continue;
      if (group !== undefined && x.group === group) s.groupExposure = (s.groupExposure ?? 0) + Math.abs(signed);
      if (opening && held !== symbol) this.addOpening(x);
    }
    if (needs.netExposure) s.netExposure = net;
    if (opening) s.otherPositions = this.opening;
  }
}

interface PairCorrelation {
  /** Times of the newest bar of each symbol when computed: a new bar of either recomputes it. */
  readonly aTime: number;
  readonly bTime: number;
  readonly lookback: number;
  /** What the check sees (null: not judged, too short or flat); kept, so an unchanged pair allocates nothing. */
  readonly held: HeldCorrelation | null;
}

/** Correlation of `symbol` with every other held symbol; each pair recomputed only when a new bar arrives. */
export class CorrelationCache {
  private readonly pairs = new Map<string, Map<string, PairCorrelation>>();
  /** Reused for every order: the checks read it before the next one is built. */
  private readonly out: HeldCorrelation[] = [];

  constructor(private readonly compute: (a: CloseSeries, b: CloseSeries, lookback: number) => number | null) {}

  correlations(src: RiskSources, symbol: string, lookback: number): readonly HeldCorrelation[] {
    const out = this.out;
    out.length = 0;
    const mine = src.history(symbol);
    if (mine === undefined || mine.length === 0) return out;
    let row = this.pairs.get(symbol);
    if (row === undefined) {
      row = new Map<string, PairCorrelation>();
      this.pairs.set(symbol, row);
    }
    const aTime = mine.time(0);
    const list = heldSymbols(src);
    for (let i = 0; i < list.length; i++) {
      const held = list[i] as string;
      if (held === symbol) continue;
      const other = src.history(held);
      if (other === undefined || other.length === 0) continue;
      const bTime = other.time(0);
      let c = row.get(held);
      if (c === undefined || c.aTime !== aTime || c.bTime !== bTime || c.lookback !== lookback) {
        const value = this.compute(mine, other, lookback);
        c = { aTime, bTime, lookback, held: value === null ? null : { symbol: held, value } };
        row.set(held, c);
      }
      if (c.held !== null) out.push(c.held);
    }
    return out;
  }
}
