import { describe, expect, it } from 'vitest';
import { inferTimeframe } from '../../../../src/data/csv/index.js';
import { parseBarsCsv } from '../../../../src/data/csv/index.js';
import { generateSyntheticBars } from '../../../../src/data/synthetic.js';
import { errorOf } from './helpers.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const every = (step: number, n: number, from = Date.UTC(2024, 0, 1)): number[] => Array.from({ length: n }, (_, i) => from + i * step);

describe('inferTimeframe', () => {
  it.each([
    [MIN, '1m'],
    [5 * MIN, '5m'],
    [15 * MIN, '15m'],
    [30 * MIN, '30m'],
    [90 * MIN, '90m'],
    [HOUR, '1h'],
    [4 * HOUR, '4h'],
    [30_000, '30s'],
  ])('names a regular gap of %i ms as %s', (step, tf) => {
    expect(inferTimeframe(every(step, 50))).toBe(tf);
  });

  it('sees daily bars through weekends and holidays', () => {
    const s = generateSyntheticBars({ symbol: 'X', bars: 300, seed: 1 });
    const withHolidays = [...s.ts].filter((_, i) => i % 17 !== 5);
    expect(inferTimeframe(withHolidays)).toBe('1d');
  });

  it('sees daily bars keyed by local wall time through DST (23 h and 25 h gaps)', () => {
    const ts = [0, 23, 48, 72, 96, 121, 145].map((h) => Date.UTC(2024, 2, 8) + h * HOUR);
    expect(inferTimeframe(ts)).toBe('1d');
  });

  it('names weekly and monthly bars', () => {
    expect(inferTimeframe(every(7 * DAY, 20))).toBe('1w');
    const months = Array.from({ length: 24 }, (_, i) => Date.UTC(2020, i, 1));
    expect(inferTimeframe(months)).toBe('1M');
    const quarters = Array.from({ length: 12 }, (_, i) => Date.UTC(2020, 3 * i, 1));
    expect(inferTimeframe(quarters)).toBe('3M');
  });

  it('takes the most common gap when sessions leave overnight holes', () => {
    const sessionBars = [0, 1, 2].flatMap((d) => every(5 * MIN, 78, Date.UTC(2024, 0, 2 + d, 14, 30)));
    expect(inferTimeframe(sessionBars)).toBe('5m');
  });

  it('gives null for fewer than two bars or an unnamed gap', () => {
    expect(inferTimeframe([])).toBeNull();
    expect(inferTimeframe([Date.UTC(2024, 0, 1)])).toBeNull();
    expect(inferTimeframe(every(1234, 10))).toBeNull();
  });

  it('asks for a timeframe when a lone intraday bar cannot show one, but takes a lone date as daily', () => {
    const intraday = 'Date,Open,High,Low,Close\n2024-01-02 09:30,1,1,1,1\n';
    expect(errorOf(() => parseBarsCsv(intraday, { source: 'one.csv' })).code).toBe('PI5_ERR_BAD_CSV');
    expect(parseBarsCsv(intraday, { source: 'one.csv', timeframe: '1m' }).timeframe).toBe('1m');
    expect(parseBarsCsv('Date,Open,High,Low,Close\n2024-01-02,1,1,1,1\n', { source: 'one.csv' }).timeframe).toBe('1d');
  });
});
