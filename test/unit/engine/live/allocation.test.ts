// Capital allocation and run-time limits in a paper session (the kernel with two strategies): each strategy
// sizes on its allocated capital, an order beyond it is refused with RISK_ALLOCATION, and setAllocation /
// setRiskConfig actions are recorded and replayed on recovery.

import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/core/log.js';
import type { Instrument, Order } from '../../../../src/model/types.js';
import { TradingSession, type TradingSessionConfig } from '../../../../src/engine/live/tradingSession.js';
import { ReplayFeed } from '../../../../src/engine/live/replayFeed.js';
import { MemorySessionStore, type TradingSessionStore } from '../../../../src/engine/live/sessionStore.js';
import { defineStrategy, type StrategyDefinition } from '../../../../src/strategy/api.js';
import type { ParamSchema } from '../../../../src/strategy/params.js';
import { findBuiltin } from '../../../../src/strategy/registry.js';
import { TF, config, demoSeries, openSession } from '../../../helpers/tradingSession.js';

const log = createLogger('error');

/** Buys its symbol once, on the first bar: `qty` shares, or as many as the sizer says when qty is 0. */
const buyer = defineStrategy({
  id: 'buyer',
  name: 'Buyer',
  description: 'buys once',
  params: { qty: { type: 'int', default: 0, min: 0, max: 1_000_000, description: 'shares (0: sized)' } },
  create(p) {
    let done = false;
    return {
      onBar(bar, ctx) {
        if (done || bar.symbol !== ctx.symbols[0]) return;
        done = true;
        if (p.qty > 0) ctx.buy(bar.symbol, p.qty);
        else ctx.signal(bar.symbol, 'BUY');
      },
    };
  },
}) as unknown as StrategyDefinition<ParamSchema>;

function open(store: TradingSessionStore, cfg: TradingSessionConfig): Promise<TradingSession> {
  const series = demoSeries();
  const instruments: Instrument[] = series.map((s) => ({ symbol: s.symbol, priceDecimals: s.priceDecimals, lotSize: 1, currency: 'USD', timeZone: 'UTC' }));
  return TradingSession.open({
    config: cfg,
    feed: new ReplayFeed(series),
    instruments,
    baseTimeframe: TF,
    store,
    resolveStrategy: (ref) => (ref === 'buyer' ? buyer : findBuiltin(ref)),
    log,
    stepIntervalMs: 0,
  });
}

function shape(orders: readonly Order[]): string[] {
  return orders.map((o) => `${o.symbol} ${o.side} ${o.quantity} ${o.status} ${o.filledQuantity} ${o.rejectReason ?? ''}`);
}

describe('allocation across strategies in a session', () => {
  it('sizes each strategy on its allocation and refuses an order beyond it with RISK_ALLOCATION', async () => {
    const [aaa, bbb] = demoSeries();
    const closeA = aaa?.close[0] ?? NaN;
    const closeB = bbb?.close[0] ?? NaN;
    const tooMany = Math.floor(50_000 / closeB) + 1;
    const s = await open(new MemorySessionStore(), {
      ...config('alloc'),
      size: '60%',
      allocation: { policy: 'equal' },
      strategies: [
        { id: 'sized', strategy: 'buyer', params: {}, symbols: ['AAA'] },
        { id: 'fixed', strategy: 'buyer', params: { qty: tooMany }, symbols: ['BBB'] },
      ],
    });
    await s.advance(2);
    const [sized, fixed] = [...s.kernel.oms.all()].sort((x, y) => (x.strategyId ?? '').localeCompare(y.strategyId ?? '')).reverse();
    // 60% of the strategy's 50 000 (half the account), not of the account's 100 000.
    expect(sized).toMatchObject({ strategyId: 'sized', quantity: Math.floor(30_000 / closeA), status: 'filled' });
    expect(fixed).toMatchObject({ strategyId: 'fixed', quantity: tooMany, status: 'rejected' });
    expect(fixed?.rejectReason).toBe(
      `RISK_ALLOCATION: strategy fixed: buy ${tooMany} BBB at ~${closeB} would bring its gross exposure to ${(tooMany * closeB).toFixed(2)}; its allocation is 50000.00 (50.00% of equity 100000.00)`,
    );
    expect(s.kernel.allocator?.allocations().map((a) => [a.strategy, a.target])).toEqual([
      ['sized', 0.5],
      ['fixed', 0.5],
    ]);
  });

  it('replays setAllocation and setRiskConfig on recovery: the same orders, re-derived', async () => {
    const script = async (s: TradingSession, crashAt?: number): Promise<void> => {
      await s.advance(60);
      await s.act({ kind: 'setAllocation', allocation: { policy: 'risk-parity', lookback: 20, cashReservePct: 40, rebalance: { everySteps: 10 } }, by: 'test' });
      await s.advance(60);
      await s.act({ kind: 'setRiskConfig', risk: { global: { maxPositionQty: 150 } }, by: 'test' });
      await s.advance(crashAt ?? 10_000);
    };
    const reference = await openSession(new MemorySessionStore(), 'ref');
    await script(reference);
    const denied = reference.kernel.oms.all().filter((o) => o.rejectReason?.startsWith('RISK_MAX_POSITION_QTY'));
    expect(denied.length).toBeGreaterThan(0);

    const store = new MemorySessionStore();
    await script(await openSession(store, 'crash'), 30);
    const second = await openSession(store, 'crash');
    expect(second.status()).toMatchObject({ state: 'paused', recoveredSteps: 150 });
    expect(second.kernel.allocator?.config?.policy).toBe('risk-parity');
    expect(second.kernel.risk.profiles.global.limits.maxPositionQty).toBe(150);
    await second.advance(10_000);
    expect(shape(second.kernel.oms.all())).toEqual(shape(reference.kernel.oms.all()));
    expect(second.kernel.portfolio.equity()).toBe(reference.kernel.portfolio.equity());
  });

  it('a bad allocation or risk config is refused before it is recorded', async () => {
    const store = new MemorySessionStore();
    const s = await openSession(store, 'bad');
    await expect(s.act({ kind: 'setAllocation', allocation: { policy: 'nope' } as never, by: 't' })).rejects.toMatchObject({ code: 'PI5_ERR_BAD_CONFIG' });
    await expect(s.act({ kind: 'setRiskConfig', risk: { global: { maxPositionQty: -1 } }, by: 't' })).rejects.toThrow(/maxPositionQty/);
    expect((await store.load('bad'))?.actions).toEqual([]);
    expect(s.kernel.allocator?.config).toBeNull();
  });

  it('setRiskConfig keeps the kill switch and the orders counted before it', async () => {
    const s = await openSession(new MemorySessionStore(), 'keep');
    await s.advance(5);
    const manual = { kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 1 }, by: 't' } as const;
    await s.act(manual);
    await s.act(manual);
    await s.act({ kind: 'setRiskConfig', risk: { global: { maxOrdersPerDay: 2 } }, by: 't' });
    const third = await s.act(manual);
    expect(third.kind === 'order' && third.order.rejectReason).toMatch(/^RISK_MAX_ORDERS_PER_DAY/);
    await s.act({ kind: 'tripKillSwitch', reason: 'desk', by: 't' });
    await s.act({ kind: 'setRiskConfig', risk: {}, by: 't' });
    expect(s.kernel.risk.killSwitch.tripped).toBe(true);
  });
});
