import { describe, expect, it } from 'vitest';
import { deflatedSharpe, expectedMaxSharpe, normalCdf, normalInv, returnShape } from '../../../src/optimize/deflatedSharpe.js';

describe('deflated Sharpe ratio', () => {
  it("reproduces the numerical example of Bailey & López de Prado (2014)", () => {
    // Annualized SR 2.5 over 1,250 daily returns (250 a year), skewness −3, kurtosis 10, chosen among
    // N = 100 trials whose annualized Sharpe ratios have variance 1/2. The paper: E[max SR] ≈ 0.1132 per
    // day, DSR ≈ 0.9004.
    const { dsr, expectedMax } = deflatedSharpe({ sharpe: 2.5 / Math.sqrt(250), observations: 1250, skew: -3, kurtosis: 10, trials: 100, sharpeVariance: 0.5 / 250 });
    expect(expectedMax).toBeCloseTo(0.1132, 4);
    expect(dsr).toBeCloseTo(0.9004, 4);
  });

  it('has normal quantiles and CDF that invert each other', () => {
    expect(normalInv(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalInv(0.01)).toBeCloseTo(-2.326348, 6);
    for (const x of [-3, -1.2, 0, 0.5, 2.7]) expect(normalInv(normalCdf(x))).toBeCloseTo(x, 5);
    expect(expectedMaxSharpe(1, 1)).toBe(0);
  });

  it('measures skewness and kurtosis of returns', () => {
    expect(returnShape([1, -1, 1, -1])).toEqual({ skew: 0, kurtosis: 1 });
    const s = returnShape([0, 0, 0, 0, 10]);
    expect(s.skew).toBeCloseTo(1.5, 12);
    expect(s.kurtosis).toBeCloseTo(3.25, 12);
  });
});
