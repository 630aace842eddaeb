// Market, limit and stop orders end to end through runBacktest (DESIGN.md §5): a scripted strategy submits
// on bar t's close and the order meets bar t+1. Daily bars start Monday 2024-01-01 (day(i) is bar i).

import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../src/model/types.js';
import { day, runScript, type Row } from './fixtures.js';

const submit =
  (req: Omit<OrderRequest, 'symbol'>) =>
  (ctx: { submit(r: OrderRequest): unknown }): void => {
    ctx.submit({ symbol: 'AAA', ...req });
  };

describe('market orders', () => {
  const rows: Row[] = [
    [100, 101, 99, 100],
    [102, 105, 98, 104],
    [103, 106, 97, 99],
    [95, 96, 94, 95],
  ];

  it('fill at the next bar open, not at the deciding bar close', () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 100 }) });
    expect(run.fills).toHaveLength(1);
    const f = run.fills[0]!;
    // Decided on bar 0 (close 100), filled at bar 1's open 102 on day 1.
    expect(f.price).toBe(102);
    expect(f.pricePu).toBe(10_200_000_000);
    expect(f.quantity).toBe(100);
    expect(f.ts).toBe(day(1));
    expect(f.liquidity).toBe('taker');
    expect(run.order(1).status).toBe('filled');
    expect(run.order(1).avgFillPrice).toBe(102);
  });

  it('publish submitted → accepted → filled, one update per transition', () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 100 }) });
    expect(run.statusesOf(1)).toEqual(['submitted', 'accepted', 'filled']);
    // Submitted and accepted at the deciding bar's time, filled at the next bar's.
    expect(run.updates.filter((u) => u.id === 1).map((u) => u.ts)).toEqual([day(0), day(0), day(1)]);
  });

  it('a round trip books cash and one closed trade exactly', () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 100 }), 2: submit({ side: 'sell', quantity: 100 }) });
    // Buy 100 at 102 (bar 1 open), sell 100 at 95 (bar 3 open): pnl = (95 − 102) × 100 = −700.
    expect(run.result.trades).toHaveLength(1);
    const t = run.result.trades[0]!;
    expect(t).toMatchObject({ side: 'long', quantity: 100, entryPrice: 102, exitPrice: 95, pnl: -700, entryBar: 1, exitBar: 3 });
    expect(t.entryTime).toBe(day(1));
    expect(t.exitTime).toBe(day(3));
    // 1 000 000 − 10 200 + 9 500 = 999 300.
    expect(run.result.finalCash).toBe('999300');
    expect(run.result.equity[4]).toBe(999_300);
  });

  it("with fillOn 'close' fill at the deciding bar's close", () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 100 }), 2: submit({ side: 'sell', quantity: 100 }) }, { fillOn: 'close' });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([
      [100, day(0)],
      [99, day(2)],
    ]);
    // (99 − 100) × 100 = −100; entered and exited on bars 0 and 2.
    expect(run.result.trades[0]).toMatchObject({ pnl: -100, entryBar: 0, exitBar: 2 });
  });

  it("with fillOn 'close' a limit order still meets the next bar", () => {
    // Limit buy 99 decided on bar 0: bar 0's own range (99..101) is not used; bar 1 low 98 → fills at 99.
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 99 }) }, { fillOn: 'close' });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[99, day(1)]]);
  });
});

describe('limit orders', () => {
  const first: Row = [100, 101, 99, 100];

  it('buy fills at the limit when the low touches it', () => {
    const run = runScript([first, [100, 102, 95, 101]], { 0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 95 }) });
    expect(run.fills.map((f) => [f.price, f.ts, f.liquidity])).toEqual([[95, day(1), 'maker']]);
  });

  it('buy fills at the limit when the bar trades through it', () => {
    const run = runScript([first, [100, 102, 93, 101]], { 0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 95 }) });
    expect(run.fills.map((f) => f.price)).toEqual([95]);
  });

  it('buy fills at the open when the bar gaps below the limit: min(open, limit)', () => {
    const run = runScript([first, [94, 96, 92, 95]], { 0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 95 }) });
    expect(run.fills.map((f) => f.price)).toEqual([94]);
  });

  it('buy keeps working while the low stays above the limit, then fills on the bar that reaches it', () => {
    const run = runScript([first, [100, 102, 96, 101], [99, 100, 95, 97]], {
      0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 95 }),
    });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[95, day(2)]]);
  });

  it('sell fills at the limit when the high touches it', () => {
    const run = runScript([first, [100, 105, 99, 101]], { 0: submit({ side: 'sell', quantity: 10, type: 'limit', limitPrice: 105 }) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[105, day(1)]]);
  });

  it('sell fills at the limit when the bar trades through it', () => {
    const run = runScript([first, [100, 107, 99, 101]], { 0: submit({ side: 'sell', quantity: 10, type: 'limit', limitPrice: 105 }) });
    expect(run.fills.map((f) => f.price)).toEqual([105]);
  });

  it('sell fills at the open when the bar gaps above the limit: max(open, limit)', () => {
    const run = runScript([first, [106.5, 108, 105.5, 107]], { 0: submit({ side: 'sell', quantity: 10, type: 'limit', limitPrice: 105 }) });
    expect(run.fills.map((f) => f.price)).toEqual([106.5]);
  });

  it('sell does not fill while the high stays below the limit', () => {
    const run = runScript([first, [100, 104.99, 99, 101]], { 0: submit({ side: 'sell', quantity: 10, type: 'limit', limitPrice: 105 }) });
    expect(run.fills).toHaveLength(0);
    expect(run.order(1).status).toBe('accepted');
  });
});

