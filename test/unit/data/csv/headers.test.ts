import { describe, expect, it } from 'vitest';
import { parseBarsCsv, parseBarsCsvMulti } from '../../../../src/data/csv/index.js';
import { errorOf, utc } from './helpers.js';

const parse = (text: string, opts: { timeframe?: string; timeZone?: string; symbol?: string } = {}) =>
  parseBarsCsv(text, { source: 'TEST.csv', ...opts });

describe('parseBarsCsv headers', () => {
  it('reads Yahoo Date,Open,High,Low,Close,Adj Close,Volume and keeps Adj Close', () => {
    const s = parse('Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,10.5,11,10,10.75,10.6,1000\n2024-01-03,10.75,11.5,10.5,11.25,11.1,2000\n');
    expect(s.symbol).toBe('TEST');
    expect([...s.ts]).toEqual([utc('2024-01-02T00:00:00Z'), utc('2024-01-03T00:00:00Z')]);
    expect([...s.open]).toEqual([10.5, 10.75]);
    expect([...s.high]).toEqual([11, 11.5]);
    expect([...s.low]).toEqual([10, 10.5]);
    expect([...s.close]).toEqual([10.75, 11.25]);
    expect([...s.volume]).toEqual([1000, 2000]);
    expect([...(s.adjClose ?? [])]).toEqual([10.6, 11.1]);
    expect(s.priceDecimals).toBe(2);
    expect(s.timeframe).toBe('1d');
  });

  it('reads o/h/l/c/v with an epoch-seconds time column', () => {
    const s = parse('time,o,h,l,c,v\n1704187800,1,2,0.5,1.5,10\n1704188100,1.5,2,1,1.75,12\n');
    expect(s.ts[0]).toBe(utc('2024-01-02T09:30:00Z'));
    expect(s.timeframe).toBe('5m');
    expect(s.adjClose).toBeUndefined();
  });

  it('reads Alpha Vantage timestamp columns, newest first, in oldest-first order', () => {
    const s = parse(
      'timestamp,open,high,low,close,volume\n2024-01-02 16:00:00,3,4,2,3.5,30\n2024-01-02 15:59:00,2,3,1,2.5,20\n2024-01-02 15:58:00,1,2,0.5,1.5,10\n',
      { timeZone: 'America/New_York' },
    );
    expect([...s.ts]).toEqual([utc('2024-01-02T20:58:00Z'), utc('2024-01-02T20:59:00Z'), utc('2024-01-02T21:00:00Z')]);
    expect([...s.open]).toEqual([1, 2, 3]);
    expect([...s.volume]).toEqual([10, 20, 30]);
    expect(s.timeframe).toBe('1m');
  });

  it('reads backtrader Date + Time columns and ignores OpenInterest', () => {
    const s = parse('Date,Time,Open,High,Low,Close,Volume,OpenInterest\n2006-01-02,09:05:00,3578.73,3587.88,3578.73,3582.99,0,0\n2006-01-02,09:10:00,3583.01,3588.40,3583.01,3588.03,0,0\n');
    expect([...s.ts]).toEqual([utc('2006-01-02T09:05:00Z'), utc('2006-01-02T09:10:00Z')]);
    expect(s.timeframe).toBe('5m');
  });

  it('accepts any column order, any case, surrounding blanks and unknown columns', () => {
    const s = parse(' CLOSE ,volume,Dividend Amount,DATE,low,OPEN,High\n10.5,100,0,20240102,9.5,10,11\n');
    expect(s.ts[0]).toBe(utc('2024-01-02T00:00:00Z'));
    expect([s.open[0], s.high[0], s.low[0], s.close[0], s.volume[0]]).toEqual([10, 11, 9.5, 10.5, 100]);
  });

  it('reads Datetime with ISO offsets and Z', () => {
    const s = parse('Datetime,Open,High,Low,Close,Volume\n2024-01-02T09:30:00-05:00,1,1,1,1,1\n2024-01-02T14:31:00Z,1,1,1,1,1\n');
    expect([...s.ts]).toEqual([utc('2024-01-02T14:30:00Z'), utc('2024-01-02T14:31:00Z')]);
  });

  it('fills volume with 0 when the file has no volume column', () => {
    const s = parse('date,open,high,low,close\n2024-01-02,1,2,0.5,1.5\n');
    expect([...s.volume]).toEqual([0]);
  });

  it('reads quoted header names and quoted values', () => {
    const s = parse('"Date","Open","High","Low","Close","Volume"\n"2024-01-02","12.5","13","12","12.75","100"\n');
    expect([s.ts[0], s.open[0], s.close[0]]).toEqual([utc('2024-01-02T00:00:00Z'), 12.5, 12.75]);
  });

  it('names the file and the columns it found when a required column is missing', () => {
    const e = errorOf(() => parse('Date,Open,High,Close,Volume\n2024-01-02,1,2,1,5\n'));
    expect(e.code).toBe('PI5_ERR_BAD_CSV');
    expect(e.message).toBe('TEST.csv: missing column(s) low; found: Date, Open, High, Close, Volume');
    expect(e.details).toMatchObject({ file: 'TEST.csv', missing: ['low'] });
  });

  it('rejects two columns with the same meaning, and an empty input', () => {
    expect(errorOf(() => parse('Date,Close,c,Open,High,Low\n')).code).toBe('PI5_ERR_BAD_CSV');
    expect(errorOf(() => parse('')).message).toBe('TEST.csv: no header row');
  });

  it('returns an empty series for a header-only file', () => {
    const s = parse('Date,Open,High,Low,Close,Volume\n');
    expect(s.length).toBe(0);
    expect(s.timeframe).toBe('1d');
  });

  it('splits a symbol column into one series per symbol, in order of first appearance', () => {
    const text = 'Ticker,Date,Open,High,Low,Close\nXYZ,2024-01-02,1,2,0.5,1.5\nÄBC,2024-01-02,5,6,4,5.5\nXYZ,2024-01-03,1.5,2,1,1.75\n';
    const all = parseBarsCsvMulti(text, { source: 'mixed.csv' });
    expect(all.map((s) => [s.symbol, s.length])).toEqual([
      ['XYZ', 2],
      ['ÄBC', 1],
    ]);
    expect(parse(text, { symbol: 'ÄBC' }).close[0]).toBe(5.5);
    expect(errorOf(() => parse(text)).message).toContain('holds 2 symbols (XYZ, ÄBC)');
    expect(errorOf(() => parse(text, { symbol: 'NOPE' })).code).toBe('PI5_ERR_BAD_CSV');
  });

  it('takes the given timeframe over the inferred one and rejects a malformed one', () => {
    expect(parse('Date,Open,High,Low,Close\n2024-01-02,1,1,1,1\n', { timeframe: '1w' }).timeframe).toBe('1w');
    expect(errorOf(() => parse('Date,Open,High,Low,Close\n', { timeframe: 'daily' })).code).toBe('PI5_ERR_BAD_USAGE');
  });
});
