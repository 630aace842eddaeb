// Sizers through a whole backtest (runBacktest): the strategy host hands them the symbol's bars and the
// active symbols, so volatility targeting buys less of a wilder series and equal:2 splits the account.

import { describe, expect, it } from 'vitest';
import type { BarSeries } from '../../../src/model/barSeries.js';
import { runScript, series, type Row } from '../engine/fixtures.js';

/** 40 daily bars alternating between two closes, each bar `halfRange` either side of its close. */
function alternating(symbol: string, a: number, b: number, halfRange: number): BarSeries {
  const rows: Row[] = Array.from({ length: 40 }, (_, i) => {
    const c = i % 2 === 0 ? a : b;
    return [c, c + halfRange, c - halfRange, c];
  });
  return series(rows, { symbol });
}

const CALM = alternating('AAA', 100, 101, 0.5);
const WILD = alternating('AAA', 100, 110, 5);

/** Quantity held after one BUY signal on bar 30 (close 100, equity 100 000). */
function boughtWith(data: BarSeries, size: string): number {
  const run = runScript([data], { 30: (ctx) => void ctx.signal('AAA', 'BUY') }, { cash: 100_000, size });
  expect(run.result.rejections).toEqual([]);
  return run.result.openPositions.find((p) => p.symbol === 'AAA')?.quantity ?? 0;
}

describe('sizing in a backtest', () => {
  it('vol:15%:stdev:20 buys about a tenth as much of a series ten times as volatile', () => {
    // Calm: returns +1% and −0.990%, sample sd of 20 = 0.010209, × √252 = 0.16206 → 15 000 / 0.16206 / 100 = 925.6.
    // Wild: returns +10% and −9.09%, sd 0.097934, × √252 = 1.55466 → 15 000 / 1.55466 / 100 = 96.5.
    expect(boughtWith(CALM, 'vol:15%:stdev:20')).toBe(925);
    expect(boughtWith(WILD, 'vol:15%:stdev:20')).toBe(96);
  });

  it('vol:15%:atr:20 does the same from the true range', () => {
    // Calm: true ranges 1.5 (gap plus half range), the window's first 1 → ATR 29.5 / 20 = 1.475 on 100,
    // σ = 0.01475 × √252 = 0.23415 → 640.6. Wild: ATR (10 + 19 × 15) / 20 = 14.75 → σ = 2.3415 → 64.06.
    expect(boughtWith(CALM, 'vol:15%:atr:20')).toBe(640);
    expect(boughtWith(WILD, 'vol:15%:atr:20')).toBe(64);
  });

  it('vol targeting sizes nothing before the lookback is covered', () => {
    const run = runScript([CALM], { 10: (ctx) => void ctx.signal('AAA', 'BUY') }, { cash: 100_000, size: 'vol:15%:stdev:20' });
    expect(run.result.openPositions).toEqual([]);
    expect(run.result.orders ?? []).toEqual([]);
  });

  it('equal:2 gives each of two same-bar entries half the account: 50 000 / 100 = 500 each', () => {
    const bbb = alternating('BBB', 100, 110, 5);
    const run = runScript(
      [CALM, bbb],
      {
        30: (ctx) => {
          ctx.signal('AAA', 'BUY');
          ctx.signal('BBB', 'BUY');
        },
      },
      { cash: 100_000, size: 'equal:2' },
      { afterAllBars: true },
    );
    expect(run.result.rejections).toEqual([]);
    expect(run.result.openPositions.map((p) => [p.symbol, p.quantity])).toEqual([
      ['AAA', 500],
      ['BBB', 500],
    ]);
  });

  it('equal counts what the strategy already holds: BBB entering beside held AAA gets half of equity', () => {
    // AAA: 200 bought at bar 31's open 101, marked at bar 32's close 100 → equity 100 000 − 200 = 99 800.
    // BBB at bar 32: 2 active symbols → 99 800 / 2 / 100 = 499.
    const bbb = alternating('BBB', 100, 110, 5);
    const run = runScript(
      [CALM, bbb],
      { 30: (ctx) => void ctx.buy('AAA', 200), 32: (ctx) => void ctx.signal('BBB', 'BUY') },
      { cash: 100_000, size: 'equal' },
      { afterAllBars: true },
    );
    expect(run.result.openPositions.map((p) => [p.symbol, p.quantity])).toEqual([
      ['AAA', 200],
      ['BBB', 499],
    ]);
  });
});
