// Fractional Kelly (given edge and edge estimated from closed trades) and equal weight across active
// signals, worked out by hand at and around each limit: no edge, the cap, too few trades, the slot floor.

import { describe, expect, it } from 'vitest';
import { EqualWeightSizer, KellySizer, estimateEdge, kellyFraction, type SizingInput, type TradeOutcome } from '../../../src/risk/sizing/index.js';

function at(o: Partial<SizingInput> = {}): SizingInput {
  return { symbol: 'AAA', price: 50, equity: 100_000, cash: 100_000, lotSize: 1, ...o };
}
/** A trade on 10 × 100 = 1000 of notional: pnl 30 is a 3% return. */
const trade = (pnl: number, quantity = 10, entryPrice = 100): TradeOutcome => ({ pnl, quantity, entryPrice });
const kelly = (fraction: number, capPct: number, edge: { winRate?: number; payoff?: number } = {}, minTrades = 5): KellySizer =>
  new KellySizer({ fraction, capPct, minTrades, ...edge });

describe('kellyFraction', () => {
  it('is W − (1 − W) / R: W 0.55, R 1.5 → 0.55 − 0.3 = 0.25', () => {
    expect(kellyFraction(0.55, 1.5)).toBeCloseTo(0.25, 15);
  });
  it('is 0 with no edge (W 0.4, R 1.5: 0.4 − 0.4) and below it, never negative', () => {
    expect(kellyFraction(0.4, 1.5)).toBeCloseTo(0, 15);
    expect(kellyFraction(0.3, 1.5)).toBe(0);
    expect(kellyFraction(0, 0)).toBe(0);
  });
  it('is W when no trade has lost yet (R = ∞)', () => {
    expect(kellyFraction(1, Infinity)).toBe(1);
    expect(kellyFraction(0.5, Infinity)).toBe(0.5);
  });
});

describe('KellySizer with a given edge', () => {
  it('half Kelly of 0.25 is 12.5% of equity: 12 500 / 50 = 250', () => {
    expect(kelly(0.5, 20, { winRate: 0.55, payoff: 1.5 }).size(at())).toBe(250);
  });
  it('is capped: cap 10% → 10 000 / 50 = 200; exactly at the cap (0.8 × 0.25 = 20%) → 400', () => {
    expect(kelly(0.5, 10, { winRate: 0.55, payoff: 1.5 }).size(at())).toBe(200);
    expect(kelly(0.8, 20, { winRate: 0.55, payoff: 1.5 }).size(at())).toBe(400);
  });
  it('trades nothing with no edge, and a little just above it: W 0.41 → 0.41 − 0.3933 = 0.01667 → half → 833 / 50 = 16', () => {
    expect(kelly(0.5, 20, { winRate: 0.4, payoff: 1.5 }).size(at())).toBe(0);
    expect(kelly(0.5, 20, { winRate: 0.41, payoff: 1.5 }).size(at())).toBe(16);
  });
  it('ignores the track record when the edge is given', () => {
    expect(kelly(0.5, 20, { winRate: 0.55, payoff: 1.5 }).size(at({ closedTrades: () => [trade(-10)] }))).toBe(250);
  });
  it('respects buying power: 12.5% of equity with 5000 cash → 100', () => {
    expect(kelly(0.5, 20, { winRate: 0.55, payoff: 1.5 }).size(at({ cash: 5000, leverage: 1 }))).toBe(100);
  });
});

describe('KellySizer estimated from closed trades', () => {
  // Returns +3%, +3%, +3%, −2%, −2%: W = 3/5 = 0.6, R = 0.03 / 0.02 = 1.5, f* = 0.6 − 0.4/1.5 = 1/3.
  const record = [trade(30), trade(30), trade(30), trade(-20), trade(-20)];

  it('estimates W and R from trade returns, so a bigger trade of the same return weighs the same', () => {
    const e = estimateEdge(record);
    expect(e.winRate).toBe(0.6);
    expect(e.payoff).toBeCloseTo(1.5, 12);
    expect(estimateEdge([...record.slice(1), trade(3000, 100, 1000)]).payoff).toBeCloseTo(1.5, 12);
  });

  it('half Kelly of 1/3 is 16.67% of equity: 16 666.7 / 50 = 333.3 → 333', () => {
    expect(kelly(0.5, 25).size(at({ closedTrades: () => record }))).toBe(333);
  });

  it('counts break-even trades in W only: W = 3/6, R = 1.5 → f* = 1/6, half → 8333 / 50 = 166', () => {
    expect(kelly(0.5, 25).size(at({ closedTrades: () => [...record, trade(0)] }))).toBe(166);
  });

  it('all wins: f* = W = 1, half is 0.5, capped at 25% → 500', () => {
    expect(kelly(0.5, 25).size(at({ closedTrades: () => [trade(30), trade(10), trade(5), trade(1), trade(2)] }))).toBe(500);
  });

  it('all losses: no edge, nothing', () => {
    expect(kelly(0.5, 25).size(at({ closedTrades: () => record.map((t) => trade(-Math.abs(t.pnl))) }))).toBe(0);
  });

  it('trades nothing before min trades: 5 trades with min 6, or no track record at all', () => {
    expect(kelly(0.5, 25, {}, 6).size(at({ closedTrades: () => record }))).toBe(0);
    expect(kelly(0.5, 25).size(at())).toBe(0);
  });
});

describe('EqualWeightSizer', () => {
  it('splits equity over the active symbols: 3 → 100 000 / 3 / 50 = 666.7 → 666', () => {
    expect(new EqualWeightSizer().size(at({ activeSymbols: () => ['AAA', 'BBB', 'CCC'] }))).toBe(666);
  });
  it('counts the symbol being sized when the list leaves it out: 2 others + this one → 666', () => {
    expect(new EqualWeightSizer().size(at({ activeSymbols: () => ['BBB', 'CCC'] }))).toBe(666);
  });
  it('alone (or when the caller does not say) the symbol gets all of equity: 2000', () => {
    expect(new EqualWeightSizer().size(at())).toBe(2000);
    expect(new EqualWeightSizer().size(at({ activeSymbols: () => [] }))).toBe(2000);
  });
  it('slots floor the divisor: equal:5 with 3 active → 100 000 / 5 / 50 = 400; 6 active → 333', () => {
    expect(new EqualWeightSizer(5).size(at({ activeSymbols: () => ['AAA', 'BBB', 'CCC'] }))).toBe(400);
    expect(new EqualWeightSizer(5).size(at({ activeSymbols: () => ['AAA', 'B', 'C', 'D', 'E', 'F'] }))).toBe(333);
  });
  it('is capped at buying power: all of equity with 20 000 cash → 400', () => {
    expect(new EqualWeightSizer().size(at({ cash: 20_000, leverage: 1 }))).toBe(400);
  });
});
