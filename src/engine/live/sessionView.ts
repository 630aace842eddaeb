// The narrow view of a trading session that the outside (API routes, WebSocket, metrics) reads and acts through:
// account, positions, orders, strategies, risk and status, and act(action) for every change. Nothing outside
// the engine reaches into the session's kernel, so the session can change its insides (venue, step loop)
// without touching a route.

import type { MessageBus } from '../../core/bus.js';
import type { RiskDenial, RiskSnapshot } from '../../model/events.js';
import type { TimeframeSpec } from '../../model/timeframe.js';
import type { ClosedTrade, Order, PositionView } from '../../model/types.js';
import { MANUAL_ORDERS, type PositionMode } from '../../portfolio/strategyPositions.js';
import type { AllocationConfig } from '../../risk/allocation/config.js';
import type { Rebalance, StrategyAllocation } from '../../risk/allocation/allocator.js';
import type { KillSwitchState } from '../../risk/killSwitch.js';
import type { RiskConfig } from '../../risk/config.js';
import type { RiskLimits } from '../../risk/limits.js';
import type { BarHistory } from '../../strategy/api.js';
import type { ActionOutcome, SessionAction, StrategyResolver } from './sessionActions.js';
import type { PortfolioSummary, SessionStatus, TradingSessionEvents } from './sessionEvents.js';
import type { StrategyInstance, TradingSession } from './tradingSession.js';

export type { StrategyInstance } from './tradingSession.js';

/** A position attributed to its owner: a strategy instance id, or `manual` for orders placed by hand. */
export interface StrategyPositionRow extends PositionRow {
  readonly strategy: string;
}

export interface PositionRow {
  readonly symbol: string;
  readonly quantity: number;
  readonly avgPrice: number;
  readonly lastPrice: number | null;
  readonly marketValue: number | null;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
}

/** The equity curve, one point per step: time, equity after the step, and whether a position was open. */
export interface EquityCurve {
  readonly ts: readonly number[];
  readonly equity: readonly number[];
  readonly inMarket: readonly number[];
}

export interface AccountAllocation {
  readonly equity: number;
  readonly cash: number;
  readonly bySymbol: readonly { symbol: string; marketValue: number | null; weight: number }[];
  readonly byStrategy: readonly { strategy: string; marketValue: number; weight: number }[];
}

export interface AllocationPolicyView {
  readonly config: AllocationConfig | null;
  readonly equity: number;
  readonly strategies: readonly StrategyAllocation[];
  readonly lastRebalance: Rebalance | null;
}

export interface SessionView {
  readonly id: string;
  readonly startingCash: number;
  readonly baseTimeframe: TimeframeSpec;
  /** Kernel events once the session is live, its status and a portfolio summary every step. */
  readonly events: Pick<MessageBus<TradingSessionEvents>, 'subscribe'>;
  status(): SessionStatus;
  // Account
  account(): PortfolioSummary;
  equity(): number;
  cash(): number;
  curve(): EquityCurve;
  positions(): PositionRow[];
  /** Positions by who opened them (flat ones with realized P&L kept); `mode`: whose position a strategy acts on. */
  positionsByStrategy(): { mode: PositionMode; items: StrategyPositionRow[] };
  trades(): readonly ClosedTrade[];
  totals(): { commissions: number; slippage: number; tradedNotional: number };
  allocation(): AccountAllocation;
  allocationPolicy(): AllocationPolicyView;
  // Orders
  orders(): readonly Order[];
  openOrders(): readonly Order[];
  order(id: number): Order | undefined;
  orderByClientId(clientOrderId: string): Order | undefined;
  // Strategies
  strategies(): readonly StrategyInstance[];
  strategyPnl(id: string): { pnl: number; marketValue: number; fills: number };
  resolveStrategy: StrategyResolver;
  // Risk
  riskLimits(): { global: RiskLimits; config: RiskConfig };
  killSwitch(): KillSwitchState;
  riskSnapshot(): RiskSnapshot | null;
  /** The most recent denials, newest first. */
  recentDenials(n: number): RiskDenial[];
  // Market data the session has seen
  symbols(): string[];
  history(symbol: string): BarHistory;
  // Acting
  /** Applies an action between steps; it is recorded and replayed on restart (docs/decisions/0005). */
  act(action: SessionAction): Promise<ActionOutcome>;
  /** Starts (or resumes) pacing through the feed. */
  resume(): void;
  /** Stops pacing and waits for the step in flight and its write. */
  pause(): Promise<void>;
  setStepInterval(ms: number): void;
}

