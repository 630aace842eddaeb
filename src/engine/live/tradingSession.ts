// A trading session: the backtest kernel (OMS, risk engine, portfolio) and a venue (paper today: the simulated
// exchange's fill rules behind a write-ahead venue; brokers next), driven step by step by a replay feed at a
// wall-clock pace, or by live market data as its bars close, with every order written to storage before it
// reaches the venue. Restarting a session re-runs its stored steps and actions at full speed and checks the
// orders it re-derives against the stored ones before trading on (docs/decisions/0005).

import { MessageBus } from '../../core/bus.js';
import { monotonicMs, SimulatedClock, type MonotonicMs } from '../../core/clock.js';
import { isPi5Error, Pi5Error } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { Bar, Instrument } from '../../model/types.js';
import type { TimeframeSpec } from '../../model/timeframe.js';
import type { Kernel } from '../kernel.js';
import type { LiveStepSource } from './liveStepSource.js';
import { liveStepActions } from './liveStepActions.js';
import type { ReplayFeed } from './replayFeed.js';
import type { EndlessSyntheticFeed } from './endlessSyntheticFeed.js';
import { WakeableDelay } from '../../core/wakeableDelay.js';
import { logSessionEvents } from './sessionLog.js';
import { applyAction, checkAction, type ActionContext, type ActionOutcome, type SessionAction, type StrategyInstanceConfig, type StrategyResolver } from './sessionActions.js';
import { buildSessionKernel, type TradingSessionConfig } from './sessionConfig.js';
import { SessionLedger } from './sessionLedger.js';
import { StepPacer } from './sessionPacer.js';
import type { TradingSessionEvents, SessionState, SessionStatus } from './sessionEvents.js';
import { forwardSessionEvents } from './sessionForwarding.js';
import { recoverSession } from './sessionRecovery.js';
import type { TradingSessionStore, RecordedAction, StoredSession } from './sessionStore.js';
import type { WriteAheadVenue } from '../../execution/venues/writeAhead.js';
import type { SessionBroker } from '../../execution/venues/brokerVenue.js';
import { SessionBrokers, type BrokerRetry } from './sessionBrokers.js';
import { brokerNotices } from './brokerNotices.js';
import type { BrokerHealth } from '../../execution/venues/health/brokerHealth.js';

export type { TradingSessionConfig } from './sessionConfig.js';

export interface StrategyInstance {
  readonly config: StrategyInstanceConfig;
  readonly running: boolean;
  /** Steps processed when it was (last) started. */
  readonly startedAtStep: number;
}

export interface TradingSessionOptions {
  readonly config: TradingSessionConfig;
  /** Where the steps come from: a replay of stored series, or live market data. */
  readonly feed: ReplayFeed | EndlessSyntheticFeed | LiveStepSource;
  /** One per feed series (symbol), in the same order. */
  readonly instruments: readonly Instrument[];
  readonly baseTimeframe: TimeframeSpec;
  readonly store: TradingSessionStore;
  readonly resolveStrategy: StrategyResolver;
  readonly log: Logger;
  /** Wall-clock pause between replayed steps; 0 runs as fast as storage allows (a live feed sets its own pace). */
  readonly stepIntervalMs: number;
  /** Longest wait between attempts to write again while the database is unreachable (default 2 s). */
  readonly storageRetryMaxMs?: number;
  /** Trade at this broker instead of the simulated exchange (reports journaled, reconciled at start and on reconnect). */
  readonly broker?: SessionBroker;
  /** Standby brokers by priority: new orders go to them while the ones before are down (decision 0011). */
  readonly failover?: readonly SessionBroker[];
  /** Waits between attempts to reach a broker unreachable at start (default 1 s doubling to 60 s). */
  readonly brokerRetry?: BrokerRetry;
  /** Times tick→order (the `ordersSent` event); a live source must stamp its steps with the same clock. */
  readonly latencyClock?: MonotonicMs;
}

/** Actions that create or change orders, which need bars still to come. */
const ORDER_ACTIONS: ReadonlySet<SessionAction['kind']> = new Set(['submitOrder', 'submitBracket', 'modifyOrder', 'rebalance']);
/** First wait before writing again after storage refused a write; it doubles up to storageRetryMaxMs. */
const RETRY_MIN_MS = 50;

