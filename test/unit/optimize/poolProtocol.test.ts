import { describe, expect, it } from 'vitest';
import type { Metrics } from '../../../src/backtest/types.js';
import { packMetrics, unpackMetrics } from '../../../src/optimize/poolProtocol.js';

describe('packed trial metrics', () => {
  it('round-trips nulls, NaN, -0 and infinities exactly, in the key order given', () => {
    const a = { sharpe: NaN, calmar: null, netProfit: -0, sortino: Infinity, bars: 2520 } as unknown as Metrics;
    const b = { sharpe: 1.25, calmar: 0.1 + 0.2, netProfit: -1e-300, sortino: null, bars: 3 } as unknown as Metrics;
    const packed = packMetrics([{ fast: 1 }, { fast: 2 }], [a, b]);
    const [x, y] = unpackMetrics(packed);
    expect(Object.keys(x ?? {})).toEqual(['sharpe', 'calmar', 'netProfit', 'sortino', 'bars']);
    expect(x).toEqual(a);
    expect(Object.is(x?.netProfit, -0)).toBe(true);
    expect(y).toEqual(b);
    expect(packed.params).toEqual([{ fast: 1 }, { fast: 2 }]);
  });

  it('names the trial whose metrics lack a key', () => {
    const a = { sharpe: 1, bars: 2 } as unknown as Metrics;
    const b = { sharpe: 1 } as unknown as Metrics;
    expect(() => packMetrics([{}, {}], [a, b])).toThrow(/trial 1 lack bars/);
  });
});
