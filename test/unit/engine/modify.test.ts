// Modify (cancel/replace) through a real kernel backtest: the order is amended in place (same id, client id
// and links) through pending_replace, the new terms meet the bars after the decision under the usual fill
// rules, the amended order passes the pre-trade checks in place of the original, and a finished order
// cannot be modified.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../src/core/errors.js';
import type { OrderStatus } from '../../../src/model/types.js';
import { day, runScript, type Row } from './fixtures.js';

const FLAT: Row = [100, 101, 99, 100];

describe('ctx.modify', () => {
  it('a new limit price applies from the next bar and fills there by the limit rule', () => {
    const returned: boolean[] = [];
    const run = runScript(
      [FLAT, [100, 101, 95, 100], [97, 98, 94, 96]],
      {
        0: (ctx) => void ctx.submit({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 90 }),
        1: (ctx) => void returned.push(ctx.modify(1, { limitPrice: 96 })),
      },
    );
    expect(returned).toEqual([true]);
    // Bar 1 (low 95) never reached 90; bar 2: low 94 ≤ 96 → min(open 97, 96) = 96.
    expect(run.fills.map((f) => [f.orderId, f.quantity, f.price, f.ts])).toEqual([[1, 10, 96, day(2)]]);
    expect(run.statusesOf(1)).toEqual(['submitted', 'accepted', 'pending_replace', 'accepted', 'filled'] satisfies OrderStatus[]);
    expect(run.order(1)).toMatchObject({ limitPrice: 96, clientOrderId: 'bt-scripted-1', quantity: 10 });
  });

  it('the old terms no longer fill on the bar after the modify', () => {
    // Lowered from 90 to 80 on bar 1: bar 2 (low 85) would have filled the old limit.
    const run = runScript([FLAT, [100, 101, 99.5, 100], [90, 91, 85, 88]], {
      0: (ctx) => void ctx.submit({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 90 }),
      1: (ctx) => void ctx.modify(1, { limitPrice: 80 }),
    });
    expect(run.fills).toEqual([]);
    expect(run.order(1).status).toBe('accepted');
  });

  it('a quantity decrease fills only the new quantity', () => {
    const run = runScript([FLAT, [100, 101, 95, 100], [92, 93, 88, 90]], {
      0: (ctx) => void ctx.submit({ symbol: 'AAA', side: 'buy', quantity: 100, type: 'limit', limitPrice: 90 }),
      1: (ctx) => void ctx.modify(1, { quantity: 40 }),
    });
    expect(run.fills.map((f) => [f.quantity, f.price])).toEqual([[40, 90]]);
    expect(run.order(1)).toMatchObject({ status: 'filled', quantity: 40, filledQuantity: 40 });
  });

  it('after a partial fill the new total counts what has filled; below it is refused', () => {
    const rows: Row[] = [0, 1, 2, 3].map(() => [100, 101, 99, 100, 1000]);
    const errors: unknown[] = [];
    const run = runScript(
      rows,
      {
        0: (ctx) => void ctx.submit({ symbol: 'AAA', side: 'buy', quantity: 250, type: 'limit', limitPrice: 100 }),
        1: (ctx) => {
          for (const quantity of [90, 100]) {
            try {
              ctx.modify(1, { quantity });
            } catch (e) {
              errors.push(isPi5Error(e) ? e.code : e);
            }
          }
          ctx.modify(1, { quantity: 150 });
        },
      },
      { volumeLimitPct: 10 },
    );
    expect(errors).toEqual(['PI5_ERR_BAD_ORDER', 'PI5_ERR_BAD_ORDER']);
    // 10% of 1000 = 100 on bar 1; the new total 150 leaves 50 for bar 2.
    expect(run.fills.map((f) => [f.quantity, f.ts])).toEqual([
      [100, day(1)],
      [50, day(2)],
    ]);
    expect(run.statusesOf(1)).toEqual(['submitted', 'accepted', 'partially_filled', 'pending_replace', 'partially_filled', 'filled'] satisfies OrderStatus[]);
    expect(run.order(1)).toMatchObject({ quantity: 150, filledQuantity: 150 });
  });

  it('moving a bracket stop keeps it in the OCO group: its fill cancels the take-profit', () => {
    const run = runScript([FLAT, FLAT, [100, 101, 97, 99]], {
      0: (ctx) =>
        void ctx.submitBracket({
          entry: { symbol: 'AAA', side: 'buy', quantity: 100 },
          takeProfit: { limitPrice: 110 },
          stopLoss: { stopPrice: 95 },
        }),
      1: (ctx) => void ctx.modify(3, { stopPrice: 98 }),
    });
    // Entry at bar 1's open (100); bar 2: low 97 ≤ 98 → min(open 100, 98) = 98; the old stop 95 would not fill.
    expect(run.fills.map((f) => [f.orderId, f.price])).toEqual([
      [1, 100],
      [3, 98],
    ]);
    expect(run.order(3)).toMatchObject({ status: 'filled', stopPrice: 98, ocoGroup: 'bracket-1', role: 'stop-loss', parentId: 1 });
    expect(run.order(2)).toMatchObject({ status: 'canceled', rejectReason: 'OCO: stop-loss #3 filled' });
  });

  it('a bracket stop held for its entry is amended at once, without a pending state', () => {
    const run = runScript([FLAT, FLAT, [100, 101, 97, 99]], {
      0: (ctx) => {
        ctx.submitBracket({ entry: { symbol: 'AAA', side: 'buy', quantity: 100 }, stopLoss: { stopPrice: 95 } });
        ctx.modify(2, { stopPrice: 98 });
      },
    });
    expect(run.statusesOf(2)).toEqual(['new', 'submitted', 'accepted', 'filled'] satisfies OrderStatus[]);
    expect(run.fillsOf(2).map((f) => f.price)).toEqual([98]);
  });

  it('a filled order (or another strategy’s, or an unknown id) is not modified', () => {
    const returned: boolean[] = [];
    const run = runScript([FLAT, FLAT, FLAT], {
      0: (ctx) => void ctx.buy('AAA', 10),
      1: (ctx) => void returned.push(ctx.modify(1, { quantity: 5 }), ctx.modify(42, { quantity: 5 })),
    });
    expect(returned).toEqual([false, false]);
    expect(run.order(1)).toMatchObject({ status: 'filled', quantity: 10 });
  });

  it('the amended order is checked in place of the original: a denial leaves it as it was', () => {
    const returned: boolean[] = [];
    const run = runScript(
      [FLAT, FLAT, [90, 91, 85, 88]],
      {
        0: (ctx) => void ctx.submit({ symbol: 'AAA', side: 'buy', quantity: 100, type: 'limit', limitPrice: 90 }),
        // 120 alone is within 150 (the original's 100 is not counted on top); 200 is not.
        1: (ctx) => void returned.push(ctx.modify(1, { quantity: 120 }), ctx.modify(1, { quantity: 200 })),
      },
      { limits: { maxPositionQty: 150 } },
    );
    expect(returned).toEqual([true, false]);
    expect(run.result.rejections.map((r) => [r.code, r.time])).toEqual([['RISK_MAX_POSITION_QTY', day(1)]]);
    expect(run.result.rejections[0]?.message).toMatch(/^modify #1: /);
    expect(run.fills.map((f) => [f.quantity, f.price])).toEqual([[120, 90]]);
  });

  it('a malformed change throws PI5_ERR_BAD_ORDER and changes nothing', () => {
    const codes: unknown[] = [];
    const run = runScript([FLAT, FLAT], {
      0: (ctx) => {
        ctx.submit({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 90 });
        for (const changes of [{ stopPrice: 80 }, { limitPrice: -1 }, {}]) {
          try {
            ctx.modify(1, changes);
          } catch (e) {
            codes.push(isPi5Error(e) ? e.code : e);
          }
        }
      },
    });
    expect(codes).toEqual(['PI5_ERR_BAD_ORDER', 'PI5_ERR_BAD_ORDER', 'PI5_ERR_BAD_ORDER']);
    expect(run.order(1)).toMatchObject({ limitPrice: 90, status: 'accepted' });
    expect(run.statusesOf(1)).toEqual(['submitted', 'accepted'] satisfies OrderStatus[]);
  });

  it('a trailing stop keeps its reference when its distance changes', () => {
    // Submitted on bar 0 (close 100): sell stop at 100 − 10 = 90. Bar 1 high 104: reference 104, stop 94.
    // Modified on bar 1 to trail 2: stop 104 − 2 = 102 for bar 2, whose low 101.5 reaches it: min(open 103, 102).
    const run = runScript([FLAT, [100, 104, 99, 103], [103, 103.5, 101.5, 102]], {
      0: (ctx) => {
        ctx.buy('AAA', 10);
        ctx.submit({ symbol: 'AAA', side: 'sell', quantity: 10, type: 'trailing-stop', trailAmount: 10 });
      },
      1: (ctx) => void ctx.modify(2, { trailAmount: 2 }),
    });
    expect(run.fillsOf(2).map((f) => [f.price, f.ts])).toEqual([[102, day(2)]]);
  });
});