export class TradingSession {
  readonly kernel: Kernel;
  readonly events = new MessageBus<TradingSessionEvents>();
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
  /** Actions refused after a failed journal write, to be removed in case that write committed (SessionWrite.refusedSeqs). */
  private refusedSeqs: number[] = [];
  private readonly pacer: StepPacer;
  private loopDone: Promise<void> = Promise.resolve();
  private recoveredSteps = 0;
  private readonly instances = new Map<string, StrategyInstance>();
  /** A live step's bars, written with the step's orders so that recovery can re-run the step. */
  private stepBars: Bar[] = [];
  /** True while the last write failed: what it carried is kept and written before anything else happens. */
  private unwritten = false;
  /** Why a running session does not step now (its storage is unreachable), or null. */
  private waiting: string | null = null;
  private readonly retryDelay = new WakeableDelay();
  private retryMs = RETRY_MIN_MS;
  /** Status writes in order; a failed one is written again after the next successful write. */
  private statusTail: Promise<void> = Promise.resolve();
  private statusStale = false;
  private readonly broker: SessionBrokers | null;
  private readonly latencyClock: MonotonicMs;

  private constructor(private readonly opts: TradingSessionOptions) {
    const c = opts.config;
    this.pacer = new StepPacer(opts.feed, opts.stepIntervalMs);
    this.latencyClock = opts.latencyClock ?? monotonicMs;
    // A live session starts at its stored start time; a replay at its first bar.
    const first = opts.feed.kind === 'live' ? opts.feed.startTs : opts.feed.nextTs();
    if (first === null) throw new Pi5Error('PI5_ERR_NO_DATA', `paper session ${c.id}: the feed has no bars`);
    this.clock = new SimulatedClock(first);
    this.broker = opts.broker === undefined ? null : this.brokerSet([opts.broker, ...(opts.failover ?? [])]);
    ({ kernel: this.kernel, venue: this.venue } = buildSessionKernel(c, this.clock, opts.baseTimeframe, opts.log, this.broker?.factory()));
    opts.instruments.forEach((inst, i) => {
      const history = opts.feed.histories[i];
      if (history === undefined) throw new Pi5Error('PI5_ERR_INTERNAL', `paper session ${c.id}: no history for ${inst.symbol}`);
      this.kernel.addInstrument(inst, history);
    });
    this.ledger = new SessionLedger(this.kernel, c.cash);
    this.ctx = {
      kernel: this.kernel,
      resolveStrategy: opts.resolveStrategy,
      symbols: opts.instruments.map((i) => i.symbol),
      lastOrderUpdate: () => this.ledger.lastOrderUpdate,
    };
    forwardSessionEvents(this.kernel, this.ledger, this.events, () => this.live);
    logSessionEvents(this.kernel, opts.log, () => this.live);
  }

