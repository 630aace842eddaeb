// A paper-trading session: the backtest kernel (OMS, risk engine, simulated-exchange fill rules, portfolio)
// driven step by step by a replay feed at a wall-clock pace, with every order written to storage before it
// reaches the exchange. Restarting a session re-runs its stored steps and actions at full speed and checks the
// orders it re-derives against the stored ones before trading on (docs/decisions/0005).

import { MessageBus } from '../../core/bus.js';
import { SimulatedClock } from '../../core/clock.js';
import { WakeableDelay } from '../../core/wakeableDelay.js';
import { isPi5Error, Pi5Error } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { Fill, Instrument, Order } from '../../model/types.js';
import type { TimeframeSpec } from '../../model/timeframe.js';
import { parseCommission } from '../../execution/sim/commission.js';
import { parseSlippage } from '../../execution/sim/slippage.js';
import type { AllocationConfigInput } from '../../risk/allocation/index.js';
import { parseRiskConfig, type RiskConfigInput } from '../../risk/config.js';
import { DEFAULT_LIMITS, mergeLimits } from '../../risk/limits.js';
import { parseSizeSpec } from '../../risk/sizing.js';
import { Kernel } from '../kernel.js';
import type { ReplayFeed } from './replayFeed.js';
import { applyAction, checkAction, type ActionContext, type ActionOutcome, type SessionAction, type StrategyInstanceConfig, type StrategyResolver } from './sessionActions.js';
import { SessionLedger } from './sessionLedger.js';
import type { PaperSessionEvents, SessionState, SessionStatus } from './sessionEvents.js';
import type { PaperSessionStore, RecordedAction, StoredSession } from './sessionStore.js';
import { WriteAheadVenue } from './writeAheadVenue.js';

/** A session's configuration: stored when it is created, and required to match when it is reopened. */
export interface PaperSessionConfig {
  readonly id: string;
  readonly cash: number;
  /** Default size spec for strategies that give none. */
  readonly size: string;
  readonly commission: string;
  readonly slippage: string;
  readonly risk?: RiskConfigInput;
  /** Capital allocation across the session's strategies (docs/risk.md); changed at run time by setAllocation. */
  readonly allocation?: AllocationConfigInput;
  readonly strategies: readonly StrategyInstanceConfig[];
  /** How the feed was built (the server's business); stored and compared, never read here. */
  readonly feed: unknown;
}

export interface StrategyInstance {
  readonly config: StrategyInstanceConfig;
  readonly running: boolean;
  /** Steps processed when it was (last) started. */
  readonly startedAtStep: number;
}

export interface PaperSessionOptions {
  readonly config: PaperSessionConfig;
  readonly feed: ReplayFeed;
  /** One per feed series, in the same order. */
  readonly instruments: readonly Instrument[];
  readonly baseTimeframe: TimeframeSpec;
  readonly store: PaperSessionStore;
  readonly resolveStrategy: StrategyResolver;
  readonly log: Logger;
  /** Wall-clock pause between steps; 0 runs as fast as storage allows. */
  readonly stepIntervalMs: number;
}

export class PaperSession {
  readonly kernel: Kernel;
  readonly events = new MessageBus<PaperSessionEvents>();
  readonly ledger: SessionLedger;
  private readonly clock: SimulatedClock;
  private readonly venue: WriteAheadVenue;
  private readonly ctx: ActionContext;
  private state: SessionState = 'created';
  private failure: string | null = null;
  /** False while recovery re-runs stored steps: nothing is written or published then. */
  private live = false;
  private tail: Promise<unknown> = Promise.resolve();
  private actionSeq = 0;
  private pendingActions: RecordedAction[] = [];
  private readonly delay = new WakeableDelay();
  private loopDone: Promise<void> = Promise.resolve();
  private stepIntervalMs: number;
  private recoveredSteps = 0;
  private readonly instances = new Map<string, StrategyInstance>();

  private constructor(private readonly opts: PaperSessionOptions) {
    const c = opts.config;
    this.stepIntervalMs = opts.stepIntervalMs;
    const first = opts.feed.nextTs();
    if (first === null) throw new Pi5Error('PI5_ERR_NO_DATA', `paper session ${c.id}: the feed has no bars`);
    this.clock = new SimulatedClock(first);
    const risk = parseRiskConfig(c.risk ?? {}, `paper session ${c.id} risk config`);
    this.kernel = new Kernel({
      clock: this.clock,
      baseTimeframe: opts.baseTimeframe,
      cash: c.cash,
      sizer: parseSizeSpec(c.size),
      limits: mergeLimits(DEFAULT_LIMITS, risk.global),
      risk: { ...risk, global: {} },
      exchange: { commission: parseCommission(c.commission), slippage: parseSlippage(c.slippage), fillOn: 'open', volumeLimitPct: 0, ocoBothFill: 'stop-loss' },
      log: opts.log,
      clientIdPrefix: `paper-${c.id}`,
      riskMonitor: { lookback: 250, timeZone: 'UTC' },
      // Limits and allocation change at run time (recorded actions): keep every tracker from the start.
      reconfigurable: true,
      ...(c.allocation === undefined ? {} : { allocation: c.allocation }),
    });
    this.venue = new WriteAheadVenue(this.kernel.exchange, this.kernel.oms, () => this.clock.now());
    this.kernel.connectVenue(this.venue);
    opts.instruments.forEach((inst, i) => this.kernel.addInstrument(inst, opts.feed.histories[i] as ReplayFeed['histories'][number]));
    this.ledger = new SessionLedger(this.kernel, c.cash);
    this.ctx = {
      kernel: this.kernel,
      resolveStrategy: opts.resolveStrategy,
      symbols: opts.instruments.map((i) => i.symbol),
      lastOrderUpdate: () => this.ledger.lastOrderUpdate,
    };
    this.forwardEvents();
  }

