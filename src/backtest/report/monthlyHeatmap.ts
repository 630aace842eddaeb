// Monthly returns as a years × months heat-map table with a compounded yearly total.

import type { MonthlyReturn } from '../types.js';
import { formatPercent, isFiniteNumber, monthName } from './format.js';

/** Colour saturates at this absolute monthly return, so one outlier month doesn't wash out the rest. */
const MIN_SCALE = 0.005;

/** Green for gains, red for losses; opacity grows with size relative to the table's largest month. */
function cellStyle(r: number, scale: number): string {
  if (!isFiniteNumber(r) || r === 0) return '';
  const strength = Math.min(1, Math.abs(r) / scale);
  const alpha = (0.1 + 0.55 * Math.sqrt(strength)).toFixed(2);
  const rgb = r > 0 ? '22,163,74' : '220,38,38';
  return ` style="background:rgba(${rgb},${alpha})"`;
}

function cell(r: number | undefined, scale: number, cls = ''): string {
  const classAttr = cls === '' ? '' : ` class="${cls}"`;
  if (r === undefined) return `<td${classAttr}></td>`;
  return `<td${classAttr}${cellStyle(r, scale)}>${formatPercent(r, 1)}</td>`;
}

/** Compounds the months present: (1 + r1)(1 + r2)… − 1. */
function yearTotal(months: ReadonlyMap<number, number>): number {
  let growth = 1;
  for (const r of months.values()) growth *= 1 + r;
  return growth - 1;
}

export function monthlyHeatmap(monthly: readonly MonthlyReturn[]): string {
  if (monthly.length === 0) return '<p class="note">No monthly returns (the run is shorter than a month or has no bars).</p>';
  const years = new Map<number, Map<number, number>>();
  let largest = MIN_SCALE;
  for (const m of monthly) {
    let row = years.get(m.year);
    if (row === undefined) years.set(m.year, (row = new Map()));
    row.set(m.month, m.return);
    if (isFiniteNumber(m.return)) largest = Math.max(largest, Math.abs(m.return));
  }
  const totals = new Map([...years].map(([y, row]) => [y, yearTotal(row)] as const));
  const largestYear = Math.max(MIN_SCALE, ...[...totals.values()].filter(isFiniteNumber).map(Math.abs));
  const header = `<thead><tr><th>Year</th>${Array.from({ length: 12 }, (_, i) => `<th>${monthName(i)}</th>`).join('')}<th>Year</th></tr></thead>`;
  const rows = [...years.keys()]
    .sort((a, b) => a - b)
    .map((y) => {
      const row = years.get(y) ?? new Map<number, number>();
      const cells = Array.from({ length: 12 }, (_, i) => cell(row.get(i + 1), largest)).join('');
      return `<tr><td>${y}</td>${cells}${cell(totals.get(y), largestYear, 'total')}</tr>`;
    })
    .join('');
  return `<div class="wide"><table class="heat">${header}<tbody>${rows}</tbody></table></div>`;
}
