// Sorting a list endpoint's rows across every page (`?sort=&dir=`), before the page is cut: the dashboard's
// tables sort on the server so page 2 continues page 1's order.

export type SortDir = 'asc' | 'desc';

/**
 * Rows ordered by one field: numbers numerically, anything else as text; null and undefined last in either
 * direction (an order without a limit price is not "cheaper" than one with); ties keep the input order.
 */
export function sortList<T, K extends keyof T>(rows: readonly T[], key: K, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const x = a.row[key];
      const y = b.row[key];
      const xMissing = x === null || x === undefined;
      const yMissing = y === null || y === undefined;
      if (xMissing || yMissing) return xMissing === yMissing ? a.i - b.i : xMissing ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((e) => e.row);
}
