// Brackets and OCO groups end to end (DESIGN.md §5): exits wait for the entry's fill and become active on
// the next bar; one exit filling cancels the other; when both could fill on one bar the stop-loss wins
// unless ocoBothFill is 'take-profit'; an entry that ends unfilled cancels its exits.
// Order ids: a bracket's entry is #1, its take-profit #2 and its stop-loss #3.

import { describe, expect, it } from 'vitest';
import type { BracketRequest, OrderRequest } from '../../../src/model/types.js';
import { day, runScript, type Action, type Row } from './fixtures.js';

const BRACKET: BracketRequest = {
  entry: { symbol: 'AAA', side: 'buy', quantity: 100 },
  takeProfit: { limitPrice: 110 },
  stopLoss: { stopPrice: 95 },
};

function bracket(req: BracketRequest = BRACKET): Action {
  return (ctx) => {
    ctx.submitBracket(req);
  };
}

const entryBars: Row[] = [
  [100, 101, 99, 100], // bracket submitted
  [100, 112, 94, 105], // entry fills at the open 100; both exit levels are traded, but the exits are not active yet
];

describe('bracket orders', () => {
  it('exits become active only on the bar after the entry fills', () => {
    const run = runScript([...entryBars, [106, 111, 104, 108]], { 0: bracket() });
    // Bar 2: take-profit high 111 ≥ 110 → max(106, 110) = 110; the stop-loss (low 104 > 95) is canceled by the OCO.
    expect(run.fills.map((f) => [f.orderId, f.price, f.ts])).toEqual([
      [1, 100, day(1)],
      [2, 110, day(2)],
    ]);
    expect(run.order(3).status).toBe('canceled');
    expect(run.order(3).rejectReason).toBe('OCO: take-profit #2 filled');
    // (110 − 100) × 100 = 1000.
    expect(run.result.trades.map((t) => t.pnl)).toEqual([1000]);
  });

  it('links exits to the entry and holds them in state new until the entry fills', () => {
    const run = runScript([...entryBars, [106, 111, 104, 108]], { 0: bracket() });
    expect(run.order(2)).toMatchObject({ parentId: 1, role: 'take-profit', ocoGroup: 'bracket-1', side: 'sell', quantity: 100, type: 'limit' });
    expect(run.order(3)).toMatchObject({ parentId: 1, role: 'stop-loss', ocoGroup: 'bracket-1', side: 'sell', type: 'stop', stopPrice: 95 });
    // The exits are released (submitted, accepted) at the entry fill's time, day 1.
    expect(run.updates.filter((u) => u.id === 2).map((u) => [u.status, u.ts])).toEqual([
      ['submitted', day(1)],
      ['accepted', day(1)],
      ['filled', day(2)],
    ]);
  });

  it('when both exits could fill on one bar the stop-loss fills and the take-profit is canceled', () => {
    // Bar 2 trades 94..111: take-profit 110 and stop-loss 95 both reachable → stop-loss at min(104, 95) = 95.
    const run = runScript([...entryBars, [104, 111, 94, 100]], { 0: bracket() });
    expect(run.fills.map((f) => [f.orderId, f.price])).toEqual([
      [1, 100],
      [3, 95],
    ]);
    expect(run.order(2).status).toBe('canceled');
    expect(run.result.trades.map((t) => t.pnl)).toEqual([-500]);
  });

  it("ocoBothFill: 'take-profit' lets the take-profit win when both could fill", () => {
    const run = runScript([...entryBars, [104, 111, 94, 100]], { 0: bracket() }, { ocoBothFill: 'take-profit' });
    expect(run.fills.map((f) => [f.orderId, f.price])).toEqual([
      [1, 100],
      [2, 110],
    ]);
    expect(run.order(3).status).toBe('canceled');
    expect(run.result.trades.map((t) => t.pnl)).toEqual([1000]);
  });

  it('a short bracket mirrors the exits: buy-to-cover take-profit below, stop-loss above', () => {
    const req: BracketRequest = { entry: { symbol: 'AAA', side: 'sell', quantity: 10 }, takeProfit: { limitPrice: 90 }, stopLoss: { stopPrice: 105 } };
    // Entry sells 10 at bar 1's open 100; bar 2 high 106 ≥ 105 → stop-loss buys at max(101, 105) = 105.
    const run = runScript([...entryBars, [101, 106, 100, 104]], { 0: bracket(req) });
    expect(run.fills.map((f) => [f.orderId, f.side, f.price])).toEqual([
      [1, 'sell', 100],
      [3, 'buy', 105],
    ]);
    expect(run.result.trades[0]).toMatchObject({ side: 'short', pnl: -50 });
  });

  it('a stop-loss with a limit price becomes a stop-limit exit', () => {
    const req: BracketRequest = { ...BRACKET, stopLoss: { stopPrice: 95, limitPrice: 94 } };
    // Bar 2: low 93 reaches 95 inside the bar; limit 94 ≤ 95 is marketable → fills at 95.
    const run = runScript([...entryBars, [99, 100, 93, 94]], { 0: bracket(req) });
    expect(run.order(3).type).toBe('stop-limit');
    expect(run.fills.map((f) => [f.orderId, f.price])).toEqual([
      [1, 100],
      [3, 95],
    ]);
  });

  it('an entry canceled before it fills cancels its exits', () => {
    const req: BracketRequest = { ...BRACKET, entry: { symbol: 'AAA', side: 'buy', quantity: 100, type: 'limit', limitPrice: 80 } };
    const run = runScript([[100, 101, 99, 100], [100, 101, 99, 100], [100, 101, 70, 100]], {
      0: bracket(req),
      1: (ctx) => {
        ctx.cancel(1);
      },
    });
    expect(run.fills).toHaveLength(0);
    expect([run.order(1).status, run.order(2).status, run.order(3).status]).toEqual(['canceled', 'canceled', 'canceled']);
    expect(run.order(2).rejectReason).toBe('parent #1 canceled');
    // The exits were never sent: their only update is new → canceled.
    expect(run.statusesOf(2)).toEqual(['canceled']);
    expect(run.statusesOf(3)).toEqual(['canceled']);
  });

  it('an entry that expires unfilled (DAY) cancels its exits', () => {
    const req: BracketRequest = { ...BRACKET, entry: { symbol: 'AAA', side: 'buy', quantity: 100, type: 'limit', limitPrice: 80, tif: 'DAY' } };
    const run = runScript([[100, 101, 99, 100], [100, 101, 99, 100], [100, 101, 70, 100]], { 0: bracket(req) });
    expect([run.order(1).status, run.order(2).status, run.order(3).status]).toEqual(['expired', 'canceled', 'canceled']);
    expect(run.order(3).rejectReason).toBe('parent #1 expired');
  });

  it('an entry refused by the risk checks returns no orders and rejects the exits', () => {
    let returned: readonly unknown[] = ['not called'];
    const run = runScript(entryBars, { 0: (ctx) => (returned = ctx.submitBracket(BRACKET)) }, { cash: 1000 });
    // 100 × 100 = 10 000 of exposure > equity 1000 × leverage 1.
    expect(returned).toEqual([]);
    expect([run.order(1).status, run.order(2).status, run.order(3).status]).toEqual(['rejected', 'rejected', 'rejected']);
    expect(run.result.rejections.map((r) => r.code)).toEqual(['RISK_BUYING_POWER']);
  });

  it('a BUY signal with stop and take-profit prices submits a bracket', () => {
    const run = runScript([...entryBars, [106, 111, 104, 108]], {
      0: (ctx) => {
        ctx.signal('AAA', 'BUY', { quantity: 100, stopPrice: 95, takeProfitPrice: 110 });
      },
    });
    expect(run.order(1).role).toBe('entry');
    expect(run.fills.map((f) => [f.orderId, f.price])).toEqual([
      [1, 100],
      [2, 110],
    ]);
  });

  // Regression (fixed): canceling a held bracket exit (state new) before the entry fills leaves it in OrderManager.heldChildren;
  // when the entry then fills, releaseChildren() transitions the canceled exit to 'submitted' and throws
  // PI5_ERR_BAD_TRANSITION ("canceled → submitted is not allowed"), aborting the whole backtest.
  it('canceling one exit before the entry fills keeps the other exit and the run going', () => {
    const run = runScript([...entryBars, [106, 111, 104, 108]], {
      0: (ctx) => {
        ctx.submitBracket(BRACKET);
        ctx.cancel(3);
      },
    });
    expect(run.order(3).status).toBe('canceled');
    expect(run.fills.map((f) => [f.orderId, f.price])).toEqual([
      [1, 100],
      [2, 110],
    ]);
  });

  // Regression (fixed): SimulatedExchange cancels OCO siblings only when a member is completely filled (fill(): `w.done &&
  // o.ocoGroup !== null`) and never reduces them on a partial fill. With a volume limit the take-profit sells
  // 100 of 200 on bar 2, the stop-loss still works for all 200, triggers on bar 3 and sells 200: the bracket
  // that protected a 200-share long leaves the account short 100.
  it('exits never sell more than the entry bought when the take-profit fills only partly', () => {
    const rows: Row[] = [
      [100, 101, 99, 100, 10_000],
      [100, 101, 99, 100, 10_000], // entry buys 200 at 100 (capacity 1000)
      [105, 111, 104, 108, 1000], // take-profit 110 reached, capacity 100 → sells 100 at 110
      [100, 101, 94, 96, 10_000], // stop-loss 95 reached
      [96, 97, 95, 96, 10_000],
    ];
    const req: BracketRequest = { ...BRACKET, entry: { symbol: 'AAA', side: 'buy', quantity: 200 } };
    const run = runScript(rows, { 0: bracket(req) }, { volumeLimitPct: 10 });
    const exitQty = run.fills.filter((f) => f.orderId !== 1).reduce((a, f) => a + f.quantity, 0);
    expect(exitQty).toBeLessThanOrEqual(200);
    expect(run.result.openPositions.filter((p) => p.side === 'short')).toEqual([]);
  });
});

