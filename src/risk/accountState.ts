// Builds the PreTradeState for one order from the live account: positions, working orders (each OCO group
// counted once, by its largest leg) and, only when a configured limit needs them, the optional fields.

import type { Order } from '../model/types.js';
import type { Portfolio } from '../portfolio/portfolio.js';
import type { StateNeeds } from './checks/index.js';
import { exposurePrice, type HeldCorrelation, type PreTradeState } from './checks/types.js';
import type { CloseSeries } from './correlation.js';

export interface RiskSources {
  readonly portfolio: Portfolio;
  /** Symbols with a non-zero position (kept by the risk engine from fills when a check needs them). */
  heldSymbols?: () => Iterable<string>;
  openOrders(): readonly Order[];
  lastPrice(symbol: string): number;
  history(symbol: string): CloseSeries | undefined;
  timeZone(symbol: string): string;
  now(): number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type StateDraft = Mutable<PreTradeState>;

const isExit = (o: Order): boolean => o.role === 'take-profit' || o.role === 'stop-loss';

/** The working orders as the checks see them, in one pass. */
function scanOrders(src: RiskSources, symbol: string, needs: StateNeeds, groups: ReadonlyMap<string, string>, s: StateDraft, opening: Set<string> | null): void {
  const group = needs.group ? groups.get(symbol) : undefined;
  let ocoSeen: Map<string, number> | null = null;
  /** Quantity of working orders per symbol that reduce its position (allocated only when there are any). */
  let reducing: Map<string, number> | null = null;
  for (const o of src.openOrders()) {
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
    const held = same ? s.position : src.portfolio.quantity(o.symbol);
    if (!isExit(o)) {
      if (o.side === 'buy' ? held >= 0 : held <= 0) committed = remaining;
      else {
        reducing ??= new Map<string, number>();
        const used = reducing.get(o.symbol) ?? 0;
        reducing.set(o.symbol, used + remaining);
        committed = Math.max(0, used + remaining - Math.abs(held)) - Math.max(0, used - Math.abs(held));
      }
    }
    if (committed === 0 && !needs.pendingNotional) continue;
    const price = exposurePrice(o.side, o.limitPrice, o.stopPrice, src.lastPrice(o.symbol));
    if (!Number.isFinite(price)) continue;
    if (needs.pendingNotional) {
      if (o.side === 'buy') s.pendingBuyNotional = (s.pendingBuyNotional ?? 0) + remaining * price;
      else s.pendingSellNotional = (s.pendingSellNotional ?? 0) + remaining * price;
    }
    if (committed === 0) continue;
    s.pendingExposure += committed * price;
    if (group !== undefined && groups.get(o.symbol) === group) s.groupExposure = (s.groupExposure ?? 0) + committed * price;
    if (opening !== null && held === 0 && !same) opening.add(o.symbol);
  }
}

/** Net exposure, symbols held and the group's exposure, from the open positions. */
function scanPositions(src: RiskSources, symbol: string, needs: StateNeeds, groups: ReadonlyMap<string, string>, s: StateDraft, opening: Set<string> | null): void {
  const group = needs.group ? groups.get(symbol) : undefined;
  const p = src.portfolio;
  let net = 0;
  for (const held of heldSymbols(src)) {
    const signed = p.quantity(held) * p.lastPrice(held);
    net += signed;
    if (group !== undefined && groups.get(held) === group) s.groupExposure = (s.groupExposure ?? 0) + Math.abs(signed);
    if (opening !== null && held !== symbol) opening.add(held);
  }
  if (needs.netExposure) s.netExposure = net;
  if (opening !== null) s.otherPositions = opening.size;
  if (group !== undefined) {
    s.group = group;
    s.groupExposure ??= 0;
  }
}

function heldSymbols(src: RiskSources): Iterable<string> {
  return src.heldSymbols?.() ?? src.portfolio.openPositionReports().map((r) => r.symbol);
}

export function buildAccountState(src: RiskSources, symbol: string, needs: StateNeeds, groups: ReadonlyMap<string, string>): StateDraft {
  const p = src.portfolio;
  const s: StateDraft = {
    equity: p.equity(),
    cash: p.cash(),
    position: p.quantity(symbol),
    pendingBuy: 0,
    pendingSell: 0,
    price: src.lastPrice(symbol),
    grossExposure: p.grossExposure(),
    pendingExposure: 0,
    openOrders: src.openOrders().length,
  };
  if (needs.pendingNotional) {
    s.pendingBuyNotional = 0;
    s.pendingSellNotional = 0;
  }
  const opening = needs.positionCount ? new Set<string>() : null;
  scanOrders(src, symbol, needs, groups, s, opening);
  if (!Number.isFinite(s.pendingExposure)) s.pendingExposure = 0;
  if (needs.netExposure || needs.positionCount || needs.group) scanPositions(src, symbol, needs, groups, s, opening);
  if (needs.clock) {
    s.now = src.now();
    s.timeZone = src.timeZone(symbol);
  }
  return s;
}

interface PairCorrelation {
  /** Times of the newest bar of each symbol when computed: a new bar of either recomputes it. */
  aTime: number;
  bTime: number;
  lookback: number;
  value: number | null;
}

/** Correlation of `symbol` with every other held symbol; each pair recomputed only when a new bar arrives. */
export class CorrelationCache {
  private readonly pairs = new Map<string, Map<string, PairCorrelation>>();

  constructor(private readonly compute: (a: CloseSeries, b: CloseSeries, lookback: number) => number | null) {}

  correlations(src: RiskSources, symbol: string, lookback: number): HeldCorrelation[] {
    const out: HeldCorrelation[] = [];
    const mine = src.history(symbol);
    if (mine === undefined || mine.length === 0) return out;
    let row = this.pairs.get(symbol);
    if (row === undefined) {
      row = new Map<string, PairCorrelation>();
      this.pairs.set(symbol, row);
    }
    for (const held of heldSymbols(src)) {
      if (held === symbol) continue;
      const other = src.history(held);
      if (other === undefined || other.length === 0) continue;
      const aTime = mine.time(0);
      const bTime = other.time(0);
      let c = row.get(held);
      if (c === undefined || c.aTime !== aTime || c.bTime !== bTime || c.lookback !== lookback) {
        c = { aTime, bTime, lookback, value: this.compute(mine, other, lookback) };
        row.set(held, c);
      }
      if (c.value !== null) out.push({ symbol: held, value: c.value });
    }
    return out;
  }
}
