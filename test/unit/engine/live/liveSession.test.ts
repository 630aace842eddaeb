import { describe, expect, it } from 'vitest';
import { LiveStepSource, MAX_TRADES_PER_STEP, type StepTicks } from '../../../../src/engine/live/liveStepSource.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import { parseTimeframe, type TimeframeSpec } from '../../../../src/model/timeframe.js';
import type { Bar, Order } from '../../../../src/model/types.js';
import type { TradingSession } from '../../../../src/engine/live/tradingSession.js';
import { resampleSeries } from '../../../../src/data/resample.js';
import { barAt } from '../../../../src/model/barSeries.js';
import { barsByTime, ManualTimers, openLiveSession, TestLiveFeed } from '../../../helpers/liveSession.js';
import { demoSeries, openSession } from '../../../helpers/tradingSession.js';

const M1 = parseTimeframe('1m') as TimeframeSpec;
const T0 = Date.UTC(2026, 0, 5, 14, 30);

function bar(symbol: string, ts: number, close = 10): Bar {
  return { symbol, timeframe: '1m', ts, open: close, high: close, low: close, close, volume: 100 };
}

function minuteSource(timers: ManualTimers, ignored: string[] = []): { source: LiveStepSource; feed: TestLiveFeed } {
  const source = new LiveStepSource({ provider: 'test', symbols: ['AAA', 'BBB'], timeframe: M1, startTs: T0, timers, onIgnored: (m) => ignored.push(m) });
  const feed = new TestLiveFeed();
  source.attach(feed);
  feed.status('subscribed');
  return { source, feed };
}

function deliver(source: LiveStepSource): string[] {
  const out: string[] = [];
  source.deliverStep((b) => out.push(`${b.symbol}@${(b.ts - T0) / 60_000}`));
  return out;
}

function shape(orders: readonly Order[]): string[] {
  return orders.map((o) => `${o.clientOrderId} ${o.symbol} ${o.side} ${o.quantity} ${o.status} ${o.filledQuantity} ${o.avgFillPrice.toFixed(8)} ${o.updatedAt}`);
}

