// Positions, cash and P&L from fills: long and short, adds, partial closes (one ClosedTrade per exit with a
// pro-rata share of the entry commission), full closes and reversals, all exact in price units.

import { describe, expect, it } from 'vitest';
import { Portfolio } from '../../../src/portfolio/portfolio.js';
import { T0, day, makeFill } from '../engine/fixtures.js';

const PU = 100_000_000n;

describe('Portfolio: long positions', () => {
  it('opening books cash, quantity and average price; commission comes out of cash', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('buy', 100, 50, { commission: 1 }), 0);
    // 100 000 − 100 × 50 − 1 = 94 999.
    expect(p.cash()).toBe(94_999);
    expect(p.cashExactPu()).toBe(94_999n * PU);
    expect(p.quantity('AAA')).toBe(100);
    expect(p.view('AAA')).toEqual({ symbol: 'AAA', quantity: 100, avgPrice: 50, realizedPnl: 0, unrealizedPnl: 0, lastPrice: 50 });
    // Marked at the fill price until the next mark: 94 999 + 5000.
    expect(p.equity()).toBe(99_999);
  });

  it('marking moves equity and unrealized P&L, not cash', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('buy', 100, 50), 0);
    p.mark('AAA', 52);
    // 95 000 + 100 × 52 = 100 200; unrealized 100 × (52 − 50) = 200.
    expect(p.equity()).toBe(100_200);
    expect(p.view('AAA').unrealizedPnl).toBe(200);
    expect(p.cash()).toBe(95_000);
  });

  it('adding averages the price: (100 × 50 + 50 × 56) / 150 = 52', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('buy', 100, 50), 0);
    p.applyFill(makeFill('buy', 50, 56), 1);
    expect(p.view('AAA')).toMatchObject({ quantity: 150, avgPrice: 52 });
    expect(p.trades).toHaveLength(0);
  });

  it('each partial exit is one ClosedTrade carrying its pro-rata entry commission', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('buy', 100, 50, { commission: 1, ts: day(0) }), 0);
    p.applyFill(makeFill('sell', 30, 55, { commission: 1, ts: day(2) }), 2);
    // 30 of 100: entry commission 1 × 30/100 = 0.30, exit 1 → pnl = 30 × 5 − 1.30 = 148.70.
    expect(p.trades).toEqual([
      {
        symbol: 'AAA',
        side: 'long',
        quantity: 30,
        entryTime: day(0),
        entryPrice: 50,
        exitTime: day(2),
        exitPrice: 55,
        pnl: 148.7,
        commission: 1.3,
        slippage: 0,
        entryBar: 0,
        exitBar: 2,
      },
    ]);
    expect(p.view('AAA')).toMatchObject({ quantity: 70, avgPrice: 50, realizedPnl: 148.7 });
    p.applyFill(makeFill('sell', 70, 60, { commission: 1, ts: day(4) }), 4);
    // 70 × 10 − 0.70 − 1 = 698.30; total 847 = 30 × 55 + 70 × 60 − 5000 − 3.
    expect(p.trades[1]).toMatchObject({ quantity: 70, pnl: 698.3, commission: 1.7, entryBar: 0, exitBar: 4 });
    expect(p.view('AAA')).toMatchObject({ quantity: 0, realizedPnl: 847 });
    expect(p.cashExactPu()).toBe(100_847n * PU);
    expect(p.hasOpenPositions()).toBe(false);
  });

  it('a full close after adds uses the average cost', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('buy', 100, 50), 0);
    p.applyFill(makeFill('buy', 50, 56), 1);
    p.applyFill(makeFill('sell', 150, 53), 2);
    // 150 × 53 − 7800 = 150.
    expect(p.trades.map((t) => [t.quantity, t.entryPrice, t.pnl])).toEqual([[150, 52, 150]]);
  });
});

describe('Portfolio: short positions', () => {
  it('selling short adds the proceeds to cash and marks the liability', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('sell', 100, 50), 0);
    expect(p.cash()).toBe(105_000);
    expect(p.view('AAA')).toMatchObject({ quantity: -100, avgPrice: 50 });
    p.mark('AAA', 45);
    // 105 000 − 100 × 45 = 100 500; unrealized (50 − 45) × 100 = 500.
    expect(p.equity()).toBe(100_500);
    expect(p.view('AAA').unrealizedPnl).toBe(500);
    expect(p.grossExposure()).toBe(4500);
  });

  it('covering books a short trade', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('sell', 100, 50, { commission: 2 }), 0);
    p.applyFill(makeFill('buy', 100, 45, { commission: 2 }), 3);
    // (50 − 45) × 100 − 4 = 496.
    expect(p.trades.map((t) => [t.side, t.quantity, t.entryPrice, t.exitPrice, t.pnl, t.commission])).toEqual([['short', 100, 50, 45, 496, 4]]);
    expect(p.cash()).toBe(100_496);
  });

  it('a partial cover keeps the short open at the same average', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('sell', 100, 50), 0);
    p.applyFill(makeFill('buy', 40, 52), 1);
    // 40 × (50 − 52) = −80.
    expect(p.trades.map((t) => [t.side, t.quantity, t.pnl])).toEqual([['short', 40, -80]]);
    expect(p.view('AAA')).toMatchObject({ quantity: -60, avgPrice: 50 });
  });
});

