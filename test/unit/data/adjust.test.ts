// Back-adjustment by hand: a 2:1 split halves earlier prices and doubles their volume, a dividend of D on a
// close of C scales earlier prices by 1 − D/C, and both compose; later bars keep their traded prices.

import { describe, expect, it } from 'vitest';
import { adjustSeries } from '../../../src/data/adjust.js';
import type { CorporateAction } from '../../../src/data/providers/types.js';
import { allocateSeries, type BarSeries } from '../../../src/model/barSeries.js';

const DAY = 86_400_000;
const d = (n: number): number => Date.UTC(2024, 0, 1) + n * DAY;

/** Four daily bars (days 1–4) with open = close − 1, high = close + 1, low = close − 2. */
function raw(closes: readonly number[], volumes: readonly number[]): BarSeries {
  const s = allocateSeries('ACME', '1d', closes.length, 2);
  closes.forEach((c, i) => {
    s.ts[i] = d(i + 1);
    s.open[i] = c - 1;
    s.high[i] = c + 1;
    s.low[i] = c - 2;
    s.close[i] = c;
    s.volume[i] = volumes[i] as number;
  });
  return s;
}

const cols = (s: BarSeries): Record<string, number[]> => ({
  open: Array.from(s.open),
  high: Array.from(s.high),
  low: Array.from(s.low),
  close: Array.from(s.close),
  volume: Array.from(s.volume),
});

const split = (day: number, numerator: number, denominator: number): CorporateAction => ({ kind: 'split', symbol: 'ACME', ts: d(day), numerator, denominator });
const dividend = (day: number, amount: number): CorporateAction => ({ kind: 'dividend', symbol: 'ACME', ts: d(day), amount, currency: 'USD' });

describe('adjustSeries', () => {
  it('divides prices before a 2:1 split by 2 and multiplies their volume by 2', () => {
    // Traded 100, 102 before the split (ex day 3), 51, 52 after.
    const s = raw([100, 102, 51, 52], [1000, 1200, 2600, 2400]);
    const a = adjustSeries(s, [split(3, 2, 1)]);
    expect(cols(a)).toEqual({
      open: [49.5, 50.5, 50, 51],
      high: [50.5, 51.5, 52, 53],
      low: [49, 50, 49, 50],
      close: [50, 51, 51, 52],
      volume: [2000, 2400, 2600, 2400],
    });
    expect(Array.from(a.ts)).toEqual([d(1), d(2), d(3), d(4)]);
    // The input is left as traded.
    expect(s.close[0]).toBe(100);
  });

  it('scales prices before a dividend by 1 − D / close before ex, volume unchanged', () => {
    // Dividend 2.00 going ex day 3; the close before ex (day 2) is 100 → factor 0.98.
    const s = raw([95, 100, 98, 99], [10, 20, 30, 40]);
    const a = adjustSeries(s, [dividend(3, 2)]);
    expect(cols(a)).toEqual({
      open: [92.12, 97.02, 97, 98],
      high: [94.08, 98.98, 99, 100],
      low: [91.14, 96.04, 96, 97],
      close: [93.1, 98, 98, 99],
      volume: [10, 20, 30, 40],
    });
  });

  it('composes a split and a later dividend: the dividend factor uses the raw close before its ex-date', () => {
    // 2:1 split ex day 2; dividend 0.50 ex day 4, close before it (day 3) 50 → factor 0.99.
    const s = raw([100, 49, 50, 51], [100, 300, 300, 300]);
    const a = adjustSeries(s, [dividend(4, 0.5), split(2, 2, 1)]);
    // day 1: 100 / 2 × 0.99 = 49.5; days 2–3: × 0.99; day 4 as traded.
    expect(Array.from(a.close)).toEqual([49.5, 48.51, 49.5, 51]);
    expect(Array.from(a.open)).toEqual([49.005, 47.52, 48.51, 50]);
    expect(Array.from(a.volume)).toEqual([200, 300, 300, 300]);
  });

  it('applies splits only when dividends are turned off, and ignores other symbols and actions before the first bar', () => {
    const s = raw([100, 102, 51, 52], [1000, 1200, 2600, 2400]);
    const other: CorporateAction = { kind: 'split', symbol: 'OTHER', ts: d(3), numerator: 10, denominator: 1 };
    const a = adjustSeries(s, [split(3, 2, 1), dividend(4, 1), dividend(0, 5), other], { dividends: false });
    expect(Array.from(a.close)).toEqual([50, 51, 51, 52]);
    const b = adjustSeries(s, [dividend(0, 5)]);
    expect(Array.from(b.close)).toEqual([100, 102, 51, 52]);
  });

  it('refuses a dividend that is not below the close before it (PI5_ERR_BAD_BAR)', () => {
    const s = raw([100, 102, 51, 52], [1, 1, 1, 1]);
    expect(() => adjustSeries(s, [dividend(3, 150)])).toThrow(expect.objectContaining({ code: 'PI5_ERR_BAD_BAR', message: expect.stringMatching(/dividend of 150 going ex 2024-01-04 is not below the close 102/) }));
  });
});
