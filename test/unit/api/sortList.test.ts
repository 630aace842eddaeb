// sortList: the one sort behind `?sort=&dir=` of /orders and /trades (the dashboard's tables sort on the server).

import { describe, expect, it } from 'vitest';
import { sortList } from '../../../src/api/sortList.js';

describe('sortList', () => {
  const rows = [
    { s: 'b', n: 2, x: null },
    { s: 'a', n: 10, x: 1 },
    { s: 'c', n: 2, x: 3 },
  ];

  it('sorts numbers numerically (10 after 2), text by locale, ties in their input order', () => {
    expect(sortList(rows, 'n', 'asc').map((r) => r.s)).toEqual(['b', 'c', 'a']);
    expect(sortList(rows, 'n', 'desc').map((r) => r.s)).toEqual(['a', 'b', 'c']);
    expect(sortList(rows, 's', 'desc').map((r) => r.s)).toEqual(['c', 'b', 'a']);
  });

  it('puts missing values last in either direction', () => {
    expect(sortList(rows, 'x', 'asc').map((r) => r.s)).toEqual(['a', 'c', 'b']);
    expect(sortList(rows, 'x', 'desc').map((r) => r.s)).toEqual(['c', 'a', 'b']);
  });

  it('leaves its input alone', () => {
    const copy = rows.map((r) => ({ ...r }));
    sortList(rows, 's', 'asc');
    expect(rows).toEqual(copy);
  });
});
