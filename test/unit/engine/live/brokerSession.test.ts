// A trading session at a broker (Alpaca's fake): the broker's answers are journaled as session actions, so a
// session dropped at any step and reopened from its journal re-derives the same orders without sending any twice,
// takes over the ones the broker holds by client id, applies fills made while it was down once, and ends with the
// broker's orders, fills and positions equal to an uninterrupted run.

import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/core/log.js';
import { SeededRng } from '../../../../src/core/rng.js';
import { AlpacaSessionBroker } from '../../../../src/execution/venues/alpaca/sessionBroker.js';
import { TradingSession } from '../../../../src/engine/live/tradingSession.js';
import { ReplayFeed } from '../../../../src/engine/live/replayFeed.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import { barAt, type BarSeries } from '../../../../src/model/barSeries.js';
import { findBuiltin } from '../../../../src/strategy/registry.js';
import type { StrategyDefinition } from '../../../../src/strategy/api.js';
import { replayBacktest } from '../../../../src/engine/backtestRunner.js';
import { parseCommissionSpec, parseSize, parseSlippageSpec } from '../../../../src/engine/specs.js';
import { alpacaSessionBroker } from '../../../helpers/alpacaVenueRig.js';
import { startFakeAlpacaTrading, type FakeAlpacaTrading } from '../../../helpers/fakeAlpacaTrading.js';
import { config, demoSeries, openSessionWith, TF } from '../../../helpers/tradingSession.js';

const STEPS = 120;
const log = createLogger('error');
const fakes: FakeAlpacaTrading[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

interface Running {
  session: TradingSession;
  broker: AlpacaSessionBroker;
}

async function open(fake: FakeAlpacaTrading, store: MemorySessionStore, series: BarSeries[]): Promise<Running> {
  const broker = alpacaSessionBroker(fake);
  const session = await openSessionWith({ store, series, config: { ...config('broker'), commission: 'none', slippage: 'none' }, broker });
  return { session, broker };
}

/** The market trades bar `i` at the broker, then the session processes step `i` and its orders reach the broker. */
async function step(fake: FakeAlpacaTrading, r: Running | null, series: BarSeries[], i: number): Promise<void> {
  for (const s of series) fake.trade(barAt(s, i));
  if (r === null) return;
  await r.broker.flush();
  await r.session.advance(1);
  await r.broker.flush();
}

function brokerState(fake: FakeAlpacaTrading) {
  return {
    orders: fake.matcher.orders.map((o) => [o.clientOrderId, o.side, o.qty, o.filled, o.status]).sort(),
    positions: fake.matcher.positions().map((p) => [p.symbol, p.qty]),
    fills: fake.matcher.fills.length,
  };
}

const orderBook = (session: { kernel: TradingSession['kernel'] }) => session.kernel.oms.all().map((o) => [o.clientOrderId, o.symbol, o.side, o.quantity, o.status, o.filledQuantity, o.avgFillPrice]);

describe('trading session at a broker', () => {
  it('parity: the same strategy on the same replayed bars makes the same orders and fills on the paper venue, at the Alpaca fake and in a backtest', async () => {
    const series = demoSeries(STEPS);
    const paper = await TradingSession.open({
      config: { ...config('broker'), commission: 'none', slippage: 'none' },
      feed: new ReplayFeed(series),
      instruments: series.map((s) => ({ symbol: s.symbol, priceDecimals: s.priceDecimals, lotSize: 1, currency: 'USD', timeZone: 'UTC' })),
      baseTimeframe: TF,
      store: new MemorySessionStore(),
      resolveStrategy: (ref) => findBuiltin(ref),
      log,
      stepIntervalMs: 0,
    });
    await paper.advance(STEPS);
    const fake = await startFakeAlpacaTrading();
    fakes.push(fake);
    const r = await open(fake, new MemorySessionStore(), series);
    for (let i = 0; i < STEPS; i++) await step(fake, r, series, i);
    expect(orderBook(paper).length).toBeGreaterThan(2);
    expect(orderBook(r.session)).toEqual(orderBook(paper));
    // And a backtest of the same strategy on the same bars (the runner `pi5 backtest` calls): the same orders and
    // fills, under the backtest's own client ids (bt-… instead of the session's paper-…).
    const sma = config('broker').strategies[0];
    const bt = replayBacktest({ series, strategy: findBuiltin('sma-cross') as StrategyDefinition, params: sma?.params ?? {}, cash: 100_000, size: parseSize('30%'), commission: parseCommissionSpec('none'), slippage: parseSlippageSpec('none') });
    const withoutIds = (book: unknown[][]) => book.map(([, ...rest]) => rest);
    expect(withoutIds(orderBook(bt))).toEqual(withoutIds(orderBook(paper)));
    expect(bt.kernel.oms.all().map((o) => o.clientOrderId.replace(/^bt-sma-cross-/, ''))).toEqual(paper.kernel.oms.all().map((o) => o.clientOrderId.replace(/^paper-broker-/, '')));
    await r.session.stop();
    await paper.stop();
  });

  it('trades through the broker: orders at its fake, fills journaled and applied', async () => {
    const series = demoSeries(STEPS);
    const fake = await startFakeAlpacaTrading();
    fakes.push(fake);
    const r = await open(fake, new MemorySessionStore(), series);
    for (let i = 0; i < STEPS; i++) await step(fake, r, series, i);
    const state = brokerState(fake);
    expect(state.fills).toBeGreaterThan(2);
    expect(r.session.status().broker?.reconciliation).toMatchObject({ trigger: 'start', corrections: [], halt: null });
    for (const s of series) expect(fake.matcher.position.get(s.symbol)?.qty ?? 0).toBe(r.session.kernel.portfolio.quantity(s.symbol));
    await r.session.stop();
  });

  it('dropped at seeded random steps and reopened from its journal, ends as an uninterrupted run, no client id sent twice', async () => {
    const series = demoSeries(STEPS);
    const straight = await startFakeAlpacaTrading();
    fakes.push(straight);
    const a = await open(straight, new MemorySessionStore(), series);
    for (let i = 0; i < STEPS; i++) await step(straight, a, series, i);
    await a.session.stop();

    const fake = await startFakeAlpacaTrading();
    fakes.push(fake);
    const store = new MemorySessionStore();
    const rng = new SeededRng(42);
    const crashes = new Set(Array.from({ length: 8 }, () => 1 + Math.floor(rng.next() * (STEPS - 2))));
    let r: Running | null = await open(fake, store, series);
    for (let i = 0; i < STEPS; i++) {
      await step(fake, r, series, i);
      if (crashes.has(i) && r !== null) {
        // The process dies: nothing is stopped or written; the broker's stream just goes away.
        await r.broker.close();
        r = null;
        // The market goes on while we are down: fills happen that nobody hears of.
        await step(fake, null, series, ++i);
        r = await open(fake, store, series);
        expect(r.session.status().state).toBe('paused');
        // The step of that bar, now that the session is back.
        await r.session.advance(1);
        await r.broker.flush();
      }
    }
    expect(brokerState(fake)).toEqual(brokerState(straight));
    expect(new Set(fake.posted).size).toBe(fake.posted.length);
    await r?.session.stop();
  });
});
