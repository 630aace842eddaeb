// Orders for one symbol decided on another symbol's bar: decided at the time step's close, they must meet the
// traded symbol's next bar (DESIGN.md §5: "orders decided on bar t's close reach the market at bar t+1"),
// whatever order the series were given in.

import { describe, expect, it } from 'vitest';
import { day, runScript, series, type Row } from './fixtures.js';

const aaa = series(
  [
    [100, 101, 99, 100],
    [100, 101, 99, 100],
    [100, 101, 99, 100],
  ],
  { symbol: 'AAA' },
);
const bbbRows: Row[] = [
  [49, 51, 48, 50],
  [51, 53, 50, 52],
  [53, 55, 52, 54],
];
const bbb = series(bbbRows, { symbol: 'BBB' });

describe('orders for another symbol', () => {
  it('submitted from onBarsClosed fill at that symbol’s next open', () => {
    const run = runScript([aaa, bbb], { 1: (ctx) => void ctx.buy('BBB', 10) }, {}, { afterAllBars: true });
    expect(run.fills.map((f) => [f.symbol, f.price, f.ts])).toEqual([['BBB', 53, day(2)]]);
  });

  // Regression (fixed): SimulatedExchange.submit() takes activeAfterTs from the traded symbol's last bar (book.lastTs), not from
  // the clock. A strategy reacting to AAA's bar 1 (series order [AAA, BBB]) submits before BBB's bar 1 reaches the
  // exchange, so the order meets BBB's bar 1 and fills at its open 51 — a price from before the decision
  // (look-ahead). With the series in the order [BBB, AAA] the same strategy fills at 53: results depend on
  // series order.
  it('submitted from the first symbol’s onBar wait for the other symbol’s next bar', () => {
    const run = runScript([aaa, bbb], { 1: (ctx) => void ctx.buy('BBB', 10) });
    expect(run.fills.map((f) => [f.symbol, f.price, f.ts])).toEqual([['BBB', 53, day(2)]]);
  });

  // Regression (fixed): same root cause with fillOn 'close': the market order fills at once at BBB's previous close (bar 0:
  // price 50, ts day 0) although it was decided on day 1 — a fill timestamped before its own decision.
  it("with fillOn 'close' never fill at a time before the decision", () => {
    const run = runScript([aaa, bbb], { 1: (ctx) => void ctx.buy('BBB', 10) }, { fillOn: 'close' });
    expect(run.fills).toHaveLength(1);
    expect(run.fills[0]!.ts).toBeGreaterThanOrEqual(day(1));
    expect(run.fills[0]!.price).not.toBe(50);
  });
});
