// Trailing stops end to end (DESIGN.md §5): the reference starts at the submission bar's close; the stop
// for a bar is reference ∓ trail; the reference follows the high (sell) or low (buy) only after a bar
// without a fill; a gap through the stop fills at the open; percent levels are not rounded to the tick.

import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../src/model/types.js';
import { day, runScript, type Action, type Row } from './fixtures.js';

function trail(req: Omit<OrderRequest, 'symbol' | 'type'>): Action {
  return (ctx) => {
    ctx.submit({ symbol: 'AAA', type: 'trailing-stop', ...req });
  };
}

describe('trailing stop by amount', () => {
  it('sell: stop = close − trail, follows the high after a bar without fill, fills at the stop of its bar', () => {
    const rows: Row[] = [
      [100, 101, 99, 100], // submitted here: reference 100, stop 98
      [100, 103, 99, 102], // low 99 > 98: no fill; reference → 103, stop → 101
      [102, 104, 100.5, 101], // low 100.5 ≤ 101 → fills at min(102, 101) = 101 (the high 104 moves nothing inside the bar)
    ];
    const run = runScript(rows, { 0: trail({ side: 'sell', quantity: 10, trailAmount: 2 }) });
    expect(run.fills.map((f) => [f.price, f.ts, f.liquidity])).toEqual([[101, day(2), 'taker']]);
  });

  it('sell: a bar whose high is below the reference does not move the stop', () => {
    const rows: Row[] = [
      [100, 101, 99, 100], // reference 100, stop 98
      [99, 99.5, 98.5, 99], // high 99.5 < 100: reference stays 100, stop stays 98
      [98.5, 99, 97, 98], // low 97 ≤ 98 → fills at min(98.5, 98) = 98
    ];
    const run = runScript(rows, { 0: trail({ side: 'sell', quantity: 10, trailAmount: 2 }) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[98, day(2)]]);
  });

  it('sell: a gap down through the stop fills at the open', () => {
    const rows: Row[] = [
      [100, 101, 99, 100], // stop 98
      [100, 103, 99, 102], // stop → 101
      [100, 101, 99, 100], // open 100 ≤ 101 → fills at the open, 100
    ];
    const run = runScript(rows, { 0: trail({ side: 'sell', quantity: 10, trailAmount: 2 }) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[100, day(2)]]);
  });

  it('buy: stop = close + trail, follows the low after a bar without fill', () => {
    const rows: Row[] = [
      [100, 101, 99, 100], // reference 100, stop 101.5
      [100, 101, 97, 98], // high 101 < 101.5: no fill; reference → 97, stop → 98.5
      [98, 99, 97.5, 99], // high 99 ≥ 98.5 → fills at max(98, 98.5) = 98.5
    ];
    const run = runScript(rows, { 0: trail({ side: 'buy', quantity: 10, trailAmount: 1.5 }) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[98.5, day(2)]]);
  });

  it('buy: a gap up through the stop fills at the open', () => {
    const rows: Row[] = [
      [100, 101, 99, 100], // stop 101.5
      [103, 104, 102, 103], // open 103 ≥ 101.5 → fills at 103
    ];
    const run = runScript(rows, { 0: trail({ side: 'buy', quantity: 10, trailAmount: 1.5 }) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[103, day(1)]]);
  });

  // Regression (fixed): after a bar on which a volume-limited trailing stop fills only partly, the exchange still moves the
  // reference to that bar's high (exchange.ts meetOrder → afterBar runs whenever the order is not done).
  // The contract moves the reference only after a bar without a fill, so the stop should stay at 98 on bar 2.
  it('sell: after a bar with a partial fill the reference does not move', () => {
    const rows: Row[] = [
      [100, 101, 99, 100, 1000], // reference 100, stop 98; capacity 10% of 1000 = 100 a bar
      [99, 103, 97, 102, 1000], // low 97 ≤ 98 → 100 of 200 fill at min(99, 98) = 98; reference must stay 100
      [100, 100.5, 99, 100, 1000], // stop 98 < low 99: no fill; reference → 100.5, stop → 98.5
      [99, 99.5, 98, 98.5, 1000], // low 98 ≤ 98.5 → the other 100 fill at min(99, 98.5) = 98.5
    ];
    const run = runScript(rows, { 0: trail({ side: 'sell', quantity: 200, trailAmount: 2 }) }, { volumeLimitPct: 10 });
    expect(run.fills.map((f) => [f.quantity, f.price, f.ts])).toEqual([
      [100, 98, day(1)],
      [100, 98.5, day(3)],
    ]);
  });
});

describe('trailing stop by percent', () => {
  it('sell: the stop is reference × (1 − p/100), not rounded to the tick', () => {
    const rows: Row[] = [
      [100, 101, 99, 100.01], // reference 100.01, stop 100.01 × 0.97 = 97.0097 (tick is 0.01)
      [100, 100.5, 97.01, 98], // low 97.01 > 97.0097: no fill (a stop rounded to 97.01 would have filled)
      //                          reference → 100.5, stop → 97.485
      [98, 99, 97.4, 98], // low 97.4 ≤ 97.485 → fills at min(98, 97.485) = 97.485
    ];
    const run = runScript(rows, { 0: trail({ side: 'sell', quantity: 10, trailPercent: 3 }) });
    expect(run.fills.map((f) => [f.pricePu, f.ts])).toEqual([[9_748_500_000, day(2)]]);
    expect(run.fills[0]?.price).toBe(97.485);
  });

  it('buy: the stop is reference × (1 + p/100), exact in pu', () => {
    const rows: Row[] = [
      [100, 101, 99, 99.99], // reference 99.99, stop 99.99 × 1.025 = 102.48975
      [100, 102.48, 99, 101], // high 102.48 < 102.48975: no fill; reference → 99, stop → 101.475
      [101, 102, 100, 101.5], // high 102 ≥ 101.475 → fills at max(101, 101.475) = 101.475
    ];
    const run = runScript(rows, { 0: trail({ side: 'buy', quantity: 10, trailPercent: 2.5 }) });
    expect(run.fills.map((f) => [f.pricePu, f.ts])).toEqual([[10_147_500_000, day(2)]]);
  });
});
