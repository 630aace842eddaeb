// The allocator on a made-up account: rebalances on a schedule and on drift, equal weight until the policy has
// history, per-strategy books from fills, and the RISK_ALLOCATION check.

import { describe, expect, it } from 'vitest';
import type { Fill, Order, Side } from '../../../../src/model/types.js';
import { CapitalAllocator, parseAllocationConfig, type AllocationConfigInput } from '../../../../src/risk/allocation/index.js';
import { StrategyBook } from '../../../../src/risk/allocation/strategyBook.js';
import { makeFill } from '../../engine/fixtures.js';

const DAY = 86_400_000;
/** Wednesday 2024-01-03, 00:00 UTC. */
const WED = Date.UTC(2024, 0, 3);

function fill(strategyId: string, side: Side, quantity: number, price: number, symbol = 'AAA', commission = 0): Fill {
  return { ...makeFill(side, quantity, price, { symbol, commission }), strategyId };
}

function rig(config: AllocationConfigInput, strategies = ['a', 'b']) {
  const prices = new Map<string, number>([['AAA', 100], ['BBB', 50]]);
  const account = { cash: 100_000, orders: [] as Order[] };
  const a: CapitalAllocator = new CapitalAllocator({
    // Equity follows the strategies' books: cash plus what they hold at the last prices.
    equity: (): number => account.cash + [...prices].reduce((s, [sym, p]) => s + strategies.reduce((q, id) => q + a.book.quantity(id, sym), 0) * p, 0),
    cash: () => account.cash,
    lastPrice: (s) => prices.get(s) ?? NaN,
    strategies: () => strategies,
    openOrders: () => account.orders,
  });
  a.configure(parseAllocationConfig(config), WED);
  const buy = (id: string, qty: number, symbol = 'AAA'): void => {
    const p = prices.get(symbol) ?? NaN;
    account.cash -= qty * p;
    a.filled(fill(id, 'buy', qty, p, symbol));
  };
  return { a, prices, account, buy };
}