  /** Creates the session, or reopens a stored one with the same id (re-running its steps) and checks it. */
  static async open(opts: PaperSessionOptions): Promise<PaperSession> {
    const s = new PaperSession(opts);
    const stored = await opts.store.load(opts.config.id);
    if (stored === null) {
      await opts.store.create(opts.config.id, opts.config);
      for (const instance of opts.config.strategies) s.apply({ kind: 'startStrategy', instance, by: 'config' });
    } else {
      try {
        s.recover(stored);
      } catch (e) {
        if (isPi5Error(e) && e.code === 'PI5_ERR_BAD_CONFIG') throw e;
        // A strategy that throws while its steps are re-run must not keep the server from starting: the
        // session halts with the reason, and the API stays up to show it.
        s.state = 'failed';
        s.failure = `recovery stopped at step ${s.ledger.stepCount}: ${(e as Error).message}`;
        opts.log.error(`paper session ${opts.config.id}: ${s.failure}`);
      }
    }
    s.live = true;
    if (s.state !== 'failed') s.state = opts.feed.done ? 'finished' : 'paused';
    return s;
  }

  private recover(stored: StoredSession): void {
    const c = this.opts.config;
    // jsonb keeps its own key order, so configurations are compared with sorted keys.
    if (canonicalJson(stored.config) !== canonicalJson(c)) {
      throw new Pi5Error('PI5_ERR_BAD_CONFIG', `paper session ${c.id} exists with a different configuration; give the new one another session id`);
    }
    this.state = 'recovering';
    for (const instance of c.strategies) this.apply({ kind: 'startStrategy', instance, by: 'config' });
    const byStep = new Map<number, RecordedAction[]>();
    for (const r of stored.actions) byStep.set(r.afterStep, [...(byStep.get(r.afterStep) ?? []), r]);
    const replayActions = (afterStep: number): void => {
      for (const r of byStep.get(afterStep) ?? []) this.apply(r.action);
      this.venue.release();
    };
    replayActions(-1);
    while (this.ledger.stepCount <= stored.lastStep && this.runStep()) {
      this.venue.release();
      replayActions(this.ledger.stepCount - 1);
    }
    this.actionSeq = stored.actions.reduce((m, r) => Math.max(m, r.seq + 1), 0);
    this.recoveredSteps = this.ledger.stepCount;
    this.ledger.takeDirty();
    const mismatch = this.ledger.compareOrders(stored.orders);
    if (mismatch !== null) {
      this.state = 'failed';
      this.failure = `recovery found orders that differ from the stored ones (${mismatch}); trading is halted until a person looks`;
      this.opts.log.error(`paper session ${c.id}: ${this.failure}`);
    }
  }

  private apply(a: SessionAction): ActionOutcome {
    checkAction(this.ctx, a);
    const out = applyAction(this.ctx, a);
    if (a.kind === 'startStrategy') this.instances.set(a.instance.id, { config: a.instance, running: true, startedAtStep: this.ledger.stepCount });
    if (a.kind === 'stopStrategy') {
      const i = this.instances.get(a.id);
      if (i) this.instances.set(a.id, { ...i, running: false });
    }
    return out;
  }

  /** Every strategy instance the session has run, with its configuration and whether it runs now. */
  strategyInstances(): readonly StrategyInstance[] {
    return [...this.instances.values()];
  }

  /** Processes the feed's next step through the kernel (synchronously); false at the end of the feed. */
  private runStep(): boolean {
    const ts = this.opts.feed.nextTs();
    if (ts === null) return false;
    const k = this.kernel;
    this.clock.advanceTo(ts);
    k.step = this.ledger.stepCount;
    k.fireTimers(ts);
    this.opts.feed.deliverStep((bar) => k.onBar(bar));
    k.closeTimeStep(ts);
    this.ledger.stepClosed(ts);
    return true;
  }

