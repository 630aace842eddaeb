// A live session's steps, built from a market-data feed's bar events (docs/api.md, "Live mode"). Bars of one
// timestamp form one step; the step closes when a bar with a later timestamp arrives, or when its grace period
// has passed on the wall clock (bar open + timeframe + grace), since a symbol that did not trade that minute
// sends no bar at all. Closed steps wait in order until the session runs them. A session stepping on 5m, 15m or
// 1h bars gets them built from the feed's minute bars with the resampler's aggregator (model/barAggregator.ts), so
// a step's bar equals the one `pi5 backtest` resamples from the same minutes.

import { monotonicMs, WallClock, type MonotonicMs } from '../../core/clock.js';
import type { LiveBar, LiveFeed, LiveFeedState, LiveStatus } from '../../data/providers/types.js';
import type { TimeframeSpec } from '../../model/timeframe.js';
import type { Bar, Quote, Trade } from '../../model/types.js';
import { BufferHistory } from '../history.js';
import { BarAggregator } from '../../model/barAggregator.js';
import { bucketStart } from '../../model/timeframe.js';
import type { StepSource } from './stepSource.js';

export const DEFAULT_GRACE_MS = 5_000;
/** Trades kept per symbol per step: beyond it only the latest (the journal stays bounded; docs/live-trading.md). */
export const MAX_TRADES_PER_STEP = 1_000;

/** What the feed sent besides bars, handed to the strategies before a step (liveStepActions.ts journals it). */
export interface StepTicks {
  /** The last quote of each symbol, in arrival order. */
  readonly quotes: Quote[];
  /** Every trade in arrival order (at most MAX_TRADES_PER_STEP per symbol and step: the latest). */
  readonly trades: Trade[];
}

/** One step's ticks while it waits: trades carry their arrival number so the symbols' lists merge back in order. */
interface PendingTicks {
  readonly quotes: Map<string, Quote>;
  readonly trades: Map<string, { readonly n: number; readonly trade: Trade }[]>;
}