  /** Creates the session, or reopens a stored one with the same id (re-running its steps) and checks it. */
  static async open(opts: TradingSessionOptions): Promise<TradingSession> {
    const s = new TradingSession(opts);
    const stored = await opts.store.load(opts.config.id);
    if (stored === null) {
      await opts.store.create(opts.config.id, opts.config);
      for (const instance of opts.config.strategies) s.apply({ kind: 'startStrategy', instance, by: 'config' });
    } else {
      // A live session's past steps come back from the bar store, queued ahead of anything live.
      if (opts.feed.kind === 'live') await opts.feed.restore(stored.lastStepTs);
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
    // At a broker, trading starts only once the re-derived orders are taken over and the broker reconciled.
    if (s.broker !== null && s.state !== 'failed') await s.broker.start();
    return s;
  }

  private brokerSet(brokers: readonly SessionBroker[]): SessionBrokers {
    return new SessionBrokers(brokers, {
      working: () => this.kernel.oms.openOrders(),
      order: (clientOrderId) => this.kernel.oms.byClientId(clientOrderId),
      record: (a) => this.act({ ...a, by: `broker ${a.venue}` }),
      halt: (reason) => {
        this.failure = reason;
        this.opts.log.error(`paper session ${this.opts.config.id}: ${reason}`);
        this.setState('failed');
      },
      wallNow: Date.now,
      ...brokerNotices(this.opts.config.id, this.opts.log, this.events, this.opts.brokerRetry),
    });
  }

  private recover(stored: StoredSession): void {
    const c = this.opts.config;
    this.state = 'recovering';
    const startActions = c.strategies.map((instance): SessionAction => ({ kind: 'startStrategy', instance, by: 'config' }));
    const result = recoverSession(
      {
        id: c.id,
        config: c,
        ledger: this.ledger,
        requireAllSteps: this.opts.feed.kind === 'live',
        apply: (a) => void this.apply(a),
        release: () => this.releaseHeld(),
        runStep: () => this.runStep(),
      },
      stored,
      startActions,
    );
    this.actionSeq = result.nextActionSeq;
    this.recoveredSteps = this.ledger.stepCount;
    if (result.failure !== null) {
      this.state = 'failed';
      this.failure = result.failure;
      this.opts.log.error(`paper session ${c.id}: ${this.failure}`);
    }
  }

  private apply(a: SessionAction): ActionOutcome {
    checkAction(this.ctx, a);
    const out = this.broker !== null && (a.kind === 'venueReport' || a.kind === 'brokerStates') ? this.broker.apply(a, () => applyAction(this.ctx, a)) : applyAction(this.ctx, a);
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
    const keep = this.live && this.opts.feed.kind === 'live';
    if (ts === null || !this.kernel.runStep(this.opts.feed, this.ledger.stepCount, keep ? (bar) => this.stepBars.push(bar) : undefined)) return false;
    this.ledger.stepClosed(ts);
    return true;
  }

  /** Writes what the last step (and any actions since) changed, then lets the held orders reach the exchange. */
  private async persist(): Promise<void> {
    do {
      const dirty = this.ledger.takeDirty();
      const actions = this.pendingActions;
      const bars = this.stepBars;
      const refusedSeqs = this.refusedSeqs;
      this.pendingActions = [];
      this.stepBars = [];
      this.refusedSeqs = [];
      try {
        await this.opts.store.write({
          sessionId: this.opts.config.id,
          step: this.ledger.stepCount - 1,
          stepTs: this.ledger.curveTs[this.ledger.stepCount - 1] ?? null,
          bars,
          orders: dirty.orders,
          fills: dirty.fills,
          firstFillNo: dirty.firstFillNo,
          actions,
          refusedSeqs,
          snapshot: dirty.snapshot,
        });
      } catch (e) {
        // Nothing of the write is stored: all of it waits for the next attempt, and no held order goes out.
        this.ledger.restoreDirty(dirty);
        this.pendingActions = [...actions, ...this.pendingActions];
        this.stepBars = [...bars, ...this.stepBars];
        this.refusedSeqs = [...refusedSeqs, ...this.refusedSeqs];
        this.unwritten = true;
        throw e;
      }
      this.unwritten = false;
      if (this.statusStale) this.storeStatus();
      this.venue.release();
    } while (this.venue.heldCount > 0);
  }

  /** Recovery's release: orders the exchange's answers create are released too, as persist() does live. */
  private releaseHeld(): void {
    do this.venue.release();
    while (this.venue.heldCount > 0);
  }

  /** Runs `fn` after everything already queued on this session, one thing at a time. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Applies an action between steps. The action is journaled first, with whatever an earlier failed write left
   * unwritten: a refused write refuses the action alone and leaves nothing of it in memory. The orders it makes
   * are written next, before they reach the exchange; if that write fails they wait, held, for the next one
   * (recovery re-derives them from the journaled action).
   */
  act(action: SessionAction): Promise<ActionOutcome> {
    // A new order goes where the brokers' health says now: a change of route is journaled first.
    if (ORDER_ACTIONS.has(action.kind)) this.recordRoute();
    return this.actNow(action);
  }

  /** Queues a `brokerStates` action when the brokers' health changed where new orders go (failover). */
  private recordRoute(): void {
    const change = this.broker?.observe() ?? null;
    if (change === null) return;
    this.opts.log.warn(`paper session ${this.opts.config.id}: new orders go to another broker now: ${change.reasons}`);
    // A refused write leaves the journal as it was: the next observation records the change again.
    this.actNow({ kind: 'brokerStates', ...change, by: 'health' }).catch(() => undefined);
  }

  private actNow(action: SessionAction): Promise<ActionOutcome> {
    return this.serial(async () => {
      // What the brokers did is a fact: it is recorded even while the session is halted.
      if (this.state === 'failed' && action.kind !== 'venueReport' && action.kind !== 'reconciled' && action.kind !== 'brokerStates') throw new Pi5Error('PI5_ERR_BAD_USAGE', `paper session ${this.opts.config.id} is halted: ${this.failure ?? ''}`);
      if (this.opts.feed.done && ORDER_ACTIONS.has(action.kind)) {
        // Without another bar nothing can fill: the order would stay accepted forever.
        throw new Pi5Error('PI5_ERR_CONFLICT', `paper session ${this.opts.config.id} has replayed all its bars: no order can fill any more (start the server with more data or another --session)`, { state: this.state });
      }
      checkAction(this.ctx, action);
      const record: RecordedAction = { seq: this.actionSeq, afterStep: this.ledger.stepCount - 1, action };
      this.pendingActions.push(record);
      try {
        await this.persist();
      } catch (e) {
        // Stopping trading must work while the database is away: a trip takes effect now and its record waits,
        // first in line, for the next write (steps wait for that write too, so it lands after the same step).
        if (action.kind !== 'tripKillSwitch') {
          this.pendingActions = this.pendingActions.filter((r) => r !== record);
          this.refusedSeqs.push(this.actionSeq++);
          throw e;
        }
        this.opts.log.warn(`paper session ${this.opts.config.id}: kill switch tripped while storage is unreachable; its record waits for the next write`);
      }
      this.actionSeq++;
      const outcome = this.apply(action);
      try {
        await this.persist();
      } catch (e) {
        this.opts.log.warn(`paper session ${this.opts.config.id}: the orders of action #${record.seq} wait for storage: ${(e as Error).message}`);
      }
      return outcome;
    });
  }

  /** Before a live step: what the feed brings besides bars, journaled with the step and applied before it (liveStepActions). */
  private beforeLiveStep(): void {
    const feed = this.opts.feed;
    if (feed.kind !== 'live') return;
    for (const action of liveStepActions(feed, this.kernel.risk.staleDataReason)) {
      this.pendingActions.push({ seq: this.actionSeq++, afterStep: this.ledger.stepCount - 1, action });
      if (action.kind === 'dataStale') this.opts.log.warn(`paper session ${this.opts.config.id}: ${action.reason ?? 'market data is fresh again: strategies may place orders'}`);
      this.apply(action);
    }
  }

  /** Processes up to n steps now (tests, and the pacing loop one at a time); returns how many ran. */
  advance(n = 1): Promise<number> {
    // No step while a reconciliation with the broker runs.
    if (this.broker === null) return this.advanceNow(n);
    return this.broker.settled().then(() => {
      this.recordRoute();
      return this.advanceNow(n);
    });
  }

  private advanceNow(n: number): Promise<number> {
    return this.serial(async () => {
      let done = 0;
      while (done < n && this.state !== 'failed') {
        // A step never runs on state that storage lacks: an earlier failed write goes first.
        if (this.unwritten) await this.persist();
        this.beforeLiveStep();
        // Live, from when the step closed (it may have waited while the last one was written); a replay, from now.
        const feed = this.opts.feed;
        const readyAt = (feed.kind === 'live' ? feed.nextReadyAt() : null) ?? this.latencyClock();
        if (!this.runStep()) break;
        done++;
        const orders = this.venue.heldCount;
        await this.persist();
        // Only steps that sent orders: one clock read per step otherwise, and one event per deciding step.
        if (orders > 0) this.events.publish('ordersSent', { step: this.ledger.stepCount - 1, orders, latencySeconds: (this.latencyClock() - readyAt) / 1000 });
      }
      if (this.unwritten) await this.persist();
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
    this.pacer.wake();
  }

  setStepInterval(ms: number): void {
    this.pacer.intervalMs = Math.max(0, ms);
  }

  /** Stops pacing and waits for the step in flight and its write. */
  async stop(): Promise<void> {
    if (this.state === 'running') this.setState('paused');
    this.pacer.wake();
    this.retryDelay.wake();
    await this.loopDone;
    // Transitions after the last write (orders the exchange accepted on release) are stored too.
    await this.serial(async () => {
      if (this.state !== 'failed') await this.persist();
    });
    await this.statusTail;
    await this.broker?.close();
    await this.opts.store.setStatus(this.opts.config.id, this.state);
    this.statusStale = false;
  }

  private loop(): Promise<void> {
    return this.pacer.run(
      () => this.state === 'running',
      async () => {
        try {
          await this.advance(1);
          if (this.waiting !== null) this.resumed();
        } catch (e) {
          if (this.unwritten) return this.waitForStorage(e as Error);
          this.failure = `step ${this.ledger.stepCount} failed: ${(e as Error).message}`;
          this.opts.log.error(`paper session ${this.opts.config.id}: ${this.failure}`);
          this.setState('failed');
        }
      },
    );
  }

  /** Storage refused a write: nothing is lost (the write is kept), stepping waits and tries again with backoff. */
  private async waitForStorage(e: Error): Promise<void> {
    if (this.waiting === null) {
      this.waiting = 'database unreachable';
      this.opts.log.error(`paper session ${this.opts.config.id}: paused, storage refused a write (retrying): ${e.message}`);
      if (this.live) this.events.publish('status', this.status());
    }
    await this.retryDelay.sleep(this.retryMs);
    this.retryMs = Math.min(this.opts.storageRetryMaxMs ?? 2_000, this.retryMs * 2);
  }

  private resumed(): void {
    this.waiting = null;
    this.retryMs = RETRY_MIN_MS;
    this.opts.log.info(`paper session ${this.opts.config.id}: storage is back, stepping resumes`);
    if (this.live) this.events.publish('status', this.status());
  }

  private setState(state: SessionState): void {
    this.state = state;
    if (!this.live) return;
    this.events.publish('status', this.status());
    this.storeStatus();
  }

  /** Keeps paper_sessions.status true: written on every change, and again after an outage that refused it. */
  private storeStatus(): void {
    const state = this.state;
    this.statusStale = false;
    this.statusTail = this.statusTail
      .then(() => this.opts.store.setStatus(this.opts.config.id, state))
      .catch(() => {
        this.statusStale = true;
      });
  }

  status(): SessionStatus {
    return {
      id: this.opts.config.id,
      state: this.state,
      failure: this.failure,
      waiting: this.waiting,
      step: this.ledger.stepCount,
      steps: this.opts.feed.length,
      marketTime: this.ledger.stepCount > 0 ? this.clock.now() : null,
      stepIntervalMs: this.pacer.intervalMs,
      recoveredSteps: this.recoveredSteps,
      strategies: this.kernel.hosts.map((h) => h.strategyId),
      killSwitch: this.kernel.risk.killSwitch.tripped ? 'tripped' : 'reset',
      source: this.opts.feed.kind,
      live: this.opts.feed.kind === 'live' ? this.opts.feed.status() : null,
      dataStale: this.kernel.risk.staleDataReason,
      broker: this.broker === null ? null : { name: this.broker.primary.broker.name, reconciliation: this.broker.primary.last, route: this.broker.route(), venues: this.broker.status() },
    };
  }

  /** A health monitor per broker of the session (none on the simulated exchange), for /ready, /metrics and the API. */
  brokerMonitors(): readonly BrokerHealth[] {
    return this.broker?.monitors ?? [];
  }

  resolveStrategy(ref: string): ReturnType<StrategyResolver> {
    return this.opts.resolveStrategy(ref);
  }

  get baseTimeframe(): TimeframeSpec {
    return this.opts.baseTimeframe;
  }

  get config(): TradingSessionConfig {
    return this.opts.config;
  }
}