describe('live step source', () => {
  it('closes a step when a bar with a later timestamp arrives, its bars in symbol order', () => {
    const { source, feed } = minuteSource(new ManualTimers(T0));
    feed.bar(bar('BBB', T0));
    feed.bar(bar('AAA', T0));
    expect(source.nextTs()).toBeNull();
    feed.bar(bar('AAA', T0 + 60_000));
    expect(source.nextTs()).toBe(T0);
    expect(deliver(source)).toEqual(['AAA@0', 'BBB@0']);
    expect(source.histories.map((h) => h.length)).toEqual([1, 1]);
    expect(source.nextTs()).toBeNull();
  });

  it('closes a step when its grace period after the bar end passes on the wall clock', async () => {
    const timers = new ManualTimers(T0 + 60_500);
    const { source, feed } = minuteSource(timers);
    feed.bar(bar('AAA', T0));
    let woke = false;
    void source.waitForStep().then(() => (woke = true));
    timers.advanceTo(T0 + 60_000 + 4_999);
    expect(source.nextTs()).toBeNull();
    timers.advanceTo(T0 + 60_000 + 5_000);
    expect(source.nextTs()).toBe(T0);
    await Promise.resolve();
    expect(woke).toBe(true);
    expect(deliver(source)).toEqual(['AAA@0']);
  });

  it('runs backfilled bars as steps in time order, waits for the backfill, and ignores (reports once) bars of past steps', () => {
    const timers = new ManualTimers(T0);
    const ignored: string[] = [];
    const { source, feed } = minuteSource(timers, ignored);
    feed.bar(bar('AAA', T0));
    feed.bar(bar('AAA', T0 + 60_000));
    expect(deliver(source)).toEqual(['AAA@0']);
    feed.status('reconnecting');
    feed.status('backfilling');
    // A backfill comes symbol by symbol: a later backfilled bar must not close the steps still missing BBB.
    feed.bar(bar('AAA', T0 + 120_000), true);
    feed.bar(bar('AAA', T0 + 180_000), true);
    timers.advanceTo(T0 + 600_000);
    feed.bar(bar('BBB', T0 + 60_000), true);
    feed.bar(bar('BBB', T0 + 120_000), true);
    expect(source.nextTs()).toBeNull();
    feed.status('live');
    feed.bar(bar('AAA', T0 + 240_000));
    expect([deliver(source), deliver(source), deliver(source)]).toEqual([['AAA@1', 'BBB@1'], ['AAA@2', 'BBB@2'], ['AAA@3']]);
    feed.bar(bar('BBB', T0 + 60_000));
    feed.bar(bar('BBB', T0));
    expect(ignored).toHaveLength(1);
    expect(ignored[0]).toMatch(/ignored BBB 1m bar at 2026-01-05T14:31:00.000Z/);
    expect(source.status()).toMatchObject({ provider: 'test', state: 'live', ignoredBars: 2 });
  });

  it('keeps the last quote of each symbol per step, hands them on before their step (those of a minute without bars with the next), and drops late ones', () => {
    const { source, feed } = minuteSource(new ManualTimers(T0));
    const quote = (symbol: string, ts: number, bid: number): void => source.onQuote({ symbol, ts, bid, ask: bid + 0.1, bidSize: 1, askSize: 1 });
    const taken = (): string[] => source.takeTicks().quotes.map((q) => `${q.symbol} ${q.bid} @${(q.ts - T0) / 1000}s`);
    quote('AAA', T0 + 1_000, 10);
    quote('BBB', T0 + 2_000, 20);
    quote('AAA', T0 + 3_000, 11);
    quote('ZZZ', T0 + 4_000, 99);
    // Minute 1 has no bars: its quote waits for the next step; minute 3's for its own.
    quote('BBB', T0 + 61_000, 21);
    quote('AAA', T0 + 181_000, 13);
    expect(taken()).toEqual([]);
    feed.bar(bar('AAA', T0));
    feed.bar(bar('AAA', T0 + 120_000));
    expect(taken()).toEqual(['BBB 20 @2s', 'AAA 11 @3s']);
    expect(deliver(source)).toEqual(['AAA@0']);
    // Minute 0 is closed: a quote of it now is late.
    quote('AAA', T0 + 59_000, 12);
    feed.bar(bar('AAA', T0 + 180_000));
    expect(taken()).toEqual(['BBB 21 @61s']);
    expect(deliver(source)).toEqual(['AAA@2']);
    expect(taken()).toEqual([]);
  });

  it('keeps every trade of a step in arrival order across symbols, only the latest MAX_TRADES_PER_STEP of a symbol, and drops late ones', () => {
    const { source, feed } = minuteSource(new ManualTimers(T0));
    const trade = (symbol: string, ts: number, price: number): void => source.onTrade({ symbol, ts, price, size: 1 });
    const taken = (): StepTicks => source.takeTicks();
    trade('AAA', T0 + 1_000, 10);
    trade('BBB', T0 + 2_000, 20);
    trade('ZZZ', T0 + 2_500, 99);
    // More prints of AAA than the cap: the first ones go, BBB's one stays in its place.
    for (let i = 0; i < MAX_TRADES_PER_STEP; i++) trade('AAA', T0 + 3_000 + i, 11 + i);
    trade('BBB', T0 + 61_000, 21);
    source.onQuote({ symbol: 'AAA', ts: T0 + 5_000, bid: 1, ask: 2, bidSize: 1, askSize: 1 });
    feed.bar(bar('AAA', T0));
    feed.bar(bar('AAA', T0 + 60_000));
    const first = taken();
    expect(first.quotes.map((q) => q.symbol)).toEqual(['AAA']);
    expect(first.trades).toHaveLength(MAX_TRADES_PER_STEP + 1);
    expect(first.trades.slice(0, 3).map((t) => `${t.symbol} ${t.price}`)).toEqual(['BBB 20', 'AAA 11', 'AAA 12']);
    expect(first.trades.at(-1)?.price).toBe(10 + MAX_TRADES_PER_STEP);
    expect(deliver(source)).toEqual(['AAA@0']);
    trade('AAA', T0 + 59_000, 12);
    feed.bar(bar('AAA', T0 + 120_000));
    expect(taken().trades.map((t) => `${t.symbol} ${t.price}`)).toEqual(['BBB 21']);
  });
});

