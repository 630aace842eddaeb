// The capital allocator: splits the account's equity across strategies by a policy, recomputes the split on a
// schedule or when a strategy's weight drifts from its target, and keeps the per-strategy returns the policies
// read (from its own book of each strategy's fills, marked at each time-step close). Formulas: docs/risk.md.

import type { Fill, Order, OrderRequest } from '../../model/types.js';
import type { Denial } from '../checks/types.js';
import { checkAllocation } from './check.js';
import type { AllocationConfig } from './config.js';
import { MAX_ALLOCATION_LOOKBACK } from './lookback.js';
import { ALLOCATION_POLICIES } from './policies/index.js';
import { equalWeights, type StrategyTrack } from './policies/types.js';
import { RebalanceSchedule } from './schedule.js';
import { StrategyBook } from './strategyBook.js';

export interface AllocatorSources {
  equity(): number;
  cash(): number;
  lastPrice(symbol: string): number;
  /** Ids of the strategies the kernel hosts, in the order they were added. */
  strategies(): readonly string[];
  openOrders(): readonly Order[];
}

export interface Rebalance {
  readonly ts: number;
  readonly reason: string;
  /** False while the policy lacked history and equal weight was used. */
  readonly policyApplied: boolean;
  readonly targets: Readonly<Record<string, number>>;
}

export interface StrategyAllocation {
  readonly strategy: string;
  /** Share of equity allocated at the last rebalance. */
  readonly target: number;
  /** (capital at the last rebalance + P&L since) ÷ equity: what drift is measured on. */
  readonly weight: number;
  /** target × equity: what the strategy's sizer sees and RISK_ALLOCATION limits. */
  readonly capital: number;
  readonly grossExposure: number;
  readonly pnl: number;
  /** Step returns kept for the policy. */
  readonly history: number;
}

/** What a strategy's sizer sees instead of the account's equity and cash. */
export interface StrategyCapital {
  readonly equity: number;
  readonly cash: number;
}

const MAX_REBALANCES_KEPT = 50;

export class CapitalAllocator {
  readonly book = new StrategyBook();
  readonly rebalances: Rebalance[] = [];
  private cfg: AllocationConfig | null = null;
  private schedule: RebalanceSchedule | null = null;
  private targets = new Map<string, number>();
  private readonly returns = new Map<string, number[]>();
  private readonly lastPnl = new Map<string, number>();
  /** Capital each strategy's next step return is measured on. */
  private base = new Map<string, number>();
  private readonly capitalAtRebalance = new Map<string, number>();
  private readonly pnlAtRebalance = new Map<string, number>();

  constructor(private readonly src: AllocatorSources) {}

  get config(): AllocationConfig | null {
    return this.cfg;
  }

  /** A new configuration (null: no allocation, only tracking) takes effect now with a rebalance. */
  configure(config: AllocationConfig | null, ts: number): void {
    this.cfg = config;
    this.schedule = config === null ? null : new RebalanceSchedule(config.rebalance);
    if (config === null) this.targets = new Map();
    else this.rebalance(ts, 'configured');
  }

  filled(f: Fill): void {
    this.book.filled(f);
  }

  /** The strategies with an allocation. */
  allocated(): readonly string[] {
    if (this.cfg === null) return [];
    return this.cfg.strategies ?? this.src.strategies();
  }

  /** A strategy was added or removed: the split covers the new set at once. */
  strategiesChanged(ts: number): void {
    if (this.cfg !== null && this.cfg.strategies === undefined) this.rebalance(ts, 'strategies changed');
  }

  /** Marks every strategy at the close, records its step return, then rebalances if the schedule or drift says so. */
  timeStepClosed(ts: number): void {
    const price = (s: string): number => this.src.lastPrice(s);
    const ids = this.cfg === null ? this.src.strategies() : this.allocated();
    for (const id of ids) {
      const pnl = this.book.pnl(id, price);
      const prev = this.lastPnl.get(id);
      const base = this.base.get(id);
      if (prev !== undefined && base !== undefined && base > 0) {
        let r = this.returns.get(id);
        if (r === undefined) this.returns.set(id, (r = []));
        r.push((pnl - prev) / base);
        if (r.length > MAX_ALLOCATION_LOOKBACK * 2) r.splice(0, r.length - MAX_ALLOCATION_LOOKBACK);
      }
      this.lastPnl.set(id, pnl);
    }
    const schedule = this.schedule;
    if (schedule !== null) {
      const reason = schedule.due(ts) ?? this.drifted();
      if (reason !== null) this.rebalance(ts, reason);
    }
    this.setBases(ids);
  }

