// The volume limit (volumeLimitPct) end to end: at most X% of a bar's volume fills per symbol and bar, the
// remainder keeps working (partially_filled, then filled), and the capacity is shared by every order of the
// symbol in submission order.

import { describe, expect, it } from 'vitest';
import { day, runScript, series, type Row } from './fixtures.js';

const rows: Row[] = [
  [100, 101, 99, 100, 1000],
  [101, 102, 100, 101, 1000],
  [102, 103, 101, 102, 1000],
  [103, 104, 102, 103, 1000],
  [104, 105, 103, 104, 1000],
];

describe('volume limit', () => {
  it('splits a large market order across bars at each bar’s open', () => {
    // Capacity floor(1000 × 10 / 100) = 100 a bar: 100 at 101, 100 at 102, 50 at 103.
    const run = runScript(rows, { 0: (ctx) => void ctx.buy('AAA', 250) }, { volumeLimitPct: 10 });
    expect(run.fills.map((f) => [f.quantity, f.price, f.ts])).toEqual([
      [100, 101, day(1)],
      [100, 102, day(2)],
      [50, 103, day(3)],
    ]);
    expect(run.statusesOf(1)).toEqual(['submitted', 'accepted', 'partially_filled', 'partially_filled', 'filled']);
    expect(run.updates.filter((u) => u.id === 1).map((u) => u.filledQuantity)).toEqual([0, 0, 100, 200, 250]);
    // (100 × 101 + 100 × 102 + 50 × 103) / 250 = 25 450 / 250 = 101.8.
    expect(run.order(1).avgFillPrice).toBeCloseTo(101.8, 12);
    // One position: cost 25 450 → cash 1 000 000 − 25 450.
    expect(run.result.finalCash).toBe('974550');
  });

  it('rounds the capacity down to whole shares', () => {
    // floor(1000 × 2.5 / 100) = 25; floor(999 × 2.5 / 100) = floor(24.975) = 24.
    const odd = series([
      [100, 101, 99, 100, 1000],
      [101, 102, 100, 101, 999],
      [102, 103, 101, 102, 1000],
    ]);
    const run = runScript([odd], { 0: (ctx) => void ctx.buy('AAA', 40) }, { volumeLimitPct: 2.5 });
    expect(run.fills.map((f) => f.quantity)).toEqual([24, 16]);
  });

  it('shares one bar’s capacity between orders of the symbol in submission order', () => {
    const run = runScript(
      rows,
      {
        0: (ctx) => {
          ctx.buy('AAA', 80);
          ctx.buy('AAA', 80);
        },
      },
      { volumeLimitPct: 10 },
    );
    // Bar 1: #1 takes 80 of 100, #2 the remaining 20; bar 2: #2 takes its last 60.
    expect(run.fills.map((f) => [f.orderId, f.quantity, f.ts])).toEqual([
      [1, 80, day(1)],
      [2, 20, day(1)],
      [2, 60, day(2)],
    ]);
  });

  it('gives every symbol its own capacity', () => {
    const a = series(rows, { symbol: 'AAA' });
    const b = series(rows, { symbol: 'BBB' });
    const run = runScript(
      [a, b],
      {
        0: (ctx) => {
          ctx.buy('AAA', 80);
          ctx.buy('BBB', 80);
        },
      },
      { volumeLimitPct: 10 },
      { afterAllBars: true },
    );
    expect(run.fills.map((f) => [f.symbol, f.quantity, f.ts])).toEqual([
      ['AAA', 80, day(1)],
      ['BBB', 80, day(1)],
    ]);
  });

  it('with volumeLimitPct 0 (the default) fills any quantity at once', () => {
    const run = runScript(rows, { 0: (ctx) => void ctx.buy('AAA', 5000) });
    expect(run.fills.map((f) => f.quantity)).toEqual([5000]);
  });

  it('a partly filled order can be canceled; the filled part stays booked', () => {
    const run = runScript(rows, { 0: (ctx) => void ctx.buy('AAA', 250), 1: (ctx) => void ctx.cancel(1) }, { volumeLimitPct: 10 });
    expect(run.fills.map((f) => f.quantity)).toEqual([100]);
    expect(run.order(1).status).toBe('canceled');
    expect(run.result.openPositions.map((p) => p.quantity)).toEqual([100]);
  });
});