describe('live paper session', () => {
  it('places the same orders on bars fed live as on the same bars replayed', async () => {
    const series = demoSeries();
    const replay = await openSession(new MemorySessionStore(), 'replay', series);
    await replay.advance(10_000);
    const steps = barsByTime(series);
    const first = steps[0]?.[0]?.ts ?? 0;
    const { session, feed, timers } = await openLiveSession(new MemorySessionStore(), 'live', ['AAA', 'BBB'], first);
    feed.status('subscribed');
    for (const bars of steps) for (const b of bars) feed.bar(b);
    timers.advanceTo((steps[steps.length - 1]?.[0]?.ts ?? 0) + 2 * 86_400_000);
    expect(await session.advance(10_000)).toBe(400);
    expect(session.status()).toMatchObject({ source: 'live', state: 'paused', step: 400, live: { provider: 'test', state: 'subscribed' } });
    expect(replay.kernel.oms.all().length).toBeGreaterThan(10);
    expect(shape(session.kernel.oms.all()).map((s) => s.replace('paper-live-', 'paper-replay-'))).toEqual(shape(replay.kernel.oms.all()));
    expect(session.ledger.curveEquity).toEqual(replay.ledger.curveEquity);
  });

  it('runs live steps from its loop as they close, and writes each step’s bars with its orders', async () => {
    const steps = barsByTime(demoSeries(60));
    const store = new MemorySessionStore();
    const { session, feed } = await openLiveSession(store, 'loop', ['AAA', 'BBB'], steps[0]?.[0]?.ts ?? 0);
    session.start();
    for (const bars of steps) for (const b of bars) feed.bar(b);
    // The last step is still open: no later bar, and the (manual) wall clock has not moved.
    for (let i = 0; i < 100 && session.status().step < 59; i++) await new Promise((r) => setTimeout(r, 5));
    await session.stop();
    expect(session.status().step).toBe(59);
    expect(store.bars).toHaveLength(118);
    expect((await store.load('loop'))?.lastStepTs).toBe(steps[58]?.[0]?.ts);
  });

  it('tells how long after a step closed its orders reached the venue (tick→order), for the steps that sent orders', async () => {
    const steps = barsByTime(demoSeries(200));
    let clockMs = 0;
    const { session, feed } = await openLiveSession(new MemorySessionStore(), 'latency', ['AAA', 'BBB'], steps[0]?.[0]?.ts ?? 0, { latencyClock: () => clockMs });
    const sent: { step: number; orders: number; latencySeconds: number }[] = [];
    session.events.subscribe('ordersSent', (e) => sent.push(e));
    const orders = new Set<string>();
    session.events.subscribe('order', (o) => orders.add(o.clientOrderId));
    for (let k = 0; k < steps.length; k++) {
      // Step k's first bar closes step k-1 at 10 s × k; the session takes that step (k % 5) + 7 ms later.
      clockMs = 10_000 * k;
      for (const b of steps[k] ?? []) feed.bar(b);
      clockMs += (k % 5) + 7;
      if (k > 0) expect(await session.advance(1)).toBe(1);
    }
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.map((e) => e.latencySeconds)).toEqual(sent.map((e) => (((e.step + 1) % 5) + 7) / 1000));
    // Every order of the run is counted once, in the step that sent it (no event for steps without orders).
    expect(sent.reduce((n, e) => n + e.orders, 0)).toBe(orders.size);
    expect(new Set(sent.map((e) => e.step)).size).toBe(sent.length);
    expect(sent.every((e) => e.orders > 0)).toBe(true);
  });

  it('recovers a killed live session from its stored bars and continues live', async () => {
    const series = demoSeries();
    const reference = await openSession(new MemorySessionStore(), 'ref', series);
    await reference.advance(10_000);
    const steps = barsByTime(series);
    const start = steps[0]?.[0]?.ts ?? 0;
    const store = new MemorySessionStore();
    const first = await openLiveSession(store, 'crash', ['AAA', 'BBB'], start);
    for (const bars of steps.slice(0, 201)) for (const b of bars) first.feed.bar(b);
    expect(await first.session.advance(10_000)).toBe(200);
    // The process dies: the next session re-runs the 200 stored steps from the stored bars.
    const second = await openLiveSession(store, 'crash', ['AAA', 'BBB'], start);
    expect(second.session.status()).toMatchObject({ state: 'paused', recoveredSteps: 200, step: 200 });
    second.feed.status('subscribed');
    // After a reconnect the feed repeats a few bars the session already ran: they are ignored.
    for (const bars of steps.slice(195)) for (const b of bars) second.feed.bar(b);
    second.timers.advanceTo((steps[steps.length - 1]?.[0]?.ts ?? 0) + 2 * 86_400_000);
    expect(await second.session.advance(10_000)).toBe(200);
    expect(second.source.status().ignoredBars).toBe(10);
    expect(shape(second.session.kernel.oms.all()).map((s) => s.replace('paper-crash-', 'paper-ref-'))).toEqual(shape(reference.kernel.oms.all()));
    expect(second.session.kernel.portfolio.equity()).toBe(reference.kernel.portfolio.equity());
    expect((await store.load('crash'))?.orders.size).toBe(reference.kernel.oms.all().length);
  });

  it('halts when the stored bars no longer cover the stored steps', async () => {
    const steps = barsByTime(demoSeries(80));
    const store = new MemorySessionStore();
    const first = await openLiveSession(store, 'gone', ['AAA', 'BBB'], steps[0]?.[0]?.ts ?? 0);
    for (const bars of steps) for (const b of bars) first.feed.bar(b);
    await first.session.advance(10_000);
    store.bars.splice(10, 4);
    const second = await openLiveSession(store, 'gone', ['AAA', 'BBB'], steps[0]?.[0]?.ts ?? 0);
    expect(second.session.status().state).toBe('failed');
    expect(second.session.status().failure).toMatch(/bars of \d+ of 79 stored steps/);
  });
});