describe('capital allocator', () => {
  it('starts at equal weight less the cash reserve', () => {
    const { a } = rig({ policy: 'sharpe', cashReservePct: 10 });
    expect(a.allocations().map((x) => [x.strategy, x.target, x.capital])).toEqual([
      ['a', 0.45, 45_000],
      ['b', 0.45, 45_000],
    ]);
    expect(a.rebalances.at(-1)).toMatchObject({ reason: 'configured', policyApplied: false });
  });

  it('rebalances every N steps', () => {
    const { a } = rig({ policy: 'equal', rebalance: { everySteps: 3 } });
    for (let i = 1; i <= 7; i++) a.timeStepClosed(WED + i * DAY);
    expect(a.rebalances.map((r) => r.reason)).toEqual(['configured', 'every 3 steps', 'every 3 steps']);
    expect(a.rebalances.map((r) => (r.ts - WED) / DAY)).toEqual([0, 3, 6]);
  });

  it('rebalances at the first close of a new week (Monday) and month', () => {
    const weekly = rig({ policy: 'equal', rebalance: { calendar: 'weekly' } }).a;
    // Thu 4, Fri 5, Sat 6, Sun 7, Mon 8 … Mon 15.
    for (let i = 1; i <= 12; i++) weekly.timeStepClosed(WED + i * DAY);
    expect(weekly.rebalances.slice(1).map((r) => new Date(r.ts).toISOString().slice(0, 10))).toEqual(['2024-01-08', '2024-01-15']);
    const monthly = rig({ policy: 'equal', rebalance: { calendar: 'monthly' } }).a;
    for (let i = 1; i <= 40; i++) monthly.timeStepClosed(WED + i * DAY);
    expect(monthly.rebalances.slice(1).map((r) => new Date(r.ts).toISOString().slice(0, 10))).toEqual(['2024-02-01']);
  });

  it('rebalances when a strategy drifts more than driftPct from its target', () => {
    const { a, prices, buy } = rig({ policy: 'equal', rebalance: { driftPct: 5 } });
    buy('a', 100); // 10 000 of AAA in a's 50 000
    prices.set('AAA', 200); // a +10 000: (50 000 + 10 000) / 110 000 = 54.5%, drift 4.5 points: no rebalance
    a.timeStepClosed(WED + DAY);
    expect(a.rebalances).toHaveLength(1);
    expect(a.allocations()[0]?.weight).toBeCloseTo(60_000 / 110_000, 12);
    prices.set('AAA', 250); // a +15 000: 65 000 / 115 000 = 56.5%, drift 6.5 points
    a.timeStepClosed(WED + 2 * DAY);
    expect(a.rebalances.at(-1)?.reason).toBe('drift: a at 56.52% vs target 50.00%');
    // After it, both are back at their targets of the new equity.
    expect(a.allocations().map((x) => x.weight)).toEqual([0.5, 0.5]);
    expect(a.capitalOf('a')).toBe(57_500);
  });

  it('uses the policy once every strategy has minHistory returns, equal weight before', () => {
    const { a, prices, buy } = rig({ policy: 'performance', lookback: 3, rebalance: { everySteps: 1 } });
    buy('a', 100); // a holds AAA, b holds nothing
    for (let i = 1; i <= 4; i++) {
      prices.set('AAA', 100 + i);
      a.timeStepClosed(WED + i * DAY);
    }
    // One return per close (the bases were set when configured); minHistory = lookback = 3: from the third close on.
    expect(a.rebalances.map((r) => r.policyApplied)).toEqual([false, false, false, true, true]);
    // b's trailing return is 0, a's positive: a gets everything.
    expect(a.rebalances.at(-1)?.targets).toEqual({ a: 1, b: 0 });
  });

  it('sizes a strategy on its capital and refuses an order beyond it with RISK_ALLOCATION', () => {
    const { a, buy } = rig({ policy: 'equal' });
    buy('a', 300); // 30 000 of a's 50 000
    expect(a.capitalFor('a')).toEqual({ equity: 50_000, cash: 20_000 });
    expect(a.check({ symbol: 'AAA', side: 'buy', quantity: 200, type: 'market' }, 'a')).toBeNull(); // exactly at 50 000
    const d = a.check({ symbol: 'BBB', side: 'buy', quantity: 401, type: 'market' }, 'a');
    expect(d).toEqual({
      code: 'RISK_ALLOCATION',
      message: 'strategy a: buy 401 BBB at ~50 would bring its gross exposure to 50050.00; its allocation is 50000.00 (50.00% of equity 100000.00)',
    });
    expect(a.check({ symbol: 'AAA', side: 'sell', quantity: 300, type: 'market' }, 'a')).toBeNull(); // reduces
    expect(a.check({ symbol: 'AAA', side: 'buy', quantity: 10_000, type: 'market' }, null)).toBeNull(); // manual
  });

  it('counts the strategy\'s working orders that would add exposure', () => {
    const { a, account } = rig({ policy: 'equal', leverage: 2 });
    account.orders.push({ strategyId: 'a', symbol: 'BBB', side: 'buy', quantity: 1000, filledQuantity: 0, role: null, limitPrice: null, stopPrice: null } as unknown as Order);
    // 50 000 working + 60 000 > 100 000 (50 000 × leverage 2).
    expect(a.check({ symbol: 'AAA', side: 'buy', quantity: 600, type: 'market' }, 'a')?.message).toMatch(/110000\.00 \(working orders included\).* × leverage 2 = 100000\.00$/);
  });

  it('validates its configuration, naming the bad field', () => {
    expect(() => parseAllocationConfig({ policy: 'magic' })).toThrow(/policy/);
    expect(() => parseAllocationConfig({ policy: 'equal', cashReservePct: 120 })).toThrow(/cashReservePct/);
    expect(() => parseAllocationConfig({ policy: 'equal', lookback: 10, minHistory: 20 })).toThrow(/minHistory: must be at most lookback/);
    expect(() => parseAllocationConfig({ policy: 'equal', extra: 1 })).toThrow(/extra/);
  });
});

describe('strategy book', () => {
  it('books each strategy apart, with its trades and mark-to-market P&L', () => {
    const b = new StrategyBook();
    b.filled(fill('a', 'buy', 100, 10, 'AAA', 1));
    b.filled(fill('b', 'sell', 50, 10));
    b.filled(fill('a', 'sell', 150, 12, 'AAA', 1.5)); // closes 100 (+200 − 1), then short 50 at 12
    expect(b.quantity('a', 'AAA')).toBe(-50);
    expect(b.quantity('b', 'AAA')).toBe(-50);
    expect(b.trades('a')).toEqual([{ quantity: 100, entryPrice: 10, pnl: 199 }]);
    // cash: −1000 − 1 + 1800 − 1.5 = 797.5; −50 × 11 = −550.
    expect(b.pnl('a', () => 11)).toBeCloseTo(247.5, 10);
    expect(b.grossExposure('a', () => 11)).toBe(550);
  });
});
