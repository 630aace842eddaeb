// Hand-checked trade statistics (METRICS.md, "Trades"): counts, sums, averages, SQN, holding time and
// streaks in exit order, with the no-trade, no-loser, single-trade and zero-P&L edge cases.

import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../src/backtest/metrics.js';
import type { ClosedTrade } from '../../../src/model/types.js';
import { metricsInput, trade } from './metrics.fixture.js';

const FLAT = [100, 100, 100];

function statsOf(trades: readonly ClosedTrade[]) {
  return computeMetrics(metricsInput(FLAT, { trades }));
}

describe('computeMetrics: trade statistics', () => {
  // P&L in exit order: +100, −50, 0, +200, +150, −30, −20, handed over out of order.
  // Holding times in days: 1, 2, 0.5, 3, 1, 4, 2.5 → total 14.
  const inExitOrder = [
    trade(100, 0, 1),
    trade(-50, 0, 2),
    trade(0, 2.5, 3),
    trade(200, 1, 4),
    trade(150, 4, 5),
    trade(-30, 2, 6),
    trade(-20, 4.5, 7),
  ];
  const shuffled = [3, 0, 6, 1, 5, 2, 4].map((i) => inExitOrder[i]!);
  const m = statsOf(shuffled);

  it('counts closed trades and the share with P&L > 0', () => {
    // Winners: +100, +200, +150 → 3 of 7; the zero-P&L trade is not a win.
    expect(m.tradeCount).toBe(7);
    expect(m.winRate).toBeCloseTo(3 / 7, 15);
  });

  it('sums gross profit (> 0) and gross loss (< 0, negative) and divides them for the profit factor', () => {
    // 100 + 200 + 150 = 450; −50 − 30 − 20 = −100; 450 / 100 = 4.5.
    expect(m.grossProfit).toBe(450);
    expect(m.grossLoss).toBe(-100);
    expect(m.profitFactor).toBe(4.5);
  });

  it('averages and extremes run over winners and over losers only', () => {
    // avgWin = 450 / 3 = 150; avgLoss = −100 / 3; largestWin 200; largestLoss −50 (the most negative).
    expect(m.avgWin).toBe(150);
    expect(m.avgLoss).toBeCloseTo(-100 / 3, 12);
    expect(m.largestWin).toBe(200);
    expect(m.largestLoss).toBe(-50);
  });

  it('expectancy is the mean P&L over all trades', () => {
    // (450 − 100) / 7 = 50.
    expect(m.expectancy).toBeCloseTo(50, 12);
  });

  it('sqn is √n × mean / sample stdev of P&L', () => {
    // Deviations from 50: 50, −100, −50, 150, 100, −80, −70; squares sum to 58 800; var = 58 800 / 6 = 9 800.
    // √7 × 50 / √9800 = 1.3363062…
    expect(m.sqn).toBeCloseTo(1.336306209562122, 12);
  });

  it('avgTradeDuration is the mean entry-to-exit time in fractional days', () => {
    expect(m.avgTradeDuration).toBeCloseTo(14 / 7, 12);
  });

  it('counts streaks in exit order, not in the order given, with a zero-P&L trade breaking both', () => {
    // Exit order: W L 0 W W L L → longest wins 2, longest losses 2.
    expect(m.maxConsecutiveWins).toBe(2);
    expect(m.maxConsecutiveLosses).toBe(2);
    // W 0 W L 0 L
    const pnls = [5, 0, 5, -5, 0, -5];
    const broken = statsOf(pnls.map((p, i) => trade(p, i, i + 1)));
    expect(broken.maxConsecutiveWins).toBe(1);
    expect(broken.maxConsecutiveLosses).toBe(1);
  });

  it('keeps the given order for trades that exit at the same time', () => {
    const sameExit = statsOf([trade(1, 0, 3), trade(-1, 1, 3), trade(1, 2, 3), trade(1, 0, 4)]);
    // W L W W → longest win streak 2 (the last two).
    expect(sameExit.maxConsecutiveWins).toBe(2);
    expect(sameExit.maxConsecutiveLosses).toBe(1);
  });
});

describe('computeMetrics: trade statistics edge cases', () => {
  it('reports zeros and nulls without trades', () => {
    expect(statsOf([])).toMatchObject({
      tradeCount: 0,
      winRate: 0,
      grossProfit: 0,
      grossLoss: 0,
      profitFactor: null,
      avgWin: 0,
      avgLoss: 0,
      largestWin: 0,
      largestLoss: 0,
      expectancy: 0,
      sqn: null,
      avgTradeDuration: 0,
      maxConsecutiveWins: 0,
      maxConsecutiveLosses: 0,
    });
  });

  it('has a null profit factor and zero loss figures without losers', () => {
    const m = statsOf([trade(10), trade(30), trade(0)]);
    expect(m.profitFactor).toBeNull();
    expect(m.grossLoss).toBe(0);
    expect(m.avgLoss).toBe(0);
    expect(m.largestLoss).toBe(0);
    expect(m.maxConsecutiveLosses).toBe(0);
    expect(m.avgWin).toBe(20);
  });

  it('has zero win figures without winners', () => {
    const m = statsOf([trade(-10), trade(-30)]);
    expect(m.winRate).toBe(0);
    expect(m.profitFactor).toBe(0);
    expect(m.avgWin).toBe(0);
    expect(m.largestWin).toBe(0);
    expect(m.largestLoss).toBe(-30);
    expect(m.avgLoss).toBe(-20);
  });

  it('has a null sqn for a single trade', () => {
    const m = statsOf([trade(42, 0, 0.25)]);
    expect(m.sqn).toBeNull();
    expect(m.expectancy).toBe(42);
    expect(m.avgTradeDuration).toBe(0.25);
    expect(m.maxConsecutiveWins).toBe(1);
  });

  it('has a null sqn when every trade made the same P&L (stdev 0)', () => {
    expect(statsOf([trade(5), trade(5), trade(5)]).sqn).toBeNull();
  });
});