describe('stale market data', () => {
  it('places no strategy orders on steps whose data is older than maxDataAgeMs, says so in the status, and recovers the same', async () => {
    const DAY = 86_400_000;
    const steps = barsByTime(demoSeries(200));
    const ts = (k: number): number => steps[k]?.[0]?.ts ?? 0;
    const reference = await openLiveSession(new MemorySessionStore(), 'fresh', ['AAA', 'BBB'], ts(0));
    const store = new MemorySessionStore();
    const stale = await openLiveSession(store, 'stale', ['AAA', 'BBB'], ts(0), { maxDataAgeMs: 3 * DAY });
    const seen: (string | null)[] = [];
    // Steps 40–139 run late: the wall clock stands at the end of step 139 (a feed catching up after an outage).
    const wallAt = (k: number): number => (k >= 40 && k < 140 ? ts(139) : ts(k)) + DAY + 1_000;
    for (const h of [reference, stale]) {
      h.feed.status('subscribed');
      for (const bars of steps) for (const b of bars) h.feed.bar(b);
      for (let k = 0; k < steps.length - 1; k++) {
        h.timers.advanceTo(wallAt(k));
        expect(await h.session.advance(1)).toBe(1);
        if (h === stale) seen.push(h.session.status().dataStale ?? null);
      }
    }
    const staleSteps = new Set(steps.slice(0, -1).map((_, k) => k).filter((k) => seen[k] !== null).map(ts));
    expect(staleSteps.size).toBeGreaterThan(90);
    expect(seen[139]).toBeNull();
    expect(seen[60]).toMatch(/^market data is stale: the 1d bars of .* ended \d+ s ago \(session.live.maxDataAgeMs 259200000\)$/);
    // The fresh run placed orders on those steps; the stale run's strategy was refused each one (RISK_STALE_DATA).
    const madeOn = (s: TradingSession): number[] => s.kernel.oms.all().filter((o) => o.status !== 'rejected').map((o) => o.createdAt);
    expect(madeOn(reference.session).filter((t) => staleSteps.has(t)).length).toBeGreaterThan(0);
    const onStale = stale.session.kernel.oms.all().filter((o) => staleSteps.has(o.createdAt));
    expect(onStale.length).toBeGreaterThan(0);
    expect(onStale.map((o) => [o.strategyId, o.status])).toEqual(onStale.map(() => ['sma', 'rejected']));
    expect(madeOn(stale.session).length).toBeGreaterThan(0);
    // The guard is journaled: a restart re-derives the same orders.
    const again = await openLiveSession(store, 'stale', ['AAA', 'BBB'], ts(0), { maxDataAgeMs: 3 * DAY });
    expect(shape(again.session.kernel.oms.all())).toEqual(shape(stale.session.kernel.oms.all()));
    expect(again.session.status().dataStale).toBeNull();
  });
});

describe('live steps on coarser bars built from minute bars', () => {
  it('steps on 5m bars equal to the resampled minutes, a corrected minute replacing the first', () => {
    const M5 = parseTimeframe('5m') as TimeframeSpec;
    const timers = new ManualTimers(T0);
    const source = new LiveStepSource({ provider: 'test', symbols: ['AAA', 'BBB'], timeframe: M5, feedTimeframe: M1, startTs: T0, timers });
    const feed = new TestLiveFeed();
    source.attach(feed);
    feed.status('subscribed');
    const minutes = demoSeries(20).map((s) => ({ ...s, timeframe: '1m', ts: Float64Array.from(s.ts, (_, i) => T0 + i * 60_000) }));
    for (let i = 0; i < 20; i++) {
      for (const s of minutes) {
        const b = { ...barAt(s, i), timeframe: '1m' };
        // A first, wrong print of minute 7 is corrected (Alpaca's updatedBars): the step uses the correction.
        if (i === 7) feed.bar({ ...b, high: b.high * 2, volume: b.volume * 9 });
        feed.bar(b);
      }
    }
    timers.advanceTo(T0 + 20 * 60_000 + 5 * 60_000);
    const got: Bar[] = [];
    while (source.nextTs() !== null) source.deliverStep((b) => got.push(b));
    const want = minutes.flatMap((s) => Array.from({ length: resampleSeries(s, '5m').length }, (_, i) => barAt(resampleSeries(s, '5m'), i)));
    expect(got.sort((a, b) => a.ts - b.ts || a.symbol.localeCompare(b.symbol))).toEqual(want.sort((a, b) => a.ts - b.ts || a.symbol.localeCompare(b.symbol)));
    expect(got).toHaveLength(8);
  });
});
