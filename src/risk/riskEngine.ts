// The risk engine: resolves the limits for each order, builds the state its checks need, runs them, and
// keeps the loss trackers and the kill switch (tripped automatically at a time-step close by the global
// max-drawdown or daily-loss limit, or by a person).

import type { OrderRequest } from '../model/types.js';
import { AccountStateBuilder, CorrelationCache, type RiskSources } from './accountState.js';
import { describe, impactInto, type Denial, type MutableImpact } from './checks/types.js';
import type { RiskConfig } from './config.js';
import { returnsCorrelation } from './correlation.js';
import { HeldSymbols } from './heldSymbols.js';
import { KillSwitch, type RiskStateStore } from './killSwitch.js';
import { DEFAULT_CORRELATION_LOOKBACK, type RiskLimits } from './limits.js';
import { runChecksWith } from './preTrade.js';
import { RiskProfiles } from './profiles.js';
import { EquityTracker, OrderCounter, type OrderCounts } from './trackers.js';

export interface RiskEngineOptions {
  readonly config: RiskConfig;
  /** Limits under the config's global layer (default DEFAULT_LIMITS). */
  readonly baseLimits?: RiskLimits;
  readonly store: RiskStateStore;
  readonly sources: RiskSources;
  readonly startEquity: number;
  /**
   * Keep every tracker (order counts, equity marks, held symbols) from the start, so limits set later with
   * reconfigure judge the whole history. Live sessions use it; backtests keep only what their limits need.
   */
  readonly keepTrackers?: boolean;
}

const NO_COUNTS: Readonly<OrderCounts> = { lastSecond: 0, lastMinute: 0, today: 0 };

/** A check run after the configured ones (the capital allocation's RISK_ALLOCATION). */
export type ExtraCheck = (req: OrderRequest, strategyId: string | null) => Denial | null;

export class RiskEngine {
  readonly killSwitch: KillSwitch;
  // Definitely assigned: the constructor calls apply(), which sets both (and reconfigure replaces them).
  private current!: RiskProfiles;
  private config!: RiskConfig;
  private groups: ReadonlyMap<string, string> = new Map();
  private counter: OrderCounter | null = null;
  private equity: EquityTracker | null = null;
  private readonly correlations = new CorrelationCache(returnsCorrelation);
  private autoTrip = false;
  private sources: RiskSources;
  /** Symbols with a position, kept from fills, only when a check reads them. */
  private held: HeldSymbols | null = null;
  private staleData: string | null = null;
  private extraCheck: ExtraCheck | null = null;
  // Scratch reused by every check (one order at a time): the order path allocates nothing of its own.
  private readonly state = new AccountStateBuilder();
  private readonly counts: OrderCounts = { lastSecond: 0, lastMinute: 0, today: 0 };
  private readonly impact: MutableImpact = { before: 0, after: 0, reduces: false, grows: false, price: NaN };

  constructor(private readonly opts: RiskEngineOptions) {
    this.killSwitch = new KillSwitch(opts.store);
    this.sources = opts.sources;
    this.apply(opts.config, opts.baseLimits);
  }

  get profiles(): RiskProfiles {
    return this.current;
  }

  /**
   * New limits while running. The kill switch, the order counts and the equity marks are kept; a tracker a new
   * limit needs is created now if it did not exist (its history starts now: see keepTrackers). A new
   * dayTimeZone applies to the kept trackers from the next order or close on.
   */
  reconfigure(config: RiskConfig, baseLimits: RiskLimits | undefined = this.opts.baseLimits): void {
    this.apply(config, baseLimits);
  }

  /** Installs (or removes, with null) a check that runs after the configured ones. */
  setExtraCheck(check: ExtraCheck | null): void {
    this.extraCheck = check;
  }

  private apply(cfg: RiskConfig, baseLimits: RiskLimits | undefined): void {
    const opts = this.opts;
    const keep = opts.keepTrackers === true;
    this.config = cfg;
    this.current = new RiskProfiles(cfg, baseLimits);
    this.groups = new Map(Object.entries(cfg.groups));
    const has = (k: keyof RiskLimits): boolean => this.current.configured(k);
    if (keep || has('maxOrdersPerSecond') || has('maxOrdersPerMinute') || has('maxOrdersPerDay')) this.counter ??= new OrderCounter(cfg.dayTimeZone);
    const g = this.current.global.limits;
    this.autoTrip = cfg.killSwitch.autoTrip && (g.maxDrawdownPct !== undefined || g.maxDailyLoss !== undefined || g.maxDailyLossPct !== undefined);
    const marks = this.autoTrip || has('maxDrawdownPct') || has('maxDailyLoss') || has('maxDailyLossPct');
    if (keep || marks) this.equity ??= new EquityTracker(opts.startEquity, cfg.dayTimeZone);
    const positions = has('maxNetExposure') || has('maxPositions') || has('maxGroupPct') || has('maxCorrelation');
    if (keep || positions) this.held ??= new HeldSymbols(opts.sources.portfolio.openPositionReports().map((p) => p.symbol));
    this.counter?.setDayTimeZone(cfg.dayTimeZone);
    this.equity?.setDayTimeZone(cfg.dayTimeZone);
    const held = this.held;
    this.sources = held === null ? opts.sources : { ...opts.sources, heldSymbols: () => held.symbols() };
  }