function positionRow(v: PositionView): PositionRow {
  const last = Number.isFinite(v.lastPrice) ? v.lastPrice : null;
  return {
    symbol: v.symbol,
    quantity: v.quantity,
    avgPrice: v.avgPrice,
    lastPrice: last,
    marketValue: last === null ? null : v.quantity * last,
    realizedPnl: v.realizedPnl,
    unrealizedPnl: v.unrealizedPnl,
  };
}

function positionsOf(s: TradingSession): PositionRow[] {
  const k = s.kernel;
  return k.market.symbols().map((symbol) => positionRow(k.portfolio.view(symbol)));
}

function positionsByStrategyOf(s: TradingSession): { mode: PositionMode; items: StrategyPositionRow[] } {
  const k = s.kernel;
  const items = k.attribution.rows(k.market.symbols()).map((r) => ({ strategy: r.owner === MANUAL_ORDERS ? 'manual' : r.owner, ...positionRow(r) }));
  return { mode: k.positionMode, items };
}

function allocationOf(s: TradingSession): AccountAllocation {
  const k = s.kernel;
  const equity = k.portfolio.equity();
  const bySymbol = positionsOf(s)
    .filter((p) => p.quantity !== 0)
    .map((p) => ({ symbol: p.symbol, marketValue: p.marketValue, weight: equity === 0 ? 0 : Number(p.marketValue ?? 0) / equity }));
  const books = k.attribution;
  const byStrategy = books.owners().map((id) => {
    const value = books.marketValue(id);
    return { strategy: id === MANUAL_ORDERS ? 'manual' : id, marketValue: value, weight: equity === 0 ? 0 : value / equity };
  });
  return { equity, cash: k.portfolio.cash(), bySymbol, byStrategy };
}

function allocationPolicyOf(s: TradingSession): AllocationPolicyView {
  const a = s.kernel.allocator;
  return { config: a?.config ?? null, equity: s.kernel.portfolio.equity(), strategies: a?.allocations() ?? [], lastRebalance: a?.rebalances.at(-1) ?? null };
}

/** The view of one trading session; reads go to the session's current state, so a view never goes stale. */
export function sessionView(s: TradingSession): SessionView {
  const k = s.kernel;
  const led = s.ledger;
  return {
    id: s.config.id,
    startingCash: s.config.cash,
    baseTimeframe: s.baseTimeframe,
    events: s.events,
    status: () => s.status(),
    account: () => led.summary(),
    equity: () => k.portfolio.equity(),
    cash: () => k.portfolio.cash(),
    curve: () => ({ ts: led.curveTs, equity: led.curveEquity, inMarket: led.inMarket }),
    positions: () => positionsOf(s),
    positionsByStrategy: () => positionsByStrategyOf(s),
    trades: () => k.portfolio.trades,
    totals: () => k.portfolio.totals(),
    allocation: () => allocationOf(s),
    allocationPolicy: () => allocationPolicyOf(s),
    orders: () => k.oms.all(),
    openOrders: () => [...k.oms.openOrders()],
    order: (id) => k.oms.get(id),
    orderByClientId: (cid) => k.oms.byClientId(cid),
    strategies: () => s.strategyInstances(),
    strategyPnl: (id) => led.strategyPnl(id),
    resolveStrategy: (ref) => s.resolveStrategy(ref),
    riskLimits: () => ({ global: k.risk.profiles.global.limits, config: k.risk.profiles.config }),
    killSwitch: () => k.risk.killSwitch.current,
    riskSnapshot: () => led.lastRiskSnapshot,
    recentDenials: (n) => k.denials.slice(-n).reverse(),
    symbols: () => k.market.symbols(),
    history: (symbol) => k.market.history(symbol),
    act: (action) => s.act(action),
    resume: () => s.start(),
    pause: () => s.stop(),
    setStepInterval: (ms) => s.setStepInterval(ms),
  };
}
