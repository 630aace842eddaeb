// Time in force end to end (DESIGN.md §5): DAY expires at the next session (daily bars: after one bar),
// IOC and FOK are evaluated on their first bar only, GTC works until filled or canceled.

import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../src/model/types.js';
import { day, runScript, series, type Action, type Row } from './fixtures.js';

function submit(req: Omit<OrderRequest, 'symbol'>): Action {
  return (ctx) => {
    ctx.submit({ symbol: 'AAA', ...req });
  };
}

const rows: Row[] = [
  [100, 101, 99, 100, 1000], // submitted here
  [100, 101, 95, 100, 1000], // first bar: low 95
  [92, 93, 85, 88, 1000], // second bar: low 85
];

describe('GTC (the default)', () => {
  it('works across bars until it fills', () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 90 }) });
    expect(run.order(1).tif).toBe('GTC');
    // Bar 2 opens at 92 and trades down to 85 → fills at min(92, 90) = 90.
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[90, day(2)]]);
  });
});

describe('DAY', () => {
  it('on daily bars can fill on the first bar after submission', () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 96, tif: 'DAY' }) });
    expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[96, day(1)]]);
  });

  it('on daily bars expires at the next session: it does not fill on the second bar', () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 90, tif: 'DAY' }) });
    expect(run.fills).toHaveLength(0);
    expect(run.statusesOf(1)).toEqual(['submitted', 'accepted', 'expired']);
    expect(run.order(1).updatedAt).toBe(day(2));
  });

  describe('on intraday bars, sessions are calendar days in the exchange time zone', () => {
    // Friday 2024-03-08 19:00Z and 20:00Z (14:00, 15:00 EST), Saturday 00:00Z (Friday 19:00 EST), Monday 14:00Z.
    const times = [Date.UTC(2024, 2, 8, 19), Date.UTC(2024, 2, 8, 20), Date.UTC(2024, 2, 9, 0), Date.UTC(2024, 2, 11, 14)];
    const bars = series(
      [
        [100, 101, 99, 100],
        [100, 101, 95, 100],
        [92, 93, 85, 88],
        [80, 81, 70, 75],
      ],
      { timeframe: '1h', times },
    );
    const action = { 0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 90, tif: 'DAY' }) };

    it('in New York a bar at Saturday 00:00Z still belongs to Friday’s session: the order fills there', () => {
      const run = runScript([bars], action, { timeZone: 'America/New_York' });
      expect(run.fills.map((f) => [f.price, f.ts])).toEqual([[90, times[2]]]);
    });

    it('in UTC the same bar is Saturday: the order expires there unfilled', () => {
      const run = runScript([bars], action, { timeZone: 'UTC' });
      expect(run.fills).toHaveLength(0);
      expect(run.order(1).status).toBe('expired');
      expect(run.order(1).updatedAt).toBe(times[2]);
    });
  });
});

describe('IOC', () => {
  it('a limit not reached on its first bar is canceled there', () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 90, tif: 'IOC' }) });
    expect(run.fills).toHaveLength(0);
    expect(run.order(1).status).toBe('canceled');
    expect(run.order(1).updatedAt).toBe(day(1));
    expect(run.order(1).rejectReason).toBe('IOC: unfilled remainder canceled after its first bar');
  });

  it('fills what the volume limit allows on the first bar and cancels the rest', () => {
    // Capacity 10% × 1000 = 100 of 500 at bar 1's open 100; the other 400 are canceled.
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 500, tif: 'IOC' }) }, { volumeLimitPct: 10 });
    expect(run.fills.map((f) => [f.quantity, f.price, f.ts])).toEqual([[100, 100, day(1)]]);
    expect(run.statusesOf(1)).toEqual(['submitted', 'accepted', 'partially_filled', 'canceled']);
    expect(run.order(1).filledQuantity).toBe(100);
  });

  // Regression (fixed): with fillOn 'close', SimulatedExchange.submit() fills what it can at the deciding bar's close and then
  // pushes the IOC remainder into the working list, so it meets the next bar too (another 100 at its open)
  // before being canceled. IOC must be evaluated on its first bar only.
  it("with fillOn 'close' the remainder is canceled on the deciding bar, not filled on the next", () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 500, tif: 'IOC' }) }, { volumeLimitPct: 10, fillOn: 'close' });
    expect(run.fills.map((f) => [f.quantity, f.price, f.ts])).toEqual([[100, 100, day(0)]]);
    expect(run.order(1).status).toBe('canceled');
  });
});

describe('FOK', () => {
  it('fills completely on its first bar when it can', () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 100, tif: 'FOK' }) }, { volumeLimitPct: 10 });
    expect(run.fills.map((f) => [f.quantity, f.price])).toEqual([[100, 100]]);
  });

  it('is canceled without any fill when the volume limit cannot fill it completely', () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 101, tif: 'FOK' }) }, { volumeLimitPct: 10 });
    expect(run.fills).toHaveLength(0);
    expect(run.statusesOf(1)).toEqual(['submitted', 'accepted', 'canceled']);
    expect(run.order(1).updatedAt).toBe(day(1));
  });

  it('a limit not reached on its first bar is canceled there', () => {
    const run = runScript(rows, { 0: submit({ side: 'buy', quantity: 10, type: 'limit', limitPrice: 90, tif: 'FOK' }) });
    expect(run.fills).toHaveLength(0);
    expect(run.order(1).status).toBe('canceled');
    expect(run.order(1).updatedAt).toBe(day(1));
  });

  // Regression (fixed): with fillOn 'close' a FOK market order that cannot fill completely at the deciding bar's close is pushed
  // into the working list and meets the next bar as well, where (bar volume 10 000 → capacity 1000) it fills
  // all 500 at the open. FOK must be all-or-nothing on its first bar only.
  it("with fillOn 'close' an order that cannot fill completely on the deciding bar is canceled there", () => {
    const big: Row[] = [
      [100, 101, 99, 100, 1000],
      [101, 102, 100, 101, 10_000],
    ];
    const run = runScript(big, { 0: submit({ side: 'buy', quantity: 500, tif: 'FOK' }) }, { volumeLimitPct: 10, fillOn: 'close' });
    expect(run.fills).toHaveLength(0);
    expect(run.order(1).status).toBe('canceled');
  });
});
