// The kernel: wires bus, clock, market state, order manager, venue, portfolio, risk and strategy hosts
// the same way for backtests and live sessions. Runners hand it time steps (runStep), one at a time.

import { MessageBus } from '../core/bus.js';
import { Pi5Error } from '../core/errors.js';
import type { SimulatedClock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import type { KernelEvents, RiskDenial } from '../model/events.js';
import type { TimeframeSpec } from '../model/timeframe.js';
import type { Bar, Instrument, Quote, Trade } from '../model/types.js';
import { AlgoScheduler } from '../execution/algos/scheduler.js';
import { OrderManager } from '../execution/oms.js';
import type { ExecutionClient } from '../execution/reports.js';
import { simulatedVenue, type ExchangeConfig } from '../execution/venues/sim/index.js';
import type { Venue, VenueFactory } from '../execution/venues/venue.js';
import { Portfolio } from '../portfolio/portfolio.js';
import { DEFAULT_POSITION_MODE, MANUAL_ORDERS, StrategyPositions, type PositionMode } from '../portfolio/strategyPositions.js';
import type { AllocationConfig, CapitalAllocator } from '../risk/allocation/index.js';
import type { RiskConfig } from '../risk/config.js';
import { defaultRiskConfig } from '../risk/defaultConfig.js';
import type { KillSwitchState, RiskStateStore } from '../risk/killSwitch.js';
import type { RiskLimits } from '../risk/limits.js';
import { RiskMonitor, type RiskMonitorConfig } from '../risk/monitor.js';
import { RiskEngine } from '../risk/riskEngine.js';
import type { Sizer } from '../risk/sizing.js';
import type { Strategy, BarHistory } from '../strategy/api.js';
import { createAllocator } from './allocationWiring.js';
import { createRiskEngine, createRiskMonitor, riskStateChange } from './riskWiring.js';
import { MarketState } from './marketState.js';
import { OrderGateway } from './orderGateway.js';
import type { StepFeed } from './stepFeed.js';
import { StrategyHost } from './strategyHost.js';
import { TimerQueue } from './timers.js';

export type { StepFeed } from './stepFeed.js';

export interface KernelOptions {
  /** Market time: the kernel moves it to each step's time (runStep). */
  readonly clock: SimulatedClock;
  readonly baseTimeframe: TimeframeSpec;
  readonly cash: number;
  readonly sizer: Sizer;
  /** Base limits (the CLI's --leverage, tests' shortcuts); `risk.global` and its overrides apply on top. */
  readonly limits: RiskLimits;
  readonly risk?: RiskConfig;
  /** Where the kill switch state lives; default in memory (a backtest's own). */
  readonly riskStore?: RiskStateStore;
  /** Fill rules of the simulated venue the kernel builds when no `venue` is given. */
  readonly exchange?: ExchangeConfig;
  /** Where orders go; when given, no simulated exchange is built (`exchange` is not read). */
  readonly venue?: VenueFactory;
  readonly log: Logger;
  /** Prefix of generated client order ids (unique per session so restarts never reuse one). */
  readonly clientIdPrefix?: string;
  /** Real-time risk monitor; none (and no cost) unless configured. */
  readonly riskMonitor?: RiskMonitorConfig;
  /** Capital allocation across strategies (validated at the edge: parseAllocationConfig); none (and no cost) unless configured. */
  readonly allocation?: AllocationConfig;
  /**
   * Limits and allocation may change while running (live sessions): every risk tracker and the per-strategy
   * books are kept from the start, so a limit or allocation set later judges the whole history. Backtests
   * leave it off and pay only for what they configure.
   */
  readonly reconfigurable?: boolean;
  /** Whose position a strategy acts on (docs/strategies.md, "Positions"); default `strategy`: its own fills only. */
  readonly positionMode?: PositionMode;
}

export class Kernel {
  readonly bus = new MessageBus<KernelEvents>();
  readonly market: MarketState;
  readonly oms: OrderManager;
  /** Where the order manager sends orders (simulated exchange, write-ahead wrapper, broker). */
  readonly venue: Venue;
  readonly portfolio: Portfolio;
  /** Every fill booked again under the strategy (or the hand) that placed it; the account nets in `portfolio`. */
  readonly attribution = new StrategyPositions();
  readonly positionMode: PositionMode;
  readonly gateway: OrderGateway;
  readonly risk: RiskEngine;
  readonly timers = new TimerQueue<StrategyHost>();
  readonly hosts: StrategyHost[] = [];
  readonly denials: RiskDenial[] = [];
  readonly monitor: RiskMonitor | null;
  /** Index of the current time step (0-based bar index; the equity curve holds it at index step + 1). */
  step = 0;
  private readonly publishBar: (bar: Bar) => void;
  private readonly publishStepClosed: (ts: number) => void;
  private barsClosedHosts: StrategyHost[] = [];
  private algoScheduler: AlgoScheduler | null = null;
  private allocatorRef: CapitalAllocator | null = null;
  private equityWired = false;
  private fillsWired = false;

  constructor(private readonly opts: KernelOptions) {
    this.market = new MarketState(opts.baseTimeframe, (bar) => {
      for (const h of this.hosts) h.coarserBar(bar);
    });
    this.oms = new OrderManager(this.bus, opts.clock, opts.clientIdPrefix, opts.log);
    this.portfolio = new Portfolio(opts.cash);
    this.positionMode = opts.positionMode ?? DEFAULT_POSITION_MODE;
    this.venue = this.createVenue();
    this.connectVenue(this.venue);
    this.risk = this.createRiskEngine();
    this.gateway = new OrderGateway(this.bus, opts.clock, this.oms, this.risk);

    // Registration order is processing order: fills book before strategies see the fill.
    this.bus.subscribe('orderFilled', (f) => {
      this.portfolio.applyFill(f, this.step);
      this.attribution.applyFill(f, this.step);
    });
    // Before the strategies' fill handlers, so a strategy's own book is current when its onFill trades.
    if (opts.allocation !== undefined || opts.reconfigurable === true) this.allocator$();
    this.bus.subscribe('orderFilled', (f) => {
      for (const h of this.hosts) h.fill(f);
    });
    this.bus.subscribe('orderUpdated', (o) => {
      for (const h of this.hosts) h.orderUpdate(o);
    });
    this.bus.subscribe('riskDenied', (d) => this.denials.push(d));
    this.bus.subscribe('quote', (q) => {
      this.market.onQuote(q);
      this.venue.onQuote(q);
      for (const h of this.hosts) h.quote(q);
    });
    this.bus.subscribe('trade', (t) => {
      for (const h of this.hosts) h.trade(t);
    });

    const market = this.market;
    const venue = this.venue;
    const portfolio = this.portfolio;
    const attribution = this.attribution;
    this.bus.subscribe('bar', (bar) => {
      if (market.hasAggregators) market.beforeBar(bar.symbol, bar.ts);
      venue.onBar(bar);
      portfolio.mark(bar.symbol, bar.close);
      attribution.mark(bar.symbol, bar.close);
      market.onBar(bar);
    });
    this.bus.subscribe('bar', (bar) => {
      const hosts = this.hosts;
      for (let i = 0; i < hosts.length; i++) (hosts[i] as StrategyHost).bar(bar);
    });
    this.publishBar = this.bus.publisher('bar');
    this.publishStepClosed = this.bus.publisher('timeStepClosed');
    this.wireKillSwitch();
    this.monitor = this.createMonitor();
    if (opts.allocation !== undefined) this.setAllocation(opts.allocation);
  }

  private createVenue(): Venue {
    const o = this.opts;
    const factory = o.venue ?? (o.exchange === undefined ? undefined : simulatedVenue(o.exchange));
    if (factory === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', 'the kernel needs a venue or a simulated exchange config');
    const market = this.market;
    return factory({ reports: this.oms, instrument: (s) => market.instrument(s), hasInstrument: (s) => market.has(s), now: () => o.clock.now() });
  }

  /** The capital allocator; null unless an allocation was configured (or the kernel is reconfigurable). */
  get allocator(): CapitalAllocator | null {
    return this.allocatorRef;
  }

  private allocator$(): CapitalAllocator {
    this.allocatorRef ??= createAllocator(this.bus, this.portfolio, this.market, this.oms, () => this.hosts);
    return this.allocatorRef;
  }

  /**
   * Sets (or with null removes) the allocation across strategies, effective now with a rebalance. On a kernel
   * that is neither reconfigurable nor created with an allocation, the per-strategy books start now.
   */
  setAllocation(config: AllocationConfig | null): void {
    if (config === null && this.allocatorRef === null) return;
    const a = this.allocator$();
    a.configure(config, this.opts.clock.now());
    this.risk.setExtraCheck(config === null ? null : (req, strategyId) => a.check(req, strategyId));
  }

  /** New risk limits while running (kill switch and trackers kept: RiskEngine.reconfigure). */
  reconfigureRisk(config: RiskConfig, baseLimits: RiskLimits = this.opts.limits): void {
    this.risk.reconfigure(config, baseLimits);
    this.wireRiskTrackers();
  }

  /** After the kill switch's own close handler, so a snapshot sees the step's final state. */
  private createMonitor(): RiskMonitor | null {
    const config = this.opts.riskMonitor;
    return config === undefined ? null : createRiskMonitor(config, this.opts.cash, this.bus, this.portfolio, this.market);
  }

  private createRiskEngine(): RiskEngine {
    const o = this.opts;
    return createRiskEngine(o.risk ?? defaultRiskConfig(), o.limits, o.riskStore, o.cash, o.reconfigurable === true, {
      portfolio: this.portfolio,
      market: this.market,
      oms: this.oms,
      now: () => o.clock.now(),
    });
  }

  /** Loss limits are judged at each time-step close; a trip cancels working orders (and flattens if configured). */
  private wireKillSwitch(): void {
    this.wireRiskTrackers();
    this.bus.subscribe('riskStateChanged', (e) => {
      const code = e.killSwitch === 'tripped' ? 'RISK_KILL_SWITCH_TRIPPED' : 'RISK_KILL_SWITCH_RESET';
      const what = e.restored ? 'still tripped from an earlier session' : `${e.killSwitch} by ${e.by}`;
      this.denials.push({ ts: e.ts, strategyId: null, symbol: '*', code, message: `kill switch ${what}: ${e.reason}` });
      if (e.killSwitch === 'tripped' && !e.restored) this.onKillSwitchTripped();
    });
    const publish = this.bus.publisher('riskStateChanged');
    this.risk.killSwitch.listen((state: KillSwitchState, restored: boolean) => publish(riskStateChange(state, restored, this.opts.clock.now())));
  }

  /** Feeds the risk engine's trackers that exist (again after a reconfigure that created new ones). */
  private wireRiskTrackers(): void {
    const risk = this.risk;
    if (risk.watchesEquity && !this.equityWired) {
      this.equityWired = true;
      this.bus.subscribe('timeStepClosed', (ts) => risk.timeStepClosed(ts, this.portfolio.equity()));
    }
    // After the portfolio's own fill handler (registered first), so the position is already booked.
    if (risk.tracksPositions && !this.fillsWired) {
      this.fillsWired = true;
      this.bus.subscribe('orderFilled', (f) => risk.filled(f.symbol));
    }
  }

  private onKillSwitchTripped(): void {
    this.oms.cancelAll();
    if (!this.risk.flattenOnTrip) return;
    if (this.positionMode === 'strategy') {
      this.flattenEachOwner();
      return;
    }
    for (const p of this.portfolio.openPositionReports()) {
      const side = p.side === 'long' ? 'sell' : 'buy';
      this.gateway.submit({ symbol: p.symbol, side, quantity: p.quantity, type: 'market', tag: 'kill-switch flatten' }, null);
    }
  }

  /**
   * Flattens the account's net position in each symbol with orders under the owners holding on its side, so
   * each closes its own shares. Only reducing orders pass a tripped kill switch, so books that offset each
   * other inside the account (one strategy long 3, another short 3) are left as they are: the account is flat.
   */
  private flattenEachOwner(): void {
    for (const p of this.portfolio.openPositionReports()) {
      const side = p.side === 'long' ? 'sell' : 'buy';
      let left = p.quantity;
      for (const owner of this.attribution.owners()) {
        const strategyId = owner === MANUAL_ORDERS ? null : owner;
        const held = this.attribution.quantity(strategyId, p.symbol);
        if (left === 0 || held === 0 || (held > 0) !== (p.side === 'long')) continue;
        const quantity = Math.min(left, Math.abs(held));
        left -= quantity;
        this.gateway.submit({ symbol: p.symbol, side, quantity, type: 'market', tag: 'kill-switch flatten' }, strategyId);
      }
    }
  }

  /** Trips the kill switch by hand (CLI, later the API); false when it was already tripped. */
  tripKillSwitch(reason: string, by: string): boolean {
    return this.risk.killSwitch.trip(reason, by, this.opts.clock.now());
  }

  /** Resets the kill switch: a person's decision, never automatic. */
  resetKillSwitch(by: string, reason = 'reset'): boolean {
    return this.risk.killSwitch.reset(by, this.opts.clock.now(), reason);
  }

  /** Execution algorithms; created with the first one, so runs without any add no work per bar. */
  get algos(): AlgoScheduler {
    this.algoScheduler ??= new AlgoScheduler(this.bus, {
      place: (req, strategyId) => this.gateway.place(req, strategyId),
      cancel: (id) => this.oms.cancel(id),
      now: () => this.opts.clock.now(),
      history: (s) => this.market.history(s),
      timeZone: (s) => this.market.instrument(s).timeZone,
    });
    return this.algoScheduler;
  }

  /** Routes the OMS's requests (the kernel's venue; tests may put a recorder in front of it). */
  connectVenue(venue: ExecutionClient): void {
    this.oms.connect(venue);
  }

  addInstrument(instrument: Instrument, history: BarHistory): void {
    this.market.addInstrument(instrument, history);
  }

  /** Hosts a strategy; `sizer` overrides the kernel's default for this strategy alone. */
  addStrategy(strategyId: string, strategy: Strategy, symbols: readonly string[], sizer?: Sizer): StrategyHost {
    if (this.hosts.some((h) => h.strategyId === strategyId)) {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', `a strategy with id ${JSON.stringify(strategyId)} is already running`);
    }
    const host = new StrategyHost({
      strategyId,
      strategy,
      symbols,
      baseTimeframe: this.opts.baseTimeframe.text,
      clock: this.opts.clock,
      market: this.market,
      portfolio: this.portfolio,
      attribution: this.positionMode === 'strategy' ? this.attribution : null,
      oms: this.oms,
      gateway: this.gateway,
      sizer: sizer ?? this.opts.sizer,
      // Sizers never ask for more than the account can carry; the pre-trade checks still have the last word.
      leverage: () => this.risk.profiles.for(strategyId, '').limits.maxLeverage,
      allocatedCapital: () => this.allocatorRef?.capitalFor(strategyId) ?? null,
      timers: this.timers,
      algos: () => this.algos,
      log: this.opts.log,
    });
    this.hosts.push(host);
    this.barsClosedHosts = this.hosts.filter((h) => h.wantsBarsClosed);
    this.allocatorRef?.strategiesChanged(this.opts.clock.now());
    return host;
  }

  start(): void {
    for (const h of this.hosts) h.start();
  }

  /**
   * Stops one strategy at run time (live sessions): its onStop runs, its working orders are canceled and its
   * timers dropped; positions it opened stay in the account. False when no strategy has that id.
   */
  removeStrategy(strategyId: string): boolean {
    const host = this.hosts.find((h) => h.strategyId === strategyId);
    if (!host) return false;
    host.stop();
    for (const o of [...this.oms.openOrders()]) if (o.strategyId === strategyId) this.oms.cancel(o.id);
    this.timers.cancelOwner(host);
    this.hosts.splice(this.hosts.indexOf(host), 1);
    this.barsClosedHosts = this.hosts.filter((h) => h.wantsBarsClosed);
    this.allocatorRef?.strategiesChanged(this.opts.clock.now());
    return true;
  }

  /**
   * Runs the feed's next time step as step `step`: the clock moves to its time, timers due by then fire, its
   * bars go through (venue, portfolio, market state, strategies) with `tap` seeing each first, and the step
   * closes. The one step loop of backtests and trading sessions; false when the feed has no step ready.
   */
  runStep(feed: StepFeed, step: number, tap?: (bar: Bar) => void): boolean {
    const ts = feed.nextTs();
    if (ts === null) return false;
    this.opts.clock.advanceTo(ts);
    this.step = step;
    this.fireTimers(ts);
    feed.deliverStep(tap === undefined ? this.publishBar : this.tapped(tap));
    this.closeTimeStep(ts);
    return true;
  }

  // Apart from runStep: a closure over its `tap` made runStep allocate a context for it on every step, tap or
  // not (64 bytes a step, most of what a backtest's replay still allocated once bars were reused).
  private tapped(tap: (bar: Bar) => void): (bar: Bar) => void {
    return (bar) => {
      tap(bar);
      this.publishBar(bar);
    };
  }

  /** Fires timers due by `ts` (call after the clock has moved to ts, before its bars). */
  fireTimers(ts: number): void {
    if (this.timers.nextAt <= ts) this.timers.fireDue(ts, (host, name) => host.timer(name));
  }

  onBar(bar: Bar): void {
    this.publishBar(bar);
  }

  onQuote(q: Quote): void {
    this.bus.publish('quote', q);
  }

  onTrade(t: Trade): void {
    this.bus.publish('trade', t);
  }

  /** Every bar at `ts` has been processed: cross-sectional strategy hooks, then observers. */
  closeTimeStep(ts: number): void {
    const hosts = this.barsClosedHosts;
    for (let i = 0; i < hosts.length; i++) (hosts[i] as StrategyHost).barsClosed(ts);
    this.publishStepClosed(ts);
  }

  stop(): void {
    for (const h of this.hosts) h.stop();
  }
}
