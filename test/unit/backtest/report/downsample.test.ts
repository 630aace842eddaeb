import { describe, expect, it } from 'vitest';
import { valueTicks, timeTicks } from '../../../../src/backtest/report/axisTicks.js';
import { downsampleMinMax } from '../../../../src/backtest/report/downsample.js';

function randomWalk(n: number): Float64Array {
  const out = new Float64Array(n);
  let seed = 7;
  let v = 1000;
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    v += seed / 2 ** 32 - 0.5;
    out[i] = v;
  }
  return out;
}

describe('downsampleMinMax', () => {
  it('keeps the global minimum and maximum of a 1M-point series in about 2,000 points', () => {
    const values = randomWalk(1_000_000);
    values[123_457] = 5000; // a one-bar spike
    values[876_543] = -5000; // a one-bar crash
    const s = downsampleMinMax(values, 1000);
    expect(s.length).toBeLessThanOrEqual(2002);
    expect(s.length).toBeGreaterThan(1000);
    const kept = Array.from(s.value);
    expect(Math.max(...kept)).toBe(5000);
    expect(Math.min(...kept)).toBe(-5000);
    expect(Array.from(s.index)).toContain(123_457);
    expect(Array.from(s.index)).toContain(876_543);
  });

  it('keeps the first and last points, in index order, and values match their indices', () => {
    const values = randomWalk(10_000);
    const s = downsampleMinMax(values, 100);
    expect(s.index[0]).toBe(0);
    expect(s.index[s.length - 1]).toBe(9_999);
    for (let k = 1; k < s.length; k++) expect(s.index[k]).toBeGreaterThan(s.index[k - 1] ?? -1);
    for (let k = 0; k < s.length; k++) expect(s.value[k]).toBe(values[s.index[k] ?? -1]);
  });

  it('returns a short series whole and skips non-finite values', () => {
    const s = downsampleMinMax(Float64Array.from([1, Number.NaN, 3, Infinity, 2]), 100);
    expect(Array.from(s.index)).toEqual([0, 2, 4]);
    expect(Array.from(s.value)).toEqual([1, 3, 2]);
  });
});

describe('axis ticks', () => {
  it('chooses round value steps covering the range', () => {
    const t = valueTicks(98_765, 123_456, 5);
    expect(t.step).toBe(5000);
    expect(t.values[0]).toBe(95_000);
    expect(t.values[t.values.length - 1]).toBe(125_000);
  });

  it('labels years on a multi-year daily series, placed on the first bar of each year', () => {
    const times = Float64Array.from({ length: 3000 }, (_, i) => Date.UTC(2005, 0, 3) + i * 86_400_000);
    const ticks = timeTicks(times, 9);
    expect(ticks.map((t) => t.label)).toEqual(['2006', '2007', '2008', '2009', '2010', '2011', '2012', '2013']);
    expect(times[ticks[0]?.index ?? -1]).toBe(Date.UTC(2006, 0, 1));
  });
});
