// Quotes and trades in a live session: the local fake Alpaca streams quotes, trades and minute bars in Alpaca's
// wire format, a strategy trading on onQuote or onTrade sees them before each step's bar, and a restart
// re-derives the same orders from the journaled quotes and trades (no feed at all the second time).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/core/log.js';
import { AlpacaLiveFeed } from '../../../../src/data/providers/alpaca/stream.js';
import { LiveStepSource } from '../../../../src/engine/live/liveStepSource.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import { TradingSession } from '../../../../src/engine/live/tradingSession.js';
import { parseTimeframe, type TimeframeSpec } from '../../../../src/model/timeframe.js';
import type { Order } from '../../../../src/model/types.js';
import { defineStrategy } from '../../../../src/strategy/api.js';
import { findBuiltin } from '../../../../src/strategy/registry.js';
import { ManualTimers } from '../../../helpers/liveSession.js';
import { barFrame, until } from '../../../helpers/liveServer.js';
import { config } from '../../../helpers/tradingSession.js';
import { barsFrom, FAKE_KEY, FAKE_SECRET, startFakeAlpaca, type FakeAlpaca } from '../../data/providers/fakeAlpaca.js';

const M1 = parseTimeframe('1m') as TimeframeSpec;
const T0 = Date.UTC(2026, 0, 5, 14, 30);

/** Buys 10 when the ask dips under 99.5 and closes when the bid rises over 101; notes every quote it sees. */
function quoteDip(seen: string[]) {
  return defineStrategy({
    id: 'quote-dip',
    name: 'Quote dip',
    description: 'test strategy trading on quotes',
    params: {},
    create: () => ({
      onQuote(q, ctx) {
        seen.push(`${q.symbol} ${q.bid}/${q.ask} @${(q.ts - T0) / 1000}s`);
        if (q.ask < 99.5 && ctx.position(q.symbol) === 0) ctx.buy(q.symbol, 10);
        if (q.bid > 101 && ctx.position(q.symbol) > 0) ctx.close(q.symbol);
      },
    }),
  });
}

/** Buys 10 on a print under 99.5 and closes on one over 101; notes every trade and quote it sees. */
function tapeDip(seen: string[]) {
  return defineStrategy({
    id: 'tape-dip',
    name: 'Tape dip',
    description: 'test strategy trading on trades',
    params: {},
    create: () => ({
      onQuote(q) {
        seen.push(`quote ${q.symbol} ${q.bid}/${q.ask} @${(q.ts - T0) / 1000}s`);
      },
      onTrade(t, ctx) {
        seen.push(`trade ${t.symbol} ${t.size}@${t.price} @${(t.ts - T0) / 1000}s`);
        if (t.price < 99.5 && ctx.position(t.symbol) === 0) ctx.buy(t.symbol, 10);
        if (t.price > 101 && ctx.position(t.symbol) > 0) ctx.close(t.symbol);
      },
    }),
  });
}

const tradeFrame = (S: string, ts: number, p: number, size: number): Record<string, unknown> => ({ T: 't', S, i: ts, x: 'V', p, s: size, t: new Date(ts).toISOString(), c: ['@'], z: 'C' });

const quoteFrame = (S: string, ts: number, bp: number, ap: number): Record<string, unknown> => ({ T: 'q', S, bx: 'V', bp, bs: 3, ax: 'V', ap, as: 5, t: new Date(ts).toISOString(), c: ['R'], z: 'C' });

async function open(store: MemorySessionStore, def: ReturnType<typeof quoteDip>, name = 'quotes'): Promise<{ session: TradingSession; source: LiveStepSource }> {
  const source = new LiveStepSource({
    provider: 'alpaca',
    symbols: ['AAPL', 'MSFT'],
    timeframe: M1,
    startTs: T0,
    timers: new ManualTimers(T0),
    loadRecorded: async (from, to) => store.bars.filter((b) => b.ts >= from && b.ts <= to),
  });
  const session = await TradingSession.open({
    config: { ...config(name), strategies: [{ id: 'dip', strategy: def.id, params: {}, symbols: ['AAPL'] }] },
    feed: source,
    instruments: ['AAPL', 'MSFT'].map((symbol) => ({ symbol, priceDecimals: 2, lotSize: 1, currency: 'USD', timeZone: 'UTC' })),
    baseTimeframe: M1,
    store,
    resolveStrategy: (ref) => (ref === def.id ? def : findBuiltin(ref)),
    log: createLogger('error'),
    stepIntervalMs: 0,
  });
  return { session, source };
}

/**
 * Streams three minutes through the fake Alpaca into the session's source: `first` (minute 0's ticks), then each
 * minute's bars (closing the minute before) with `later(m)` ticks of minutes 1 and 2, until three steps wait.
 */
async function streamMinutes(source: LiveStepSource, ticks: { quotes?: string[]; trades?: string[] }, first: Record<string, unknown>[], later: (m: number) => Record<string, unknown>): Promise<void> {
  const feed = new AlpacaLiveFeed({ credentials: { keyId: FAKE_KEY, secretKey: FAKE_SECRET }, url: fake.streamUrl, reconnect: { baseDelayMs: 20, maxDelayMs: 100, maxAttempts: 3 }, seed: 7, controlTimeoutMs: 2_000 });
  const detach = source.attach(feed);
  try {
    await feed.connect();
    await feed.subscribe({ bars: ['AAPL', 'MSFT'], ...ticks });
    fake.send(first);
    fake.send([barFrame('AAPL', T0, 99), barFrame('MSFT', T0, 300)]);
    for (let m = 1; m <= 3; m++) {
      if (m < 3) fake.send([later(m)]);
      fake.send([barFrame('AAPL', T0 + m * 60_000, 101), barFrame('MSFT', T0 + m * 60_000, 300)]);
    }
    await until(async () => source.length, (n) => n >= 3);
  } finally {
    detach();
    await feed.close();
  }
}

