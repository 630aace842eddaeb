// Properties of whole backtests on random bars with random orders of every type, TIF, cost model and fill
// option: no fill ever leaves its bar's [low, high], and the books balance (final equity − starting cash =
// Σ closed-trade P&L + unrealized P&L − commissions still carried by open positions).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toPu } from '../../../src/model/money.js';
import type { OrderRequest, OrderType, TimeInForce } from '../../../src/model/types.js';
import { runScript, series, type Action, type Row } from './fixtures.js';

const rowArb: fc.Arbitrary<Row> = fc
  .tuple(fc.integer({ min: 5000, max: 15_000 }), fc.integer({ min: 5000, max: 15_000 }), fc.nat(400), fc.nat(400), fc.integer({ min: 0, max: 5000 }))
  .map(([o, c, up, down, v]) => [o / 100, (Math.max(o, c) + up) / 100, (Math.min(o, c) - down) / 100, c / 100, v] as const);

interface OrderSpec {
  readonly kind: OrderType | 'bracket' | 'oco';
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  /** Offsets from the deciding close in cents. */
  readonly a: number;
  readonly b: number;
  readonly trailPercentTenths: number;
  readonly tif: TimeInForce;
}

const orderArb: fc.Arbitrary<OrderSpec> = fc.record({
  kind: fc.constantFrom<OrderSpec['kind']>('market', 'limit', 'stop', 'stop-limit', 'trailing-stop', 'bracket', 'oco'),
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  quantity: fc.integer({ min: 1, max: 300 }),
  a: fc.integer({ min: -500, max: 500 }),
  b: fc.integer({ min: -500, max: 500 }),
  trailPercentTenths: fc.integer({ min: 0, max: 100 }),
  tif: fc.constantFrom<TimeInForce>('GTC', 'GTC', 'DAY', 'IOC', 'FOK'),
});

const configArb = fc.record({
  slippage: fc.constantFrom('none', 'bps:50', 'ticks:3', 'volume-share:0.5', 'sqrt-impact:0.05', 'spread:20'),
  commission: fc.constantFrom('none', 'per-share:0.01:min=1', 'fixed:1+bps:2'),
  fillOn: fc.constantFrom<'open' | 'close'>('open', 'close'),
  volumeLimitPct: fc.constantFrom(0, 0, 10, 50),
  ocoBothFill: fc.constantFrom<'stop-loss' | 'take-profit'>('stop-loss', 'take-profit'),
});

const scenarioArb = fc.record({
  rows: fc.array(rowArb, { minLength: 3, maxLength: 14 }),
  orders: fc.array(fc.array(orderArb, { maxLength: 3 }), { maxLength: 14 }),
  config: configArb,
});

/** A positive price `cents` away from `close` (at least one cent). */
function away(close: number, cents: number): number {
  return Math.max(1, Math.round(close * 100) + cents) / 100;
}

function act(specs: readonly OrderSpec[]): Action {
  return (ctx, bar) => {
    for (const s of specs) {
      const base = { symbol: 'AAA', side: s.side, quantity: s.quantity, tif: s.tif } as const;
      const p1 = away(bar.close, s.a);
      const p2 = away(bar.close, s.b);
      const exitDir = s.side === 'buy' ? 1 : -1;
      switch (s.kind) {
        case 'market':
          ctx.submit(base);
          break;
        case 'limit':
          ctx.submit({ ...base, type: 'limit', limitPrice: p1 });
          break;
        case 'stop':
          ctx.submit({ ...base, type: 'stop', stopPrice: p1 });
          break;
        case 'stop-limit':
          ctx.submit({ ...base, type: 'stop-limit', stopPrice: p1, limitPrice: p2 });
          break;
        case 'trailing-stop': {
          const req: OrderRequest =
            s.trailPercentTenths > 0
              ? { ...base, type: 'trailing-stop', trailPercent: s.trailPercentTenths / 10 }
              : { ...base, type: 'trailing-stop', trailAmount: Math.max(1, Math.abs(s.a)) / 100 };
          ctx.submit(req);
          break;
        }
        case 'bracket':
          ctx.submitBracket({
            entry: base,
            takeProfit: { limitPrice: away(bar.close, exitDir * Math.abs(s.a)) },
            stopLoss: { stopPrice: away(bar.close, -exitDir * Math.abs(s.b)) },
          });
          break;
        case 'oco':
          ctx.submitOco([
            { ...base, type: 'limit', limitPrice: p1 },
            { ...base, type: 'stop', stopPrice: p2 },
          ]);
          break;
      }
    }
  };
}

describe('backtest properties (random bars, random orders)', () => {
  it('no fill price lies outside its bar’s [low, high], and every fill is at a bar of the run', () => {
    // Not vacuous: fills must happen, from every order type, in most scenarios (counted over the whole run).
    const filledByType = new Map<string, number>();
    let scenarios = 0;
    let withFills = 0;
    fc.assert(
      fc.property(scenarioArb, ({ rows, orders, config }) => {
        const actions: Record<number, Action> = {};
        orders.forEach((specs, i) => (actions[i] = act(specs)));
        const s = series(rows);
        const run = runScript([s], actions, { ...config, cash: 10_000_000 });
        scenarios++;
        if (run.fills.length > 0) withFills++;
        for (const f of run.fills) {
          const type = run.order(f.orderId).type;
          filledByType.set(type, (filledByType.get(type) ?? 0) + 1);
          const i = Array.from(s.ts).indexOf(f.ts);
          expect(i).toBeGreaterThanOrEqual(0);
          expect(f.pricePu).toBeGreaterThanOrEqual(toPu(s.low[i]!));
          expect(f.pricePu).toBeLessThanOrEqual(toPu(s.high[i]!));
          expect(f.slippagePu).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 150 },
    );
    expect(scenarios).toBe(150);
    expect(withFills).toBeGreaterThanOrEqual(scenarios / 2);
    for (const type of ['market', 'limit', 'stop', 'stop-limit', 'trailing-stop']) expect({ type, fills: (filledByType.get(type) ?? 0) > 0 }).toEqual({ type, fills: true });
  });

  it('final equity − starting cash = Σ trade pnl + open unrealized P&L − commissions carried by open positions', () => {
    // Not vacuous: both sides of the balance must be exercised, closed trades and positions still open.
    let withTrades = 0;
    let withOpen = 0;
    fc.assert(
      fc.property(scenarioArb, ({ rows, orders, config }) => {
        const actions: Record<number, Action> = {};
        orders.forEach((specs, i) => (actions[i] = act(specs)));
        const { result } = runScript(rows, actions, { ...config, cash: 10_000_000 });
        if (result.trades.length > 0) withTrades++;
        if (result.openPositions.length > 0) withOpen++;
        const final = result.equity[result.equity.length - 1]!;
        const closedPnl = result.trades.reduce((a, t) => a + t.pnl, 0);
        const closedCommission = result.trades.reduce((a, t) => a + t.commission, 0);
        const unrealized = result.openPositions.reduce((a, p) => a + p.unrealizedPnl, 0);
        const carried = result.metrics.commissions - closedCommission;
        expect(Math.abs(final - 10_000_000 - (closedPnl + unrealized - carried))).toBeLessThanOrEqual(1e-6);
        expect(Number(result.finalCash) + result.openPositions.reduce((a, p) => a + (p.side === 'long' ? 1 : -1) * p.quantity * p.lastPrice, 0)).toBeCloseTo(final, 6);
      }),
      { numRuns: 150 },
    );
    expect(withTrades).toBeGreaterThanOrEqual(30);
    expect(withOpen).toBeGreaterThanOrEqual(30);
  });
});