describe('stop orders', () => {
  const first: Row = [100, 101, 99, 100];

  it('buy stop triggers when the high reaches the stop and fills at the stop', () => {
    const run = runScript([first, [101, 106, 100, 104]], { 0: submit({ side: 'buy', quantity: 10, type: 'stop', stopPrice: 105 }) });
    expect(run.fills.map((f) => [f.price, f.ts, f.liquidity])).toEqual([[105, day(1), 'taker']]);
  });

  it('buy stop gapped over at the open fills at the open: max(open, stop)', () => {
    const run = runScript([first, [107, 108, 106, 107]], { 0: submit({ side: 'buy', quantity: 10, type: 'stop', stopPrice: 105 }) });
    expect(run.fills.map((f) => f.price)).toEqual([107]);
  });

  it('buy stop above the high does not trigger', () => {
    const run = runScript([first, [101, 104.99, 100, 104]], { 0: submit({ side: 'buy', quantity: 10, type: 'stop', stopPrice: 105 }) });
    expect(run.fills).toHaveLength(0);
  });

  it('sell stop triggers when the low reaches the stop and fills at the stop', () => {
    const run = runScript([first, [99, 100, 94, 96]], { 0: submit({ side: 'sell', quantity: 10, type: 'stop', stopPrice: 95 }) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[95, day(1)]]);
  });

  it('sell stop gapped under at the open fills at the open: min(open, stop)', () => {
    const run = runScript([first, [93, 94, 90, 92]], { 0: submit({ side: 'sell', quantity: 10, type: 'stop', stopPrice: 95 }) });
    expect(run.fills.map((f) => f.price)).toEqual([93]);
  });
});

describe('working orders', () => {
  it('meet each bar in the order they were submitted', () => {
    // Both fill on bar 1: the limit (submitted first) is reported before the market order.
    const rows: Row[] = [
      [100, 101, 99, 100],
      [100, 102, 98, 101],
    ];
    const run = runScript(rows, {
      0: (ctx) => {
        ctx.submit({ symbol: 'AAA', side: 'buy', quantity: 1, type: 'limit', limitPrice: 99 });
        ctx.submit({ symbol: 'AAA', side: 'buy', quantity: 2 });
      },
    });
    expect(run.fills.map((f) => [f.orderId, f.price])).toEqual([
      [1, 99],
      [2, 100],
    ]);
  });

  it('a canceled working order never fills and reports canceled once', () => {
    const rows: Row[] = [
      [100, 101, 99, 100],
      [100, 101, 98, 100],
      [90, 91, 85, 88],
    ];
    const results: boolean[] = [];
    const run = runScript(rows, {
      0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 90 }),
      1: (ctx) => {
        results.push(ctx.cancel(1), ctx.cancel(1));
      },
    });
    // Bar 2 (low 85) would have filled the limit at 90 had it still been working.
    expect(run.fills).toHaveLength(0);
    expect(results).toEqual([true, false]);
    expect(run.order(1).status).toBe('canceled');
    // The simulated exchange answers a cancel at once; the pending state is still published.
    expect(run.statusesOf(1)).toEqual(['submitted', 'accepted', 'pending_cancel', 'canceled']);
    expect(run.updates.find((u) => u.status === 'canceled')?.ts).toBe(day(1));
  });
});

describe('short selling', () => {
  const rows: Row[] = [
    [100, 101, 99, 100],
    [102, 103, 101, 102],
    [98, 99, 96, 97],
    [95, 96, 94, 95],
    [96, 97, 95, 96],
  ];

  it('a sell without a position opens a short; a buy covers it with a short trade', () => {
    const run = runScript(rows, { 0: submit({ side: 'sell', quantity: 100 }), 2: submit({ side: 'buy', quantity: 100 }) });
    // Short 100 at 102 (bar 1 open), cover at 95 (bar 3 open): pnl = (102 − 95) × 100 = +700.
    expect(run.result.trades).toHaveLength(1);
    expect(run.result.trades[0]).toMatchObject({ side: 'short', quantity: 100, entryPrice: 102, exitPrice: 95, pnl: 700 });
    expect(run.result.finalCash).toBe('1000700');
  });

  it('an open short is marked to the close: equity = cash − quantity × close', () => {
    const run = runScript(rows, { 0: submit({ side: 'sell', quantity: 100 }) });
    // After bar 2: cash 1 000 000 + 10 200 = 1 010 200; position −100 × 97 → equity 1 000 500.
    expect(run.result.equity[3]).toBe(1_000_500);
    expect(run.result.openPositions).toEqual([
      { symbol: 'AAA', side: 'short', quantity: 100, entryTime: day(1), avgPrice: 102, lastPrice: 96, unrealizedPnl: 600 },
    ]);
  });

  it('shorts are refused with RISK_SHORT_NOT_ALLOWED when the limits disallow them', () => {
    const run = runScript(rows, { 0: submit({ side: 'sell', quantity: 100 }) }, { limits: { allowShort: false } });
    expect(run.fills).toHaveLength(0);
    expect(run.order(1).status).toBe('rejected');
    expect(run.result.rejections.map((r) => [r.code, r.time])).toEqual([['RISK_SHORT_NOT_ALLOWED', day(0)]]);
  });
});