describe('Portfolio: reversals', () => {
  it('one fill through zero closes the long and opens a short with the rest', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('buy', 100, 50, { ts: day(0) }), 0);
    p.applyFill(makeFill('sell', 150, 60, { commission: 3, ts: day(1) }), 1);
    // Closing 100 of 150 carries 3 × 100/150 = 2 of the commission: pnl = 100 × 10 − 2 = 998.
    expect(p.trades.map((t) => [t.side, t.quantity, t.pnl, t.commission])).toEqual([['long', 100, 998, 2]]);
    expect(p.view('AAA')).toMatchObject({ quantity: -50, avgPrice: 60 });
    p.mark('AAA', 62);
    // Short 50 from 60 marked at 62: (60 − 62) × 50 = −100.
    expect(p.openPositionReports()).toEqual([
      { symbol: 'AAA', side: 'short', quantity: 50, entryTime: day(1), avgPrice: 60, lastPrice: 62, unrealizedPnl: -100 },
    ]);
    p.applyFill(makeFill('buy', 50, 55, { ts: day(2) }), 2);
    // The short carries the other 1 of commission: 50 × 5 − 1 = 249.
    expect(p.trades[1]).toMatchObject({ side: 'short', quantity: 50, entryTime: day(1), entryBar: 1, exitBar: 2, pnl: 249, commission: 1 });
  });

  it('one fill through zero closes a short and opens a long', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('sell', 10, 20), 0);
    p.applyFill(makeFill('buy', 25, 18), 1);
    expect(p.trades.map((t) => [t.side, t.quantity, t.pnl])).toEqual([['short', 10, 20]]);
    expect(p.view('AAA')).toMatchObject({ quantity: 15, avgPrice: 18 });
  });
});

describe('Portfolio: exact money', () => {
  it('realized P&L is exact in pu where float arithmetic is not', () => {
    const p = new Portfolio(1000);
    for (let i = 0; i < 3; i++) p.applyFill(makeFill('buy', 3, 0.1), i);
    p.applyFill(makeFill('sell', 9, 0.3), 3);
    // 9 × 0.3 − 9 × 0.1 = 1.8 exactly (0.3 × 9 − 0.1 × 9 in floats is 1.7999999999999998).
    expect(p.view('AAA').realizedPnl).toBe(1.8);
    expect(p.trades[0]?.pnl).toBe(1.8);
    expect(p.cashExactPu()).toBe(1000n * PU + 180_000_000n);
  });

  it('pro-rata commission shares round half to even and always add up to the whole', () => {
    const p = new Portfolio(1000);
    // An entry commission of 1 pu over 3 shares, closed one share at a time:
    // share 1: round(1 × 1/3) = 0; share 2: round(1 × 1/2) = 0 (tie → even); share 3: the last 1 pu.
    p.applyFill({ ...makeFill('buy', 3, 10), commissionPu: 1 }, 0);
    for (let i = 1; i <= 3; i++) p.applyFill(makeFill('sell', 1, 10), i);
    expect(p.trades.map((t) => t.commission)).toEqual([0, 0, 1e-8]);
  });

  it('starting cash is kept to the cent', () => {
    expect(new Portfolio(1234.565).cashExactPu()).toBe(123_457n * 1_000_000n);
    expect(new Portfolio(100_000).cash()).toBe(100_000);
  });

  it('totals sum commissions, slippage and traded notional over all fills', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('buy', 100, 50, { commission: 1, slippage: 0.5 }), 0);
    p.applyFill(makeFill('sell', 100, 51, { commission: 1.25, slippage: 0.75 }), 1);
    expect(p.totals()).toEqual({ commissions: 2.25, slippage: 1.25, tradedNotional: 10_100 });
    expect(p.trades[0]).toMatchObject({ commission: 2.25, slippage: 1.25, pnl: 97.75 });
  });
});