/** A restart: the stored bars and the journaled ticks alone (no feed) re-derive what the strategy saw and did. */
async function expectSameAfterRestart(store: MemorySessionStore, def: (seen: string[]) => ReturnType<typeof quoteDip>, name: string, seen: readonly string[], orders: readonly Order[]): Promise<void> {
  const again: string[] = [];
  const second = await open(store, def(again), name);
  expect(second.session.status()).toMatchObject({ recoveredSteps: 3, failure: null });
  expect(again).toEqual(seen);
  expect(shape(second.session.kernel.oms.all())).toEqual(shape(orders));
}

const shape = (orders: readonly Order[]): string[] => orders.map((o) => `${o.clientOrderId} ${o.symbol} ${o.side} ${o.quantity} ${o.status} ${o.filledQuantity} ${o.avgFillPrice} ${o.createdAt}`);

let fake: FakeAlpaca;
beforeAll(async () => {
  fake = await startFakeAlpaca();
  fake.handleBars(barsFrom({}));
});
afterAll(async () => fake?.close());

describe('quotes in a live session', () => {
  it('reach onQuote before the step they precede (the last per symbol), and recovery re-derives the same orders', async () => {
    const store = new MemorySessionStore();
    const seen: string[] = [];
    const live = await open(store, quoteDip(seen));
    // Minute 0: two AAPL quotes (only the later one, the dip, reaches the strategy) and one of MSFT, which the
    // strategy does not trade. Minutes 1 and 2: AAPL's bid rises (the buy fills at minute 1's open, so minute 1's
    // quote finds no position yet, minute 2's closes it).
    await streamMinutes(
      live.source,
      { quotes: ['AAPL', 'MSFT'] },
      [quoteFrame('AAPL', T0 + 10_000, 99.9, 100), quoteFrame('MSFT', T0 + 15_000, 300, 300.1), quoteFrame('AAPL', T0 + 20_000, 99, 99.1)],
      (m) => quoteFrame('AAPL', T0 + m * 60_000 + 10_000, 101 + m / 2, 101.1 + m / 2),
    );
    expect(await live.session.advance(3)).toBe(3);
    expect(seen).toEqual(['AAPL 99/99.1 @20s', 'AAPL 101.5/101.6 @70s', 'AAPL 102/102.1 @130s']);
    const orders = live.session.kernel.oms.all();
    expect(orders.map((o) => `${o.side} ${o.quantity} ${o.symbol}`)).toEqual(['buy 10 AAPL', 'sell 10 AAPL']);
    // Journaled with the step before which they were handed on, the strategy's symbols and the others alike.
    const journal = (await store.load('quotes'))?.actions.filter((r) => r.action.kind === 'quotes') ?? [];
    expect(journal.map((r) => [r.afterStep, r.action.kind === 'quotes' ? r.action.quotes.map((q) => q.symbol) : []])).toEqual([
      [-1, ['MSFT', 'AAPL']],
      [0, ['AAPL']],
      [1, ['AAPL']],
    ]);

    await expectSameAfterRestart(store, quoteDip, 'quotes', seen, orders);
  });

  it('hand every trade of the strategy symbols to onTrade before its step, merged in time with the quotes, and recovery re-derives the same orders', async () => {
    const store = new MemorySessionStore();
    const seen: string[] = [];
    const live = await open(store, tapeDip(seen), 'trades');
    // Minute 0: two AAPL prints (both reach the strategy, the second buys), one of MSFT (not its symbol) and a
    // quote between them in time that arrives last. Minutes 1 and 2: prints over 101 (minute 1's finds no
    // position yet, the buy filling at minute 1's open; minute 2's closes it).
    await streamMinutes(
      live.source,
      { quotes: ['AAPL', 'MSFT'], trades: ['AAPL', 'MSFT'] },
      [tradeFrame('AAPL', T0 + 10_000, 99.8, 100), tradeFrame('MSFT', T0 + 12_000, 300, 5), tradeFrame('AAPL', T0 + 20_000, 99.2, 200), quoteFrame('AAPL', T0 + 15_000, 99.1, 99.3)],
      (m) => tradeFrame('AAPL', T0 + m * 60_000 + 10_000, 101 + m / 2, 50),
    );
    expect(await live.session.advance(3)).toBe(3);
    expect(seen).toEqual(['trade AAPL 100@99.8 @10s', 'quote AAPL 99.1/99.3 @15s', 'trade AAPL 200@99.2 @20s', 'trade AAPL 50@101.5 @70s', 'trade AAPL 50@102 @130s']);
    const orders = live.session.kernel.oms.all();
    expect(orders.map((o) => `${o.side} ${o.quantity} ${o.symbol}`)).toEqual(['buy 10 AAPL', 'sell 10 AAPL']);
    const journal = (await store.load('trades'))?.actions.filter((r) => r.action.kind === 'quotes') ?? [];
    expect(journal.map((r) => [r.afterStep, r.action.kind === 'quotes' ? (r.action.trades ?? []).map((t) => `${t.symbol} ${t.price}`) : []])).toEqual([
      [-1, ['AAPL 99.8', 'MSFT 300', 'AAPL 99.2']],
      [0, ['AAPL 101.5']],
      [1, ['AAPL 102']],
    ]);
    await expectSameAfterRestart(store, tapeDip, 'trades', seen, orders);
  });
});
