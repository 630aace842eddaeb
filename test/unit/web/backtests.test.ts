// Parameter forms from schemas, and the curves a backtest result is charted with.

import { describe, expect, it } from 'vitest';
import { drawdown, humanize, monthlyGrid, tradeMarks } from '../../../web/src/backtests/curves.js';
import { initialValues, parseParams, type ParamSchema } from '../../../web/src/params.js';

const schema: ParamSchema = {
  fast: { type: 'int', default: 10, min: 1, max: 100 },
  ratio: { type: 'number', default: 0.5, min: 0, max: 1 },
  ma: { type: 'enum', default: 'sma', options: ['sma', 'ema'] },
  allowShort: { type: 'boolean', default: false },
};

describe('parameter forms', () => {
  it('start from the defaults and parse typed values', () => {
    const v = initialValues(schema);
    expect(v).toEqual({ fast: '10', ratio: '0.5', ma: 'sma', allowShort: 'false' });
    expect(parseParams(schema, { ...v, fast: '12', allowShort: 'true' })).toEqual({ params: { fast: 12, ratio: 0.5, ma: 'sma', allowShort: true }, errors: {} });
  });

  it('check ranges, whole numbers and options before sending; empty keeps the default', () => {
    const r = parseParams(schema, { fast: '0', ratio: '1.5', ma: 'wma', allowShort: 'yes' });
    expect(r.errors).toEqual({ fast: 'must be at least 1', ratio: 'must be at most 1', ma: 'must be one of sma, ema', allowShort: 'must be true or false' });
    expect(parseParams(schema, { fast: '2.5' }).errors.fast).toBe('must be a whole number');
    expect(parseParams(schema, { fast: 'abc' }).errors.fast).toBe('must be a whole number');
    expect(parseParams(schema, { fast: ' ' })).toEqual({ params: {}, errors: {} });
  });
});

describe('result curves', () => {
  it('drawdown is the fraction under the running peak', () => {
    expect(drawdown([100, 120, 90, 130, 65])).toEqual([0, 0, 90 / 120 - 1, 0, -0.5]);
  });

  it('monthly returns become a year × month grid with compounded years', () => {
    const g = monthlyGrid([
      { year: 2021, month: 1, return: 0.1 },
      { year: 2020, month: 12, return: -0.1 },
      { year: 2021, month: 2, return: 0.1 },
    ]);
    expect(g.map((r) => r.year)).toEqual([2020, 2021]);
    expect(g[0]?.cells[11]).toBe(-0.1);
    expect(g[0]?.cells[0]).toBeNull();
    expect(g[1]?.total).toBeCloseTo(0.21, 12);
  });

  it('humanizes metric names', () => {
    expect(humanize('maxDrawdown')).toBe('Max drawdown');
    expect(humanize('cagr')).toBe('Cagr');
  });
});

describe('trade marks', () => {
  it('marks each round trip of the symbol: a long enters with a buy and exits with a sell, a short the mirror', () => {
    const trades = [
      { symbol: 'AAA', side: 'short', quantity: 5, entryTime: '2024-01-05T00:00:00.000Z', entryPrice: 12, exitTime: '2024-01-08T00:00:00.000Z', exitPrice: 11 },
      { symbol: 'AAA', side: 'long', quantity: 10, entryTime: '2024-01-02T00:00:00.000Z', entryPrice: 10, exitTime: '2024-01-04T00:00:00.000Z', exitPrice: 11.5 },
      { symbol: 'BBB', side: 'long', quantity: 1, entryTime: '2024-01-02T00:00:00.000Z', entryPrice: 1, exitTime: null, exitPrice: 1 },
    ];
    expect(tradeMarks(trades, 'AAA').map((m) => [new Date(m.ts).toISOString().slice(0, 10), m.side, m.quantity, m.price])).toEqual([
      ['2024-01-02', 'buy', 10, 10],
      ['2024-01-04', 'sell', 10, 11.5],
      ['2024-01-05', 'sell', 5, 12],
      ['2024-01-08', 'buy', 5, 11],
    ]);
    expect(tradeMarks(trades, 'BBB')).toHaveLength(1);
  });
});
