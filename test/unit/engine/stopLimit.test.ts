// Stop-limit orders end to end (DESIGN.md §5): a gap through the stop lets the limit work all bar; a stop
// reached inside the bar fills at the stop only with a marketable limit, else the order rests as a limit.

import { describe, expect, it } from 'vitest';
import type { OrderRequest, Side } from '../../../src/model/types.js';
import { day, runScript, type Action, type Row } from './fixtures.js';

const first: Row = [100, 101, 99, 100];

function stopLimit(side: Side, stopPrice: number, limitPrice: number): Action {
  const req: OrderRequest = { symbol: 'AAA', side, quantity: 10, type: 'stop-limit', stopPrice, limitPrice };
  return (ctx) => {
    ctx.submit(req);
  };
}

describe('stop-limit buy', () => {
  it('gapping through the stop at the open fills by the limit rule on that bar', () => {
    // open 107 ≥ stop 105 → triggered; limit 106, low 105.5 ≤ 106 → min(107, 106) = 106.
    const run = runScript([first, [107, 110, 105.5, 108]], { 0: stopLimit('buy', 105, 106) });
    expect(run.fills.map((f) => [f.price, f.ts, f.liquidity])).toEqual([[106, day(1), 'maker']]);
  });

  it('after a gap whose bar never reaches the limit, keeps working as a limit on the next bar', () => {
    // Bar 1: triggered (open 107 ≥ 105) but low 105 > limit 104. Bar 2: low 103 ≤ 104 → min(105, 104) = 104.
    const run = runScript([first, [107, 110, 105, 108], [105, 106, 103, 104]], { 0: stopLimit('buy', 105, 104) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[104, day(2)]]);
  });

  it('reaching the stop inside the bar with a marketable limit (limit ≥ stop) fills at the stop', () => {
    // open 101 < stop 105 ≤ high 107; limit 106 ≥ 105 → fills at 105 on bar 1.
    const run = runScript([first, [101, 107, 100, 106]], { 0: stopLimit('buy', 105, 106) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[105, day(1)]]);
  });

  it('reaching the stop inside the bar with limit < stop does not fill on that bar, then rests as a plain limit', () => {
    // Bar 1 reaches 105 and also trades at 100 ≤ 103, but the path is unknown: no fill, triggered.
    // Bar 2 never reaches the stop again (high 104.5) yet fills as a plain limit: min(104, 103) = 103.
    const run = runScript([first, [101, 107, 100, 106], [104, 104.5, 102.5, 103]], { 0: stopLimit('buy', 105, 103) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[103, day(2)]]);
  });

  it('does not act as a limit before the stop is reached', () => {
    // Bar 1 high 104 < stop 105: not triggered. Bar 2 low 101 ≤ 103 would fill a plain limit, but not this order.
    const run = runScript([first, [101, 104, 100, 102], [102, 103.5, 101, 103]], { 0: stopLimit('buy', 105, 103) });
    expect(run.fills).toHaveLength(0);
    expect(run.order(1).status).toBe('accepted');
  });
});

describe('stop-limit sell', () => {
  it('gapping down through the stop fills by the limit rule on that bar', () => {
    // open 93 ≤ stop 95 → triggered; limit 94, high 94.5 ≥ 94 → max(93, 94) = 94.
    const run = runScript([first, [93, 94.5, 90, 92]], { 0: stopLimit('sell', 95, 94) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[94, day(1)]]);
  });

  it('reaching the stop inside the bar with limit ≤ stop fills at the stop', () => {
    const run = runScript([first, [99, 100, 93, 94]], { 0: stopLimit('sell', 95, 94) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[95, day(1)]]);
  });

  it('reaching the stop inside the bar with limit > stop rests as a limit from the next bar', () => {
    // Bar 1: low 93 ≤ 95 triggers, limit 97 not marketable at 95 → no fill. Bar 2: high 98 ≥ 97 → max(96, 97) = 97.
    const run = runScript([first, [99, 100, 93, 94], [96, 98, 95.5, 97]], { 0: stopLimit('sell', 95, 97) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[97, day(2)]]);
  });
});
