import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/core/log.js';
import { generateSyntheticBars } from '../../../../src/data/synthetic.js';
import type { Instrument, Order } from '../../../../src/model/types.js';
import { runBacktest } from '../../../../src/engine/backtestRunner.js';
import { TradingSession } from '../../../../src/engine/live/tradingSession.js';
import { ReplayFeed } from '../../../../src/engine/live/replayFeed.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import { findBuiltin } from '../../../../src/strategy/registry.js';
import { defineStrategy, type StrategyDefinition } from '../../../../src/strategy/api.js';
import type { ParamSchema } from '../../../../src/strategy/params.js';
import { TF, config, demoSeries, openSession } from '../../../helpers/tradingSession.js';
import { parseCommissionSpec, parseSize, parseSlippageSpec } from '../../../../src/engine/specs.js';

const log = createLogger('error');

function shape(orders: readonly Order[]): string[] {
  return orders.map((o) => `${o.symbol} ${o.side} ${o.quantity} ${o.status} ${o.filledQuantity} ${o.avgFillPrice.toFixed(8)} ${o.updatedAt}`);
}

describe('paper session', () => {
  it('places exactly the orders a backtest places on the same data, fills included', async () => {
    const series = demoSeries();
    const bt = runBacktest({
      series,
      strategy: findBuiltin('sma-cross') as NonNullable<ReturnType<typeof findBuiltin>>,
      params: { fast: 10, slow: 30 },
      cash: 100_000,
      size: parseSize('30%'),
      commission: parseCommissionSpec('per-share:0.005:min=1'),
      slippage: parseSlippageSpec('bps:2'),
      log,
    });
    const session = await openSession(new MemorySessionStore());
    expect(await session.advance(10_000)).toBe(400);
    expect(session.status().state).toBe('finished');
    const btOrders = bt.orders ?? [];
    expect(btOrders.length).toBeGreaterThan(10);
    expect(shape(session.kernel.oms.all())).toEqual(shape(btOrders));
    expect(session.kernel.portfolio.equity()).toBe(bt.equity[bt.equity.length - 1]);
    expect(session.ledger.curveEquity).toEqual([...bt.equity.slice(1)]);
  });

  it('persists every order before the exchange sees it', async () => {
    const store = new MemorySessionStore();
    const session = await openSession(store);
    const seenAtAccept: boolean[] = [];
    session.kernel.bus.subscribe('orderUpdated', (o) => {
      if (o.status !== 'accepted') return;
      // The store is read synchronously through its map: accepted means released, released means written.
      void store.load('s1').then((s) => seenAtAccept.push(s?.orders.has(o.clientOrderId) ?? false));
    });
    await session.advance(200);
    await new Promise((r) => setTimeout(r, 10));
    expect(seenAtAccept.length).toBeGreaterThan(0);
    expect(seenAtAccept.every(Boolean)).toBe(true);
  });

  it('recovers after a crash mid-session: same orders as an uninterrupted run, none duplicated', async () => {
    const reference = await openSession(new MemorySessionStore(), 'ref');
    await reference.advance(173);
    await reference.act({ kind: 'submitOrder', request: { symbol: 'BBB', side: 'buy', quantity: 7 }, by: 'test' });
    await reference.advance(10_000);

    const store = new MemorySessionStore();
    const first = await openSession(store, 'crash');
    await first.advance(173);
    const manual = await first.act({ kind: 'submitOrder', request: { symbol: 'BBB', side: 'buy', quantity: 7 }, by: 'test' });
    expect(manual.kind).toBe('order');
    await first.advance(20);
    // The process dies here: nothing is stopped or flushed beyond what each step already wrote.
    const second = await openSession(store, 'crash');
    expect(second.status().recoveredSteps).toBe(193);
    expect(second.status().state).toBe('paused');
    await second.advance(10_000);
    const stored = await store.load('crash');
    const orders = second.kernel.oms.all();
    expect(stored?.orders.size).toBe(orders.length);
    const manualOrders = orders.filter((o) => o.strategyId === null);
    expect(manualOrders.map((o) => `${o.side} ${o.quantity} ${o.symbol} ${o.status}`)).toEqual(['buy 7 BBB filled']);
    expect(shape(orders)).toEqual(shape(reference.kernel.oms.all()));
    expect(second.kernel.portfolio.equity()).toBe(reference.kernel.portfolio.equity());
  });

  it('halts instead of trading when the stored orders differ from the re-derived ones', async () => {
    const store = new MemorySessionStore();
    const first = await openSession(store, 'tamper');
    await first.advance(150);
    const stored = await store.load('tamper');
    expect(stored?.orders.size).toBeGreaterThan(0);
    // Another version of the data: the same session id now derives different orders.
    const second = await openSession(store, 'tamper', [
      generateSyntheticBars({ symbol: 'AAA', seed: 99, bars: 400, startPrice: 50 }),
      generateSyntheticBars({ symbol: 'BBB', seed: 98, bars: 400, startPrice: 80 }),
    ]);
    expect(second.status().state).toBe('failed');
    expect(second.status().failure).toMatch(/differ from the stored ones/);
    await expect(second.act({ kind: 'cancelAll', by: 'test' })).rejects.toThrow(/halted/);
  });

  it('starts and stops strategies at run time and replays them on recovery', async () => {
    const store = new MemorySessionStore();
    const s = await openSession(store, 'rt');
    await s.advance(50);
    await s.act({ kind: 'startStrategy', instance: { id: 'hold', strategy: 'buy-and-hold', params: {}, symbols: ['AAA'], size: '10' }, by: 'test' });
    await s.advance(5);
    expect(s.status().strategies).toEqual(['sma', 'hold']);
    await s.act({ kind: 'stopStrategy', id: 'sma', by: 'test' });
    await s.advance(5);
    expect(s.status().strategies).toEqual(['hold']);
    await expect(s.act({ kind: 'startStrategy', instance: { id: 'x', strategy: 'nope', params: {}, symbols: ['AAA'] }, by: 't' })).rejects.toMatchObject({ code: 'PI5_ERR_UNKNOWN_STRATEGY' });
    await expect(s.act({ kind: 'startStrategy', instance: { id: 'y', strategy: 'buy-and-hold', params: {}, symbols: ['ZZZ'] }, by: 't' })).rejects.toThrow(/ZZZ/);
    const before = s.kernel.oms.all().length;
    const again = await openSession(store, 'rt');
    expect(again.status().strategies).toEqual(['hold']);
    expect(again.kernel.oms.all().length).toBe(before);
    expect(again.kernel.portfolio.quantity('AAA')).toBe(s.kernel.portfolio.quantity('AAA'));
  });

  it('recovers after a limit order is modified before the next step, whether the modify is accepted or refused', async () => {
    const store = new MemorySessionStore();
    const s = await openSession(store, 'modify');
    await s.advance(5);
    const low = Math.floor(s.kernel.market.lastClose('AAA') * 0.5);
    const placed = await s.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: low, clientOrderId: 'lim-1' }, by: 'test' });
    const id = placed.kind === 'order' ? placed.order.id : -1;
    expect(await s.act({ kind: 'modifyOrder', orderId: id, changes: { limitPrice: low - 1 }, by: 'test' })).toMatchObject({ result: { kind: 'modified' } });
    // Far more than the cash buys: risk refuses the modify.
    expect(await s.act({ kind: 'modifyOrder', orderId: id, changes: { quantity: 10_000_000 }, by: 'test' })).toMatchObject({ result: { kind: 'denied' } });
    const again = await openSession(store, 'modify');
    expect(again.status().failure).toBeNull();
    expect(shape(again.kernel.oms.all())).toEqual(shape(s.kernel.oms.all()));
    expect(again.kernel.oms.all().find((o) => o.clientOrderId === 'lim-1')?.limitPrice).toBe(low - 1);
  });

  it('refuses to reopen a session id with another configuration', async () => {
    const store = new MemorySessionStore();
    await openSession(store, 'cfg');
    const series = demoSeries();
    const instruments: Instrument[] = series.map((x) => ({ symbol: x.symbol, priceDecimals: x.priceDecimals, lotSize: 1, currency: 'USD', timeZone: 'UTC' }));
    await expect(
      TradingSession.open({ config: { ...config('cfg'), cash: 5 }, feed: new ReplayFeed(series), instruments, baseTimeframe: TF, store, resolveStrategy: findBuiltin, log, stepIntervalMs: 0 }),
    ).rejects.toMatchObject({ code: 'PI5_ERR_BAD_CONFIG' });
  });

  it('paces steps in the background and pauses', async () => {
    const s = await openSession(new MemorySessionStore(), 'pace');
    s.setStepInterval(1);
    // Waits for steps, not for a time: under load 60 ms held as few as 2 steps.
    const fourSteps = new Promise<void>((done) => {
      let seen = 0;
      const off = s.events.subscribe('portfolio', () => {
        if (++seen < 4) return;
        off();
        done();
      });
    });
    s.start();
    await fourSteps;
    await s.stop();
    const n = s.status().step;
    expect(n).toBeGreaterThan(3);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.status().step).toBe(n);
    expect(s.status().state).toBe('paused');
  });
});