describe('OCO groups (ctx.submitOco)', () => {
  const rows: Row[] = [
    [100, 101, 99, 100], // buy 100 at market
    [100, 101, 99, 100], // filled at 100; OCO exits submitted
    [104, 111, 94, 100], // both exits reachable
  ];
  const limitExit: OrderRequest = { symbol: 'AAA', side: 'sell', quantity: 100, type: 'limit', limitPrice: 110 };
  const stopExit: OrderRequest = { symbol: 'AAA', side: 'sell', quantity: 100, type: 'stop', stopPrice: 95 };

  function ocoRun(requests: readonly OrderRequest[]): ReturnType<typeof runScript> {
    return runScript(rows, {
      0: (ctx) => {
        ctx.buy('AAA', 100);
      },
      1: (ctx) => {
        ctx.submitOco(requests);
      },
    });
  }

  it('the first submitted member that fills cancels the others (limit first)', () => {
    const run = ocoRun([limitExit, stopExit]);
    expect(run.fills.map((f) => [f.orderId, f.price])).toEqual([
      [1, 100],
      [2, 110],
    ]);
    expect(run.order(3).status).toBe('canceled');
    expect(run.order(3).rejectReason).toBe('OCO: sibling #2 filled');
    expect(run.order(2).ocoGroup).toBe(run.order(3).ocoGroup);
  });

  it('the first submitted member that fills cancels the others (stop first)', () => {
    const run = ocoRun([stopExit, limitExit]);
    expect(run.fills.map((f) => [f.orderId, f.price])).toEqual([
      [1, 100],
      [2, 95],
    ]);
    expect(run.order(3).status).toBe('canceled');
  });

  it('a member refused by the risk checks rejects the whole group', () => {
    let returned: readonly unknown[] = ['not called'];
    const run = runScript(
      rows,
      {
        0: (ctx) =>
          (returned = ctx.submitOco([
            { symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 90 },
            { symbol: 'AAA', side: 'sell', quantity: 10, type: 'limit', limitPrice: 110 },
          ])),
      },
      { limits: { allowShort: false } },
    );
    expect(returned).toEqual([]);
    expect(run.order(1).status).toBe('rejected');
    expect(run.order(1).rejectReason).toBe('OCO oco-1: a sibling was rejected');
    expect(run.order(2).status).toBe('rejected');
    expect(run.result.rejections.map((r) => r.code)).toEqual(['RISK_SHORT_NOT_ALLOWED']);
  });
});
