// Tick CSV parsing: times to the microsecond in every accepted form, optional columns, and errors that name
// the file, line and field.

import { describe, expect, it } from 'vitest';
import { parseTickTime, parseTicksCsv } from '../../../../src/data/csv/readTicksCsv.js';

const US = Date.UTC(2024, 0, 2, 14, 30) * 1000;

describe('tick times', () => {
  it('keeps microseconds from ISO times (offsets applied, ns truncated) and epoch numbers of any unit', () => {
    expect(parseTickTime('2024-01-02T14:30:00Z')).toBe(US);
    expect(parseTickTime('2024-01-02 14:30:00.000001')).toBe(US + 1);
    expect(parseTickTime('2024-01-02T09:30:00.123456789-05:00')).toBe(US + 123_456);
    expect(parseTickTime('1704205800')).toBe(US);
    expect(parseTickTime('1704205800.5')).toBe(US + 500_000);
    expect(parseTickTime('1704205800123')).toBe(US + 123_000);
    expect(parseTickTime('1704205800123456')).toBe(US + 123_456);
    expect(parseTickTime('1704205800123456789')).toBe(US + 123_456);
    for (const bad of ['2024-02-30T00:00:00Z', 'yesterday', '', '-5']) expect(parseTickTime(bad), bad).toBeNull();
  });
});

describe('tick CSV', () => {
  it('reads required and optional columns, price decimals, and skips rows of other symbols', () => {
    const t = parseTicksCsv('Timestamp,Ticker,Last,Qty,Bid,Ask,Venue\n2024-01-02T14:30:00Z,ABC,1.2345,10,1.23,1.24,XNAS\n2024-01-02T14:30:01Z,XYZ,9,1,,,\n2024-01-02T14:30:02Z,abc,1.5,0,,,\n', 'a.csv', 'ABC');
    expect(t.length).toBe(2);
    expect(t.otherSymbolRows).toBe(1);
    expect(t.priceDecimals).toBe(4);
    expect([...t.price]).toEqual([1.2345, 1.5]);
    expect([...t.bid]).toEqual([1.23, Number.NaN]);
    expect(t.exchange).toEqual(['XNAS', null]);
    expect(t.conditions).toEqual([null, null]);
  });

  it('names the file, line and field of a bad value, and a missing column', () => {
    expect(() => parseTicksCsv('time,price\n', 'b.csv', 'X')).toThrow(/b\.csv line 1: no size column/);
    expect(() => parseTicksCsv('time,price,size\n2024-01-02T14:30:00Z,1,-1\n', 'c.csv', 'X')).toThrow(/c\.csv line 2: size "-1" is negative/);
    expect(() => parseTicksCsv('time,price,size\n2024-13-02T14:30:00Z,1,1\n', 'd.csv', 'X')).toThrow(/d\.csv line 2: time/);
  });
});