describe('paper session with a failing strategy', () => {
  /** Throws on its 30th bar while armed: a bug that appears only in some version of the code. */
  let armed = true;
  const boom = defineStrategy({
    id: 'boom', name: 'boom', description: 'throws on its 30th bar while armed', params: {},
    create: () => {
      let n = 0;
      return {
        onBar() {
          if (++n === 30 && armed) throw new Error('strategy bug at bar 30');
        },
      };
    },
  }) as unknown as StrategyDefinition<ParamSchema>;
  const open = (store: MemorySessionStore): Promise<TradingSession> => {
    const series = demoSeries();
    return TradingSession.open({
      config: { ...config('boom'), strategies: [{ id: 'b', strategy: 'boom', params: {}, symbols: ['AAA'] }] },
      feed: new ReplayFeed(series),
      instruments: series.map((x): Instrument => ({ symbol: x.symbol, priceDecimals: x.priceDecimals, lotSize: 1, currency: 'USD', timeZone: 'UTC' })),
      baseTimeframe: TF,
      store,
      resolveStrategy: (ref) => (ref === 'boom' ? boom : findBuiltin(ref)),
      log,
      stepIntervalMs: 0,
    });
  };

  it('halts with the reason when a step throws; nothing of the failed step is stored', async () => {
    armed = true;
    const store = new MemorySessionStore();
    const s = await open(store);
    s.start();
    for (let i = 0; i < 200 && s.status().state === 'running'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(s.status()).toMatchObject({ state: 'failed', step: 29 }); // its own symbol's 30th bar
    expect(s.status().failure).toMatch(/strategy bug at bar 30/);
    expect((await store.load('boom'))?.lastStep).toBe(28);
    await expect(s.act({ kind: 'cancelAll', by: 'test' })).rejects.toThrow(/halted/);
  });

  it('opens halted, with the API still up, when re-running its stored steps throws', async () => {
    armed = false;
    const store = new MemorySessionStore();
    const s = await open(store);
    await s.advance(60);
    armed = true;
    const again = await open(store);
    expect(again.status().state).toBe('failed');
    expect(again.status().failure).toMatch(/recovery stopped at step 29: strategy bug at bar 30/);
  });
});

describe('strategy instances on different symbols', () => {
  it('a strategy sees and trades only the symbols it was started with', async () => {
    const s = await openSession(new MemorySessionStore(), 'symbols');
    await s.act({ kind: 'stopStrategy', id: 'sma', by: 'test' });
    await s.act({ kind: 'startStrategy', instance: { id: 'hold-b', strategy: 'buy-and-hold', params: {}, symbols: ['BBB'], size: '10' }, by: 'test' });
    await s.advance(5);
    const held = s.kernel.oms.all().filter((o) => o.strategyId === 'hold-b');
    expect(held.map((o) => o.symbol)).toEqual(['BBB']);
    expect(s.kernel.portfolio.quantity('AAA')).toBe(0);
    expect(s.kernel.portfolio.quantity('BBB')).toBe(10);
  });
});
