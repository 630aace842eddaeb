// Table state shared by the lists: which column sorts (the server sorts, across pages), paging, and CSV export.
// Pure, unit-tested.

export type Dir = 'asc' | 'desc';

export interface SortState {
  readonly key: string;
  readonly dir: Dir;
}

/** Clicking a column: the same column flips its direction, another column sorts ascending. */
export function nextSort(cur: SortState | null, key: string): SortState {
  return cur?.key === key ? { key, dir: cur.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' };
}

export interface PageInfo {
  readonly from: number;
  readonly to: number;
  readonly total: number;
  readonly hasPrev: boolean;
  readonly hasNext: boolean;
}

export function pageInfo(offset: number, limit: number, shown: number, total: number): PageInfo {
  return { from: shown === 0 ? 0 : offset + 1, to: offset + shown, total, hasPrev: offset > 0, hasNext: offset + shown < total };
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? String(v) : String(v);
  // Quote what would break a row; a leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) && typeof v !== 'number' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV with a header row; `columns` maps header → field. */
export function toCsv<T>(rows: readonly T[], columns: readonly (readonly [string, (row: T) => unknown])[]): string {
  const lines = [columns.map(([h]) => cell(h)).join(',')];
  for (const r of rows) lines.push(columns.map(([, f]) => cell(f(r))).join(','));
  return lines.join('\r\n') + '\r\n';
}
