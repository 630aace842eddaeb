// Calendar-month returns (UTC) of the equity curve, for the report's monthly table.

import type { MonthlyReturn } from '../types.js';
import { checkEquityShape } from './validate.js';

/**
 * One row per UTC calendar month that has at least one bar, in time order: the compounded return from
 * the last equity before the month (E_0 for the first month) to the month's last equity. Months
 * without bars get no row; their change, if any, lands in the next month that has bars.
 * `times` (non-decreasing) are the times of E_1..E_N.
 */
export function monthlyReturns(times: Float64Array, equity: Float64Array): MonthlyReturn[] {
  checkEquityShape(times, equity);
  const n = times.length;
  const rows: MonthlyReturn[] = [];
  let base = equity[0] as number;
  let i = 0;
  while (i < n) {
    const start = new Date(times[i] as number);
    const year = start.getUTCFullYear();
    const month = start.getUTCMonth();
    // One Date per month, not per bar: a million-bar intraday run has only a few hundred months.
    const nextMonthMs = Date.UTC(year, month + 1, 1);
    let last = i;
    while (last + 1 < n && (times[last + 1] as number) < nextMonthMs) last++;
    const end = equity[last + 1] as number;
    rows.push({ year, month: month + 1, return: (end - base) / base });
    base = end;
    i = last + 1;
  }
  return rows;
}
