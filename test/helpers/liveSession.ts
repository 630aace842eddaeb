// A live paper session over a small test LiveFeed (our own interface, implemented here to emit chosen bars and
// states) and a manual wall clock, shared by the live session's unit tests.

import { createLogger } from '../../src/core/log.js';
import { LiveEmitter } from '../../src/data/providers/liveEmitter.js';
import type { LiveFeed, LiveFeedEvents, LiveFeedState, LiveListener } from '../../src/data/providers/types.js';
import { LiveStepSource, type LiveStepSourceOptions, type WallTimers } from '../../src/engine/live/liveStepSource.js';
import { TradingSession } from '../../src/engine/live/tradingSession.js';
import { MemorySessionStore, type TradingSessionStore } from '../../src/engine/live/sessionStore.js';
import { barAt, type BarSeries } from '../../src/model/barSeries.js';
import type { Bar, Instrument } from '../../src/model/types.js';
import { findBuiltin } from '../../src/strategy/registry.js';
import { TF, config } from './tradingSession.js';

/** A LiveFeed whose bars and states the test emits by hand. */
export class TestLiveFeed implements LiveFeed {
  readonly name = 'test';
  readonly ticks = { quotes: true, trades: true };
  private readonly events = new LiveEmitter();
  async connect(): Promise<void> {
    this.status('connected');
  }
  async subscribe(): Promise<void> {}
  async unsubscribe(): Promise<void> {}
  on<K extends keyof LiveFeedEvents>(event: K, listener: LiveListener<K>): () => void {
    return this.events.on(event, listener);
  }
  async close(): Promise<void> {
    this.status('closed');
  }
  bar(bar: Bar, backfilled = false): void {
    this.events.emit('bar', { bar, backfilled });
  }
  status(state: LiveFeedState): void {
    this.events.emit('status', { state });
  }
}

/** A wall clock that moves only when told, firing the timers that fall due. */
export class ManualTimers implements WallTimers {
  private t: number;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  constructor(start: number) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Moves the clock to `ts`, firing due timers oldest first. */
  advanceTo(ts: number): void {
    for (;;) {
      const due = [...this.pending].filter(([, p]) => p.at <= ts).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.pending.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = Math.max(this.t, ts);
  }
}

/** Every bar of the series grouped by time, oldest first (what a live feed would send minute by minute). */
export function barsByTime(series: readonly BarSeries[]): Bar[][] {
  const byTs = new Map<number, Bar[]>();
  for (const s of series) for (let i = 0; i < s.length; i++) {
    const b = barAt(s, i);
    byTs.set(b.ts, [...(byTs.get(b.ts) ?? []), b]);
  }
  return [...byTs.entries()].sort((a, b) => a[0] - b[0]).map(([, bars]) => bars);
}

export interface LiveHarness {
  readonly session: TradingSession;
  readonly source: LiveStepSource;
  readonly feed: TestLiveFeed;
  readonly timers: ManualTimers;
}

/** A live session on the test feed; a memory store's stored steps come back from its bars (else pass loadRecorded). */
export async function openLiveSession(store: TradingSessionStore, id: string, symbols: readonly string[], startTs: number, extra: Partial<LiveStepSourceOptions> = {}): Promise<LiveHarness> {
  const timers = new ManualTimers(startTs);
  const feed = new TestLiveFeed();
  const source = new LiveStepSource({
    provider: 'test',
    symbols,
    timeframe: TF,
    startTs,
    timers,
    ...(store instanceof MemorySessionStore ? { loadRecorded: async (from: number, to: number) => store.bars.filter((b) => b.ts >= from && b.ts <= to) } : {}),
    ...extra,
  });
  source.attach(feed);
  const instruments: Instrument[] = symbols.map((symbol) => ({ symbol, priceDecimals: 2, lotSize: 1, currency: 'USD', timeZone: 'UTC' }));
  const session = await TradingSession.open({
    config: config(id),
    feed: source,
    instruments,
    baseTimeframe: TF,
    store,
    resolveStrategy: (ref) => findBuiltin(ref),
    log: createLogger('error'),
    stepIntervalMs: 0,
    // The session times tick→order with the clock its source stamps steps with.
    ...(extra.latencyClock === undefined ? {} : { latencyClock: extra.latencyClock }),
  });
  return { session, source, feed, timers };
}