  /** True when fills must be reported (a check needs the set of held symbols). */
  get tracksPositions(): boolean {
    return this.held !== null;
  }

  /** A fill in `symbol` was booked: keeps the held-symbol set. */
  filled(symbol: string): void {
    this.held?.update(symbol, this.opts.sources.portfolio.quantity(symbol));
  }

  /** True when time-step closes must be reported (loss limits or automatic trips are configured). */
  get watchesEquity(): boolean {
    return this.equity !== null;
  }

  get flattenOnTrip(): boolean {
    return this.config.killSwitch.flattenOnTrip;
  }

  /**
   * Blocks new strategy orders while the market data they decide on is older than allowed (a live session records
   * why, and null once fresh data arrives); a person's manual orders still pass.
   */
  setStaleData(reason: string | null): void {
    this.staleData = reason;
  }

  get staleDataReason(): string | null {
    return this.staleData;
  }

  /** Every configured check for one order; null admits it. */
  check(req: OrderRequest, strategyId: string | null): Denial | null {
    if (this.staleData !== null && strategyId !== null) return { code: 'RISK_STALE_DATA', message: `${describe(req)}: ${this.staleData}; no new strategy orders until fresh data arrives` };
    const profile = this.current.for(strategyId, req.symbol);
    const needs = profile.pipeline.needs;
    const src = this.sources;
    const s = this.state.build(src, req.symbol, needs, this.groups);
    if (this.killSwitch.tripped) s.killSwitchTripped = true;
    if (needs.orderCounts) {
      // Without a counter (not possible once a limit needs one) the counts read as 0, as they always have.
      const c = this.counter === null ? NO_COUNTS : this.counter.countInto(src.now(), this.counts);
      s.ordersLastSecond = c.lastSecond;
      s.ordersLastMinute = c.lastMinute;
      s.ordersToday = c.today;
    }
    if (needs.equityMarks) {
      s.dayStartEquity = this.equity === null ? undefined : this.equity.dayStartEquity(src.now());
      s.peakEquity = this.equity === null ? undefined : this.equity.peakEquity;
    }
    const impact = impactInto(req, s, this.impact);
    // Only an order that grows its position is judged on correlation: the others skip the pairs entirely.
    if (needs.correlations && impact.grows) {
      s.correlations = this.correlations.correlations(src, req.symbol, profile.limits.correlationLookback ?? DEFAULT_CORRELATION_LOOKBACK);
    }
    const denial = runChecksWith(profile.pipeline, req, s, profile.limits, impact);
    return denial === null && this.extraCheck !== null ? this.extraCheck(req, strategyId) : denial;
  }

  /** An order passed the checks (counts towards the rate and per-day limits). */
  admitted(ts: number): void {
    this.counter?.record(ts);
  }

  /** Equity at a time-step close: updates peak and day start, and trips the switch at a global loss limit. */
  timeStepClosed(ts: number, equity: number): void {
    if (this.equity === null) return;
    const dayStart = this.equity.dayStartEquity(ts);
    this.equity.onClose(ts, equity);
    if (!this.autoTrip || this.killSwitch.tripped) return;
    const reason = this.lossLimitReached(dayStart, this.equity.peakEquity, equity);
    if (reason !== null) this.killSwitch.trip(reason, 'limit', ts);
  }

  private lossLimitReached(dayStart: number, peak: number, equity: number): string | null {
    const g = this.current.global.limits;
    const eps = 1e-9;
    const fall = peak - equity;
    if (g.maxDrawdownPct !== undefined && fall >= (peak * g.maxDrawdownPct) / 100 - eps) {
      return `drawdown ${((fall / peak) * 100).toFixed(2)}% from peak ${peak.toFixed(2)} reached maxDrawdownPct ${g.maxDrawdownPct}%`;
    }
    const loss = dayStart - equity;
    if (g.maxDailyLoss !== undefined && loss >= g.maxDailyLoss - eps) {
      return `daily loss ${loss.toFixed(2)} from ${dayStart.toFixed(2)} reached maxDailyLoss ${g.maxDailyLoss}`;
    }
    if (g.maxDailyLossPct !== undefined && loss >= (dayStart * g.maxDailyLossPct) / 100 - eps) {
      return `daily loss ${loss.toFixed(2)} (${((loss / dayStart) * 100).toFixed(2)}%) from ${dayStart.toFixed(2)} reached maxDailyLossPct ${g.maxDailyLossPct}%`;
    }
    return null;
  }
}
