import { describe, expect, it } from 'vitest';
import { parseBarsCsv } from '../../../../src/data/csv/index.js';
import { errorOf, utc } from './helpers.js';

const HEADER = 'Date,Open,High,Low,Close,Volume';
const GOOD = '2024-01-02,10.0,10.5,9.5,10.25,100';
/** A file whose line 3 is `row` (line 1 is the header, line 2 a good bar). */
const withLine3 = (row: string): string => `${HEADER}\n${GOOD}\n${row}\n2024-01-09,10,11,9,10,1\n`;
const parse = (text: string, skipNullRows?: boolean) =>
  parseBarsCsv(text, { source: 'NVDA.csv', ...(skipNullRows === undefined ? {} : { skipNullRows }) });

describe('parseBarsCsv validation', () => {
  it.each([
    ['2024-01-03,abc,10.5,9.5,10,100', 'open', 'abc', 'open "abc" is not a number'],
    ['2024-01-03,10,NaN,9.5,10,100', 'high', 'NaN', 'high "NaN" is not a number'],
    ['2024-01-03,10,10.5,9.5,,100', 'close', '', 'close is empty'],
    ['2024-01-03,10,10.5,-9.5,10,100', 'low', '-9.5', 'low -9.5 is negative'],
    ['2024-01-03,10,10.5,9.5,10,-5', 'volume', '-5', 'volume -5 is negative'],
    ['2024-01-03,10,10.5,9.5,10,', 'volume', '', 'volume is empty'],
    ['2024-01-03,10.0,10.5,9.5,11.0,100', 'high', '10.5', 'high 10.5 < close 11.0'],
    ['2024-01-03,12.0,10.5,9.5,10,100', 'high', '10.5', 'high 10.5 < open 12.0'],
    ['2024-01-03,10,10.5,10.75,10.5,100', 'high', '10.5', 'high 10.5 < low 10.75'],
    ['2024-01-03,10,10.5,10.2,10.4,100', 'low', '10.2', 'low 10.2 > open 10'],
    ['2024-01-03,10.4,10.5,10.2,10.1,100', 'low', '10.2', 'low 10.2 > close 10.1'],
    ['2024-13-03,10,10.5,9.5,10,100', 'date', '2024-13-03', 'date "2024-13-03" is not a date or time'],
    ['next tuesday,10,10.5,9.5,10,100', 'date', 'next tuesday', 'date "next tuesday" is not a date or time'],
  ])('rejects %s as a bad %s', (row, field, value, message) => {
    const e = errorOf(() => parse(withLine3(row)));
    expect(e.code).toBe('PI5_ERR_BAD_BAR');
    expect(e.message).toBe(`NVDA.csv line 3: ${message}`);
    expect(e.details).toEqual({ file: 'NVDA.csv', line: 3, field, value });
  });

  it('names both lines of a duplicate bar', () => {
    const e = errorOf(() => parse(withLine3('2024-01-02,10,10.5,9.5,10,100')));
    expect(e.code).toBe('PI5_ERR_BAD_BAR');
    expect(e.message).toBe('NVDA.csv line 3: duplicate bar: 2024-01-02T00:00:00.000Z repeats line 2');
    expect(e.details).toMatchObject({ line: 3, field: 'date', value: '2024-01-02', previousLine: 2 });
  });

  it('names both lines of a bar out of order', () => {
    const text = `${HEADER}\n${GOOD}\n2024-01-03,10,10.5,9.5,10,100\n\n2024-01-01,10,10.5,9.5,10,100\n`;
    const e = errorOf(() => parse(text));
    expect(e.message).toBe(
      'NVDA.csv line 5: not sorted: bar at 2024-01-01T00:00:00.000Z comes after line 3 at 2024-01-03T00:00:00.000Z',
    );
    expect(e.details).toMatchObject({ line: 5, previousLine: 3 });
  });

  it('rejects a newest-first file that turns back', () => {
    const text = `${HEADER}\n2024-01-05,10,11,9,10,1\n2024-01-04,10,11,9,10,1\n2024-01-06,10,11,9,10,1\n`;
    const e = errorOf(() => parse(text));
    expect(e.message).toContain('line 4: not sorted');
    expect(e.message).toContain('in a newest-first file');
  });

  it('rejects a row with the wrong column count as PI5_ERR_BAD_CSV', () => {
    const e = errorOf(() => parse(withLine3('2024-01-03,10,10.5,9.5,10')));
    expect(e.code).toBe('PI5_ERR_BAD_CSV');
    expect(e.message).toBe('NVDA.csv line 3: expected 6 columns (Date,Open,High,Low,Close,Volume), found 5');
    expect(e.details).toEqual({ file: 'NVDA.csv', line: 3, field: 'columns', value: 5 });
    expect(errorOf(() => parse(withLine3('2024-01-03,10,10.5,9.5,10,100,7'))).details).toMatchObject({ value: 7 });
  });

  it('rejects a quoted field left open', () => {
    const e = errorOf(() => parse(withLine3('2024-01-03,"10,10.5,9.5,10,100')));
    expect(e.code).toBe('PI5_ERR_BAD_CSV');
    expect(e.details).toMatchObject({ line: 3 });
  });

  it('counts physical lines through blank lines, CRLF endings and a BOM', () => {
    const text = `\uFEFF${HEADER}\r\n${GOOD}\r\n\r\n2024-01-03,1,1,2,1,1\r\n`;
    const e = errorOf(() => parse(text));
    expect(e.message).toBe('NVDA.csv line 4: high 1 < low 2');
  });

  it('accepts a BOM, CRLF endings and trailing blank lines', () => {
    const s = parse(`\uFEFF${HEADER}\r\n${GOOD}\r\n2024-01-03,10.25,10.5,10,10.5,7\r\n\r\n\r\n`);
    expect(s.length).toBe(2);
    expect([...s.ts]).toEqual([utc('2024-01-02T00:00:00Z'), utc('2024-01-03T00:00:00Z')]);
    expect(s.close[1]).toBe(10.5);
  });

  it('skips Yahoo all-null rows and counts them, unless told not to', () => {
    const text = `${HEADER}\n${GOOD}\n2024-01-03,null,null,null,null,null\n2024-01-04,10,11,9,10,1\n`;
    const s = parse(text);
    expect(s.length).toBe(2);
    expect(s.skippedRows).toBe(1);
    const e = errorOf(() => parse(text, false));
    expect(e.message).toBe('NVDA.csv line 3: open "null" is not a number');
  });

  it('rejects a row where only some prices are null', () => {
    const e = errorOf(() => parse(withLine3('2024-01-03,10,null,9,10,100')));
    expect(e.details).toMatchObject({ line: 3, field: 'high', value: 'null' });
  });

  it('names the time column of a Date + Time file', () => {
    const text = 'Date,Time,Open,High,Low,Close\n2006-01-02,09:05:00,1,1,1,1\n2006-01-02,9h10,1,1,1,1\n';
    const e = errorOf(() => parse(text));
    expect(e.message).toBe('NVDA.csv line 3: time "9h10" is not a time of day');
    expect(e.details).toMatchObject({ field: 'time', value: '9h10' });
  });

  it('records at most 8 price decimals and rounds longer prices to 8', () => {
    const s = parse(`${HEADER}\n2024-01-02,0.123456785,0.2,0.1,0.15,1\n`);
    expect(s.open[0]).toBe(0.12345679);
    expect(s.priceDecimals).toBe(8);
  });
});