/** The wall clock and its timers, injected so tests decide when a grace period has passed. */
export interface WallTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const wallClock = new WallClock();
export const REAL_TIMERS: WallTimers = {
  now: () => wallClock.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface LiveStepSourceOptions {
  /** The feed's name (alpaca, ...), shown in the session's status. */
  readonly provider: string;
  readonly symbols: readonly string[];
  readonly timeframe: TimeframeSpec;
  /** The feed's bar timeframe when the steps are coarser (1m bars building 5m steps); default `timeframe`. */
  readonly feedTimeframe?: TimeframeSpec;
  /** Market time the session starts at: bars before it are history (warm-up), not steps. */
  readonly startTs: number;
  readonly graceMs?: number;
  /** Recent bars before startTs, oldest first, loaded into the histories before the first step. */
  readonly warmup?: readonly Bar[];
  /** The bars of the session's stored steps in [fromTs, toTs] (the server reads the bar store). */
  readonly loadRecorded?: (fromTs: number, toTs: number) => Promise<readonly Bar[]>;
  /** A step whose bars ended longer ago than this (wall clock) is stale: its strategies place no new orders. */
  readonly maxDataAgeMs?: number;
  /** Told once, the first time a bar is ignored (older than the last step, or before the start). */
  readonly onIgnored?: (message: string) => void;
  readonly timers?: WallTimers;
  /** Stamps when each step closes, for the session's tick→order latency (default `performance.now()`). */
  readonly latencyClock?: MonotonicMs;
}

export interface LiveSourceStatus {
  readonly provider: string;
  readonly symbols: readonly string[];
  readonly timeframe: string;
  readonly graceMs: number;
  /** Market time the session started at (epoch ms): bars before it are history, not steps. */
  readonly startTs: number;
  /** The feed's connection state ('idle' before it reports one). */
  readonly state: LiveFeedState | 'idle';
  readonly detail: string | null;
  /** Bars dropped because their step had already been processed (late or repeated after a reconnect). */
  readonly ignoredBars: number;
  readonly maxDataAgeMs: number | null;
}

/** Feed states in which bars still arrive out of order: a grace timeout must not close steps then. */
const CATCHING_UP: ReadonlySet<LiveFeedState | 'idle'> = new Set(['connecting', 'reconnecting', 'backfilling']);
/** Feed states in which the feed is up (the API's readiness check). */
const UP: ReadonlySet<LiveFeedState | 'idle'> = new Set(['connected', 'subscribed', 'backfilling', 'live']);

/** True in the feed states in which bars arrive (the API's readiness check). */
export function liveFeedUp(state: LiveFeedState | 'idle'): boolean {
  return UP.has(state);
}

export class LiveStepSource implements StepSource {
  readonly kind = 'live';
  readonly histories: readonly BufferHistory[];
  readonly startTs: number;
  readonly graceMs: number;
  private readonly index: ReadonlyMap<string, number>;
  private readonly timers: WallTimers;
  /** Steps still open: bars by symbol, by step time. */
  private readonly open = new Map<number, Map<string, Bar>>();
  /** Aggregating steps: the feed's bars of each open step, by step time, symbol and bar time. */
  private readonly parts = new Map<number, Map<string, Map<number, Bar>>>();
  /** Closed steps waiting to run, oldest first, each in symbol order. */
  private readonly closed: Bar[][] = [];
  /** When each of `closed` closed (latencyClock), in the same order. */
  private readonly closedAt: number[] = [];
  private readonly latencyClock: MonotonicMs;
  /**
   * Quotes and trades not yet handed to a step, by the step (bar time) their time falls in: the last quote of each
   * symbol, in arrival order (re-inserted on each update), and each symbol's trades up to the cap. Memory is
   * bounded by symbols × steps waiting to run, however fast the feed quotes (docs/live-trading.md, "Quotes").
   */
  private readonly ticks = new Map<number, PendingTicks>();
  private tradeCount = 0;
  /** Time of the newest closed step: a bar at or before it comes too late. */
  private lastClosedTs = -Infinity;
  private delivered = 0;
  private ignored = 0;
  private feedState: LiveFeedState | 'idle' = 'idle';
  private feedDetail: string | null = null;
  private timer: unknown = null;
  private waiter: (() => void) | null = null;

  constructor(private readonly o: LiveStepSourceOptions) {
    this.startTs = o.startTs;
    this.graceMs = o.graceMs ?? DEFAULT_GRACE_MS;
    this.timers = o.timers ?? REAL_TIMERS;
    this.latencyClock = o.latencyClock ?? monotonicMs;
    this.index = new Map(o.symbols.map((s, i) => [s, i]));
    const histories = o.symbols.map((s) => new BufferHistory(s, o.timeframe.text));
    for (const b of o.warmup ?? []) {
      const i = this.index.get(b.symbol);
      if (i !== undefined && b.ts < o.startTs) histories[i]?.push(b);
    }
    this.histories = histories;
  }

  get length(): number {
    return this.delivered + this.closed.length;
  }

  get done(): boolean {
    return false;
  }

  nextTs(): number | null {
    return this.closed[0]?.[0]?.ts ?? null;
  }

  /** When the next step closed (latencyClock: its bars complete or its grace period over), or null when none waits. */
  nextReadyAt(): number | null {
    return this.closedAt[0] ?? null;
  }

  deliverStep(onBar: (bar: Bar) => void): number {
    const step = this.closed.shift();
    this.closedAt.shift();
    if (step === undefined) return -1;
    for (const b of step) {
      this.histories[this.index.get(b.symbol) ?? -1]?.push(b);
      onBar(b);
    }
    return this.delivered++;
  }

  /** Listens to a feed's bars and status; returns the function that stops listening. */
  attach(feed: LiveFeed): () => void {
    const offBar = feed.on('bar', (b) => this.onBar(b));
    const offStatus = feed.on('status', (s) => this.onStatus(s));
    const offQuote = feed.on('quote', (q) => this.onQuote(q));
    const offTrade = feed.on('trade', (t) => this.onTrade(t));
    return () => {
      offBar();
      offQuote();
      offTrade();
      offStatus();
    };
  }

  /**
   * Queues the session's stored steps (bars up to its last stored step) ahead of anything live, so recovery
   * runs them exactly as they ran before; later feed bars at or before them are ignored.
   */
  async restore(lastStepTs: number | null): Promise<void> {
    if (lastStepTs === null || this.o.loadRecorded === undefined) return;
    const bars = await this.o.loadRecorded(this.startTs, lastStepTs);
    for (const b of bars) if (this.index.has(b.symbol) && b.ts >= this.startTs && b.ts <= lastStepTs) this.add(b);
    this.closeUpTo(lastStepTs);
  }

  /** A bar from the feed. Backfilled bars never close steps by their time: a backfill comes symbol by symbol. */
  onBar(lb: LiveBar): void {
    const feedTf = this.o.feedTimeframe;
    const bar = feedTf !== undefined && lb.bar.timeframe === feedTf.text ? this.addPart(lb.bar) : lb.bar;
    if (!this.index.has(bar.symbol)) return;
    if (bar.timeframe !== this.o.timeframe.text || bar.ts <= this.lastClosedTs || bar.ts < this.startTs) {
      this.ignore(bar);
      return;
    }
    this.add(bar);
    if (!lb.backfilled) this.closeUpTo(bar.ts - 1);
    this.schedule();
  }

  /**
   * A quote from the feed: kept (replacing the symbol's previous one of the same step) until its step runs. One
   * of a step already closed (or run, before a restart) comes too late, as its bars would, and is dropped.
   */
  onQuote(q: Quote): void {
    const step = this.ticksOf(q.symbol, q.ts);
    if (step === null) return;
    step.quotes.delete(q.symbol);
    step.quotes.set(q.symbol, q);
  }

  /** A trade from the feed: kept, in arrival order, until its step runs (dropped when late, as a quote). */
  onTrade(trade: Trade): void {
    const step = this.ticksOf(trade.symbol, trade.ts);
    if (step === null) return;
    let list = step.trades.get(trade.symbol);
    if (list === undefined) step.trades.set(trade.symbol, (list = []));
    list.push({ n: this.tradeCount++, trade });
    if (list.length > MAX_TRADES_PER_STEP) list.shift();
  }

  /**
   * The quotes and trades to hand the strategies before the next step's bars, and forgets them: those of that
   * step and of any earlier one (a step without bars), oldest step first, each in arrival order.
   */
  takeTicks(): StepTicks {
    const out: StepTicks = { quotes: [], trades: [] };
    const ts = this.nextTs();
    if (ts === null) return out;
    const due = [...this.ticks.keys()].filter((t) => t <= ts).sort((a, b) => a - b);
    for (const t of due) {
      const step = this.ticks.get(t) as PendingTicks;
      out.quotes.push(...step.quotes.values());
      const trades = [...step.trades.values()].flat().sort((a, b) => a.n - b.n);
      out.trades.push(...trades.map((x) => x.trade));
      this.ticks.delete(t);
    }
    return out;
  }

  onStatus(s: LiveStatus): void {
    this.feedState = s.state;
    this.feedDetail = s.detail ?? null;
    this.schedule();
  }

  /** Resolves once a closed step waits (at once if one does), or when woken. */
  waitForStep(): Promise<void> {
    if (this.closed.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Ends a waitForStep in progress (the session pauses or stops). */
  wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Stops the grace timer (the session closes). */
  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.wake();
  }

  status(): LiveSourceStatus {
    return {
      provider: this.o.provider,
      symbols: this.o.symbols,
      timeframe: this.o.timeframe.text,
      graceMs: this.graceMs,
      startTs: this.startTs,
      state: this.feedState,
      detail: this.feedDetail,
      ignoredBars: this.ignored,
      maxDataAgeMs: this.o.maxDataAgeMs ?? null,
    };
  }

  /** Why the step at `stepTs` is too old to trade on now (its bars ended more than maxDataAgeMs ago), or null. */
  staleness(stepTs: number): string | null {
    const max = this.o.maxDataAgeMs;
    if (max === undefined) return null;
    const ageMs = this.timers.now() - (stepTs + this.o.timeframe.ms);
    if (ageMs <= max) return null;
    return `market data is stale: the ${this.o.timeframe.text} bars of ${new Date(stepTs).toISOString()} ended ${Math.round(ageMs / 1000)} s ago (session.live.maxDataAgeMs ${max})`;
  }

  /** The pending ticks of the step a quote or trade at `ts` falls in, or null (not our symbol, or too late). */
  private ticksOf(symbol: string, ts: number): PendingTicks | null {
    if (!this.index.has(symbol)) return null;
    const stepTs = bucketStart(this.o.timeframe, ts);
    if (stepTs <= this.lastClosedTs) return null;
    let step = this.ticks.get(stepTs);
    if (step === undefined) this.ticks.set(stepTs, (step = { quotes: new Map(), trades: new Map() }));
    return step;
  }

  /**
   * A feed bar of an aggregated step: kept (a correction of the same minute replaces it) and the step's bar built
   * again from all of them, oldest first.
   */
  private addPart(part: Bar): Bar {
    const tf = this.o.timeframe;
    const ts = bucketStart(tf, part.ts);
    if (ts <= this.lastClosedTs || !this.index.has(part.symbol)) return { ...part, ts, timeframe: tf.text };
    let step = this.parts.get(ts);
    if (step === undefined) this.parts.set(ts, (step = new Map()));
    let minutes = step.get(part.symbol);
    if (minutes === undefined) step.set(part.symbol, (minutes = new Map()));
    minutes.set(part.ts, part);
    const built: Bar[] = [];
    const agg = new BarAggregator(part.symbol, tf, this.o.feedTimeframe?.ms ?? tf.ms, (b) => void built.push(b));
    for (const m of [...minutes.values()].sort((a, b) => a.ts - b.ts)) {
      agg.beforeBar(m.ts);
      agg.add(m);
    }
    if (built.length === 0) agg.flushOpen();
    return built[0] ?? part;
  }

  private add(bar: Bar): void {
    let step = this.open.get(bar.ts);
    if (step === undefined) this.open.set(bar.ts, (step = new Map()));
    // A repeated bar (an update of the same minute) replaces the first: the step is not closed yet.
    step.set(bar.symbol, bar);
  }

  /** Closes every open step at or before ts, oldest first. */
  private closeUpTo(ts: number): void {
    const due = [...this.open.keys()].filter((t) => t <= ts).sort((a, b) => a - b);
    const at = due.length > 0 ? this.latencyClock() : 0;
    for (const t of due) {
      const bars = [...(this.open.get(t)?.values() ?? [])];
      this.open.delete(t);
      this.parts.delete(t);
      bars.sort((a, b) => (this.index.get(a.symbol) ?? 0) - (this.index.get(b.symbol) ?? 0));
      this.closed.push(bars);
      this.closedAt.push(at);
      this.lastClosedTs = t;
    }
    if (due.length > 0) this.wake();
  }

  /** Arms the grace timer for the oldest open step (unless the feed is catching up). */
  private schedule(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.open.size === 0 || CATCHING_UP.has(this.feedState)) return;
    const oldest = Math.min(...this.open.keys());
    const wait = Math.max(0, this.deadline(oldest) - this.timers.now());
    this.timer = this.timers.setTimeout(() => this.onGrace(), wait);
  }

  private onGrace(): void {
    this.timer = null;
    if (CATCHING_UP.has(this.feedState)) return;
    const now = this.timers.now();
    // Deadlines grow with the step time, so the steps past theirs are the oldest ones.
    let last = -Infinity;
    for (const t of this.open.keys()) if (this.deadline(t) <= now && t > last) last = t;
    this.closeUpTo(last);
    this.schedule();
  }

  /** Wall time by which a step's bars should all have arrived. */
  private deadline(stepTs: number): number {
    return stepTs + this.o.timeframe.ms + this.graceMs;
  }

  private ignore(bar: Bar): void {
    if (this.ignored++ === 0) {
      this.o.onIgnored?.(
        `live ${this.o.provider}: ignored ${bar.symbol} ${bar.timeframe} bar at ${new Date(bar.ts).toISOString()}: ` +
          'not a step the session can still run (older than its last step, before its start, or another timeframe); further ones are counted in the status',
      );
    }
  }
}