describe('Portfolio: many trades', () => {
  it('keeps every closed trade, in exit order, through hundreds of round trips', () => {
    const p = new Portfolio(1_000_000);
    for (let i = 0; i < 700; i++) {
      const symbol = i % 2 ? 'BBB' : 'AAA';
      p.applyFill(makeFill('buy', i + 1, 10, { symbol, ts: day(2 * i) }), 2 * i);
      p.applyFill(makeFill('sell', i + 1, 10.5, { symbol, ts: day(2 * i + 1) }), 2 * i + 1);
    }
    const trades = p.trades;
    expect(trades).toHaveLength(700);
    // Trade i: (i + 1) shares, +0.50 each.
    trades.forEach((t, i) => {
      expect([t.symbol, t.quantity, t.pnl, t.entryBar, t.exitBar, t.exitTime]).toEqual([i % 2 ? 'BBB' : 'AAA', i + 1, (i + 1) * 0.5, 2 * i, 2 * i + 1, day(2 * i + 1)]);
    });
    // Σ (i + 1) × 0.5 for i < 700 = 0.5 × 700 × 701 / 2 = 122 675.
    expect(p.cashExactPu()).toBe((1_000_000n + 122_675n) * PU);
  });
});

describe('Portfolio: several symbols', () => {
  it('marks reach the right position whatever the order of marks and fills', () => {
    const p = new Portfolio(100_000);
    p.mark('CCC', 5); // no position yet
    p.applyFill(makeFill('buy', 10, 10, { symbol: 'AAA' }), 0);
    p.applyFill(makeFill('sell', 5, 20, { symbol: 'BBB' }), 0);
    p.applyFill(makeFill('buy', 1, 6, { symbol: 'CCC' }), 0);
    p.mark('CCC', 7);
    p.mark('AAA', 11);
    p.mark('BBB', 19);
    p.mark('AAA', 12);
    expect(['AAA', 'BBB', 'CCC'].map((s) => p.lastPrice(s))).toEqual([12, 19, 7]);
    // cash 100 000 − 100 + 100 − 6 = 99 994; + 10 × 12 − 5 × 19 + 1 × 7 = 99 994 + 120 − 95 + 7.
    expect(p.equity()).toBe(100_026);
    expect(p.grossExposure()).toBe(120 + 95 + 7);
    expect(p.lastPrice('ZZZ')).toBeNaN();
    expect(p.view('ZZZ')).toMatchObject({ quantity: 0, avgPrice: 0 });
  });

  it('a position closed and reopened starts a new trade with the new entry time', () => {
    const p = new Portfolio(100_000);
    p.applyFill(makeFill('buy', 10, 10, { ts: T0 }), 0);
    p.applyFill(makeFill('sell', 10, 11, { ts: day(1) }), 1);
    p.applyFill(makeFill('buy', 10, 12, { ts: day(2) }), 2);
    p.applyFill(makeFill('sell', 10, 13, { ts: day(3) }), 3);
    expect(p.trades.map((t) => [t.entryTime, t.exitTime, t.entryBar, t.pnl])).toEqual([
      [T0, day(1), 0, 10],
      [day(2), day(3), 2, 10],
    ]);
  });
});

describe('Portfolio: amounts beyond 2^53 pu', () => {
  // Amounts are doubles while safe and bigints beyond (model/puAmount.ts): an account of 10^9 (10^17 pu) books
  // the same fills as one of 10^4 to the same trades, and its exact cash differs by exactly the starting gap.
  it('books the same trades and exact cash in either form, and across the boundary', () => {
    const fills = [
      makeFill('buy', 300, 41.37, { commission: 1.23, slippage: 0.07 }),
      makeFill('sell', 100, 43.11, { commission: 0.71 }),
      makeFill('sell', 350, 39.99, { commission: 2.02, slippage: 0.03 }), // closes 200, opens a 150 short
      makeFill('buy', 150, 38.5),
    ];
    const small = new Portfolio(10_000);
    const big = new Portfolio(1_000_000_000);
    fills.forEach((f, i) => {
      small.applyFill(f, i);
      big.applyFill(f, i);
    });
    expect(big.trades).toEqual(small.trades);
    expect(big.trades).toHaveLength(3);
    expect(big.cashExactPu() - small.cashExactPu()).toBe((1_000_000_000n - 10_000n) * PU);
    expect(big.totals()).toEqual(small.totals());
    // A position whose cost alone is beyond 2^53 pu (10^6 × 10^5 = 10^11 currency), opened and closed in parts.
    const huge = new Portfolio(0);
    huge.applyFill(makeFill('buy', 1_000_000, 100_000.12345678), 0);
    huge.applyFill(makeFill('sell', 400_000, 100_001), 1);
    huge.applyFill(makeFill('sell', 600_000, 99_999.5), 2);
    expect(huge.cashExactPu()).toBe(400_000n * 100_001n * PU + 600_000n * 9_999_950_000_000n - 1_000_000n * 10_000_012_345_678n);
    // 400 000 × 0.87654322 and 600 000 × −0.62345678, exactly.
    expect(huge.trades.map((t) => t.pnl)).toEqual([350_617.288, -374_074.068]);
  });
});