  /** Writes what the last step (and any actions since) changed, then lets the held orders reach the exchange. */
  private async persist(): Promise<void> {
    do {
      const dirty = this.ledger.takeDirty();
      const actions = this.pendingActions;
      this.pendingActions = [];
      await this.opts.store.write({
        sessionId: this.opts.config.id,
        step: this.ledger.stepCount - 1,
        orders: dirty.orders,
        fills: dirty.fills,
        actions,
        snapshot: dirty.snapshot,
      });
      this.venue.release();
    } while (this.venue.heldCount > 0);
  }

  /** Runs `fn` after everything already queued on this session, one thing at a time. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Applies an action between steps, records it and persists the orders it made before they are sent. */
  act(action: SessionAction): Promise<ActionOutcome> {
    return this.serial(async () => {
      if (this.state === 'failed') throw new Pi5Error('PI5_ERR_BAD_USAGE', `paper session ${this.opts.config.id} is halted: ${this.failure ?? ''}`);
      const outcome = this.apply(action);
      this.pendingActions.push({ seq: this.actionSeq++, afterStep: this.ledger.stepCount - 1, action });
      await this.persist();
      return outcome;
    });
  }

  /** Processes up to n steps now (tests, and the pacing loop one at a time); returns how many ran. */
  advance(n = 1): Promise<number> {
    return this.serial(async () => {
      let done = 0;
      while (done < n && this.state !== 'failed' && this.runStep()) {
        done++;
        await this.persist();
      }
      if (this.opts.feed.done && this.state !== 'failed' && this.state !== 'finished') this.setState('finished');
      return done;
    });
  }

  /** Starts (or resumes) pacing through the feed in the background. */
  start(): void {
    if (this.state !== 'paused' && this.state !== 'created') return;
    this.setState('running');
    this.loopDone = this.loop();
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.setState('paused');
    this.delay.wake();
  }

  setStepInterval(ms: number): void {
    this.stepIntervalMs = Math.max(0, ms);
  }

  /** Stops pacing and waits for the step in flight and its write. */
  async stop(): Promise<void> {
    if (this.state === 'running') this.setState('paused');
    this.delay.wake();
    await this.loopDone;
    // Transitions after the last write (orders the exchange accepted on release) are stored too.
    await this.serial(async () => {
      if (this.state !== 'failed') await this.persist();
    });
    await this.opts.store.setStatus(this.opts.config.id, this.state);
  }

  private async loop(): Promise<void> {
    while (this.state === 'running') {
      try {
        await this.advance(1);
      } catch (e) {
        this.failure = `step ${this.ledger.stepCount} failed: ${(e as Error).message}`;
        this.opts.log.error(`paper session ${this.opts.config.id}: ${this.failure}`);
        this.setState('failed');
        return;
      }
      if (this.state !== 'running') return;
      await this.delay.sleep(this.stepIntervalMs);
    }
  }

  private setState(state: SessionState): void {
    this.state = state;
    if (this.live) this.events.publish('status', this.status());
  }

  status(): SessionStatus {
    return {
      id: this.opts.config.id,
      state: this.state,
      failure: this.failure,
      step: this.ledger.stepCount,
      steps: this.opts.feed.length,
      marketTime: this.ledger.stepCount > 0 ? this.clock.now() : null,
      stepIntervalMs: this.stepIntervalMs,
      recoveredSteps: this.recoveredSteps,
      strategies: this.kernel.hosts.map((h) => h.strategyId),
      killSwitch: this.kernel.risk.killSwitch.tripped ? 'tripped' : 'reset',
    };
  }

  resolveStrategy(ref: string): ReturnType<StrategyResolver> {
    return this.opts.resolveStrategy(ref);
  }

  get baseTimeframe(): TimeframeSpec {
    return this.opts.baseTimeframe;
  }

  get config(): PaperSessionConfig {
    return this.opts.config;
  }

  /** Bus events become session events once the session is live (recovery re-runs stay silent). */
  private forwardEvents(): void {
    const bus = this.kernel.bus;
    const ev = this.events;
    bus.subscribe('orderUpdated', (o: Order) => {
      if (this.live) ev.publish('order', o);
    });
    bus.subscribe('orderFilled', (f: Fill) => {
      if (this.live) ev.publish('fill', f);
    });
    bus.subscribe('bar', (b) => {
      if (this.live) ev.publish('bar', b);
    });
    bus.subscribe('riskSnapshot', (r) => {
      if (this.live) ev.publish('risk', r);
    });
    bus.subscribe('riskDenied', (d) => {
      if (this.live) ev.publish('denial', d);
    });
    bus.subscribe('riskStateChanged', (r) => {
      if (this.live) ev.publish('killSwitch', r);
    });
    this.ledger.onStep((p) => {
      if (this.live) ev.publish('portfolio', p);
    });
  }
}

/** JSON with object keys sorted at every level (undefined members dropped, as JSON.stringify does). */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
    const o = x as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  });
}
