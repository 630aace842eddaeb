// A paper session with two strategies and manual orders on one symbol: each strategy acts on its own shares
// only (the default attribution), the account nets them, and the view lists positions by strategy.
// With `positions: netting` the SMA strategy's exit sells what others bought (the old behaviour).

import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/core/log.js';
import type { Instrument } from '../../../../src/model/types.js';
import { TradingSession, type TradingSessionConfig } from '../../../../src/engine/live/tradingSession.js';
import { ReplayFeed } from '../../../../src/engine/live/replayFeed.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import { sessionView } from '../../../../src/engine/live/sessionView.js';
import { MANUAL_ORDERS, type PositionMode } from '../../../../src/portfolio/strategyPositions.js';
import { findBuiltin } from '../../../../src/strategy/registry.js';
import { TF, demoSeries } from '../../../helpers/tradingSession.js';

const log = createLogger('error');

function cfg(id: string, positions?: PositionMode): TradingSessionConfig {
  return {
    id,
    cash: 100_000,
    size: '20%',
    commission: 'per-share:0.005:min=1',
    slippage: 'none',
    strategies: [
      { id: 'sma', strategy: 'sma-cross', params: { fast: 5, slow: 20 }, symbols: ['AAA'] },
      { id: 'hold', strategy: 'buy-and-hold', params: {}, symbols: ['AAA'], size: '10' },
    ],
    ...(positions === undefined ? {} : { positions }),
    feed: { kind: 'test', bars: 400 },
  };
}

async function open(id: string, positions?: PositionMode): Promise<TradingSession> {
  const series = demoSeries();
  const instruments: Instrument[] = series.map((s) => ({ symbol: s.symbol, priceDecimals: s.priceDecimals, lotSize: 1, currency: 'USD', timeZone: 'UTC' }));
  return TradingSession.open({ config: cfg(id, positions), feed: new ReplayFeed(series), instruments, baseTimeframe: TF, store: new MemorySessionStore(), resolveStrategy: (r) => findBuiltin(r), log, stepIntervalMs: 0 });
}

describe('positions by strategy in a paper session', () => {
  it('a manual buy and another strategy\'s shares survive the SMA strategy\'s sell signals', async () => {
    const s = await open('attr');
    await s.advance(5);
    const manual = await s.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 10 }, by: 'test' });
    expect(manual.kind).toBe('order');
    await s.advance(10_000);
    const k = s.kernel;
    const sma = k.oms.all().filter((o) => o.strategyId === 'sma' && o.status === 'filled');
    // The SMA strategy went in and out several times; every exit sold exactly what its entry bought.
    const sells = sma.filter((o) => o.side === 'sell');
    expect(sells.length).toBeGreaterThan(2);
    let held = 0;
    for (const o of sma) {
      if (o.side === 'sell') expect(o.quantity).toBe(held);
      held += o.side === 'buy' ? o.quantity : -o.quantity;
    }
    expect(k.attribution.quantity(null, 'AAA')).toBe(10);
    expect(k.attribution.quantity('hold', 'AAA')).toBe(10);
    expect(k.portfolio.quantity('AAA')).toBe(20 + k.attribution.quantity('sma', 'AAA'));

    const byStrategy = sessionView(s).positionsByStrategy();
    expect(byStrategy.mode).toBe('strategy');
    const aaa = byStrategy.items.filter((r) => r.symbol === 'AAA');
    expect(aaa.map((r) => r.strategy).sort()).toEqual(['hold', 'manual', 'sma']);
    expect(aaa.find((r) => r.strategy === 'manual')?.quantity).toBe(10);
    // The books add up to the account: quantities, and P&L after costs to the account's equity change (the
    // realized part splits differently: the account's average cost mixes everyone's entries).
    const account = sessionView(s).positions().find((p) => p.symbol === 'AAA');
    expect(aaa.reduce((n, r) => n + r.quantity, 0)).toBe(account?.quantity);
    const pnl = ['sma', 'hold', null].reduce((n, id) => n + k.attribution.pnl(id), 0);
    expect(pnl).toBeCloseTo(k.portfolio.equity() - 100_000, 6);

    // What the API shows per strategy (P&L, market value, fills) and the allocation come from these same books.
    const view = sessionView(s);
    const shown = (['sma', 'hold', null] as const).map((id) => view.strategyPnl(id ?? MANUAL_ORDERS));
    const fills = (id: string | null): number => k.oms.all().filter((o) => o.strategyId === id && o.status === 'filled').length;
    expect(shown.map((r) => r.fills)).toEqual([fills('sma'), fills('hold'), fills(null)]);
    expect(shown.reduce((n, r) => n + r.pnl, 0)).toBeCloseTo(k.portfolio.equity() - 100_000, 6);
    expect(shown.reduce((n, r) => n + r.marketValue, 0)).toBeCloseTo(k.portfolio.equity() - k.portfolio.cash(), 6);
    const alloc = view.allocation();
    expect(alloc.byStrategy.map((a) => a.strategy).sort()).toEqual(['hold', 'manual', 'sma']);
    expect(alloc.byStrategy.find((a) => a.strategy === 'hold')?.marketValue).toBeCloseTo(10 * k.market.lastClose('AAA'), 6);
  });

  it('netting: the SMA strategy\'s exit signal sells the manual and buy-and-hold shares it never bought', async () => {
    const s = await open('net', 'netting');
    await s.advance(5);
    await s.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 10 }, by: 'test' });
    await s.advance(10_000);
    expect(sessionView(s).positionsByStrategy().mode).toBe('netting');
    // Its first filled order is an exit of the 20 shares the others hold (it had bought none).
    const first = s.kernel.oms.all().find((o) => o.strategyId === 'sma' && o.status === 'filled');
    expect([first?.side, first?.quantity]).toEqual(['sell', 20]);
    expect(s.kernel.attribution.quantity(null, 'AAA')).toBe(10);
  });
});
