// Merging an import into a stored series: the import wins where both have a bar at the same instant, and
// only bars that are new or differ count as written (an identical re-import writes nothing).

import { Pi5Error } from '../../core/errors.js';
import { allocateSeries, truncateSeries, type BarSeries } from '../../model/barSeries.js';

const COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

function reject(s: BarSeries, t: number, why: string): Pi5Error {
  // PI5_ERR_DB as the bars table's constraints report it: the same import fails the same way on every engine.
  return new Pi5Error('PI5_ERR_DB', `bar catalog, ${s.symbol} ${s.timeframe}: the bar at ${new Date(t).toISOString()} ${why}`, { symbol: s.symbol, timeframe: s.timeframe });
}

/** The bars table's constraints: volume ≥ 0 and high ≥ low (finite values are checked before). */
function check(s: BarSeries): void {
  for (let i = 0; i < s.length; i++) {
    if ((s.volume[i] as number) < 0) throw reject(s, s.ts[i] as number, `has volume ${s.volume[i]} (must be ≥ 0)`);
    if ((s.high[i] as number) < (s.low[i] as number)) throw reject(s, s.ts[i] as number, `has high ${s.high[i]} below low ${s.low[i]}`);
  }
}

/** `s` checked and in strictly increasing ts order; two bars at one instant reject the series (as the primary key does). */
export function normalizeSeries(s: BarSeries): BarSeries {
  check(s);
  let ordered = true;
  for (let i = 1; i < s.length && ordered; i++) ordered = (s.ts[i] as number) > (s.ts[i - 1] as number);
  if (ordered) return s;
  // Sorting is stable on the index, so equal instants end up side by side and are caught below.
  const order = Array.from({ length: s.length }, (_, i) => i).sort((a, b) => (s.ts[a] as number) - (s.ts[b] as number) || a - b);
  const out = allocateSeries(s.symbol, s.timeframe, s.length, s.priceDecimals);
  let n = 0;
  for (const i of order) {
    const t = s.ts[i] as number;
    if (n > 0 && out.ts[n - 1] === t) throw reject(s, t, 'appears twice in the import');
    out.ts[n] = t;
    for (const c of COLUMNS) out[c][n] = s[c][i] as number;
    n++;
  }
  return truncateSeries(out, n);
}

function differs(a: BarSeries, i: number, b: BarSeries, j: number): boolean {
  for (const c of COLUMNS) if (a[c][i] !== b[c][j]) return true;
  return false;
}

/** `stored` with `incoming` (both normalized) merged in, and how many rows were inserted or changed. */
export function mergeSeries(stored: BarSeries, incoming: BarSeries, priceDecimals: number): { series: BarSeries; written: number } {
  const out = allocateSeries(incoming.symbol, incoming.timeframe, stored.length + incoming.length, priceDecimals);
  let i = 0;
  let j = 0;
  let n = 0;
  let written = 0;
  const take = (from: BarSeries, k: number): void => {
    out.ts[n] = from.ts[k] as number;
    for (const c of COLUMNS) out[c][n] = from[c][k] as number;
    n++;
  };
  while (i < stored.length || j < incoming.length) {
    const ts = i < stored.length ? (stored.ts[i] as number) : Infinity;
    const ti = j < incoming.length ? (incoming.ts[j] as number) : Infinity;
    if (ts < ti) take(stored, i++);
    else {
      if (ts === ti) {
        if (differs(stored, i, incoming, j)) written++;
        i++;
      } else written++;
      take(incoming, j++);
    }
  }
  return { series: n === out.length ? out : truncateSeries(out, n), written };
}