  /** Returns of the last step are measured on the capital allocated at its start (an equal share when none). */
  private setBases(ids: readonly string[]): void {
    const equity = this.src.equity();
    const share = ids.length === 0 ? 0 : equity / ids.length;
    this.base = new Map(ids.map((id) => [id, this.cfg === null ? share : (this.targets.get(id) ?? 0) * equity || share]));
    for (const id of ids) if (!this.lastPnl.has(id)) this.lastPnl.set(id, this.book.pnl(id, (s) => this.src.lastPrice(s)));
  }

  private drifted(): string | null {
    const max = this.cfg?.rebalance.driftPct;
    if (max === undefined) return null;
    for (const a of this.allocations()) {
      const d = Math.abs(a.weight - a.target);
      if (d > max / 100 + 1e-12) return `drift: ${a.strategy} at ${(a.weight * 100).toFixed(2)}% vs target ${(a.target * 100).toFixed(2)}%`;
    }
    return null;
  }

  /** New targets from the policy (equal weight while it lacks history), scaled by 1 − cash reserve. */
  private rebalance(ts: number, reason: string): void {
    const cfg = this.cfg;
    if (cfg === null) return;
    const ids = this.allocated();
    const tracks: StrategyTrack[] = ids.map((id) => ({ id, returns: this.returns.get(id) ?? [], trades: this.book.trades(id) }));
    const policy = ALLOCATION_POLICIES[cfg.policy];
    const fromPolicy = policy(tracks, { lookback: cfg.lookback, minHistory: cfg.minHistory ?? cfg.lookback, kelly: cfg.kelly });
    const weights = fromPolicy ?? equalWeights(ids.length);
    const investable = 1 - cfg.cashReservePct / 100;
    const equity = this.src.equity();
    const price = (s: string): number => this.src.lastPrice(s);
    this.targets = new Map(ids.map((id, i) => [id, (weights[i] ?? 0) * investable]));
    for (const id of ids) {
      this.capitalAtRebalance.set(id, (this.targets.get(id) ?? 0) * equity);
      this.pnlAtRebalance.set(id, this.book.pnl(id, price));
    }
    this.schedule?.reset(ts);
    this.rebalances.push({ ts, reason, policyApplied: fromPolicy !== null || cfg.policy === 'equal', targets: Object.fromEntries(this.targets) });
    if (this.rebalances.length > MAX_REBALANCES_KEPT) this.rebalances.shift();
    this.setBases(ids);
  }

  /** The allocated capital of a strategy, or null when it has none (no allocation, or not an allocated strategy). */
  capitalOf(strategyId: string): number | null {
    const t = this.targets.get(strategyId);
    return t === undefined ? null : t * this.src.equity();
  }

  /** Equity and cash for a strategy's sizer: its capital, and the part of it not in its positions (≤ account cash). */
  capitalFor(strategyId: string): StrategyCapital | null {
    const capital = this.capitalOf(strategyId);
    if (capital === null) return null;
    const used = this.book.grossExposure(strategyId, (s) => this.src.lastPrice(s));
    return { equity: capital, cash: Math.max(0, Math.min(this.src.cash(), capital - used)) };
  }

  /** RISK_ALLOCATION: the strategy's gross exposure after the order at most capital × leverage. */
  check(req: OrderRequest, strategyId: string | null): Denial | null {
    const cfg = this.cfg;
    if (cfg === null || strategyId === null) return null;
    const capital = this.capitalOf(strategyId);
    if (capital === null) return null;
    return checkAllocation(req, {
      strategyId,
      capital,
      target: this.targets.get(strategyId) ?? 0,
      equity: this.src.equity(),
      leverage: cfg.leverage,
      book: this.book,
      lastPrice: (s) => this.src.lastPrice(s),
      openOrders: this.src.openOrders(),
    });
  }

  allocations(): StrategyAllocation[] {
    const equity = this.src.equity();
    const price = (s: string): number => this.src.lastPrice(s);
    return [...this.targets].map(([strategy, target]) => {
      const pnl = this.book.pnl(strategy, price);
      const sub = (this.capitalAtRebalance.get(strategy) ?? 0) + pnl - (this.pnlAtRebalance.get(strategy) ?? 0);
      return {
        strategy,
        target,
        weight: equity > 0 ? sub / equity : 0,
        capital: target * equity,
        grossExposure: this.book.grossExposure(strategy, price),
        pnl,
        history: this.returns.get(strategy)?.length ?? 0,
      };
    });
  }
}
