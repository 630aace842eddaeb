// Calendar-month returns (UTC): compounded from the last equity before each month to its last equity.

import { describe, expect, it } from 'vitest';
import { monthlyReturns } from '../../../src/backtest/metrics.js';
import { isPi5Error } from '../../../src/core/errors.js';

describe('monthlyReturns', () => {
  // E_0 = 100 before the first bar, then one equity per bar time.
  const times = Float64Array.of(
    Date.UTC(2024, 0, 15), // E_1 = 110
    Date.UTC(2024, 0, 31, 23, 59), // E_2 = 121
    Date.UTC(2024, 1, 1), // E_3 = 108.9
    Date.UTC(2024, 1, 29), // E_4 = 96.8 (leap day)
    Date.UTC(2024, 3, 2), // E_5 = 121 (no bars in March)
    Date.UTC(2024, 11, 31, 23, 59, 59, 999), // E_6 = 121
    Date.UTC(2025, 0, 1), // E_7 = 133.1
  );
  const equity = Float64Array.of(100, 110, 121, 108.9, 96.8, 121, 121, 133.1);

  it('compounds each month from the equity before it, starting from E_0', () => {
    const rows = monthlyReturns(times, equity);
    expect(rows.map((r) => [r.year, r.month])).toEqual([
      [2024, 1],
      [2024, 2],
      [2024, 4],
      [2024, 12],
      [2025, 1],
    ]);
    // Jan: 121 / 100 − 1; Feb: 96.8 / 121 − 1; Apr: 121 / 96.8 − 1 (March's bars-free gap lands here);
    // Dec: 121 / 121 − 1; Jan 2025: 133.1 / 121 − 1.
    const expected = [0.21, -0.2, 0.25, 0, 0.1];
    rows.forEach((row, i) => expect(row.return).toBeCloseTo(expected[i]!, 14));
  });

  it('has no rows without bars', () => {
    expect(monthlyReturns(new Float64Array(0), Float64Array.of(100))).toEqual([]);
  });

  it('rejects equity that is not one longer than times', () => {
    let code: string | undefined;
    try {
      monthlyReturns(times, equity.subarray(1));
    } catch (e) {
      code = isPi5Error(e) ? e.code : 'other';
    }
    expect(code).toBe('PI5_ERR_INTERNAL');
  });
});
