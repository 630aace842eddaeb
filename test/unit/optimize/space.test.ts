import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import { buildSpace, gridPoints, gridSize, parseDimension, randomPoint } from '../../../src/optimize/space.js';
import { smaCross } from '../../../src/strategy/builtin/smaCross.js';

const schema = smaCross.params;

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('parameter space', () => {
  it('reads ranges with steps, choices and * against the schema', () => {
    expect(parseDimension('sma-cross', schema, 'fast=5:20:5').values).toEqual([5, 10, 15, 20]);
    expect(parseDimension('sma-cross', schema, 'slow=3:6').values).toEqual([3, 4, 5, 6]);
    expect(parseDimension('sma-cross', schema, 'ma=*').values).toEqual(['sma', 'ema']);
    expect(parseDimension('sma-cross', schema, 'allowShort=*').values).toEqual([false, true]);
    expect(parseDimension('sma-cross', schema, 'volumeFilter=0:0.3:0.1').values).toEqual([0, 0.1, 0.2, 0.3]);
    expect(parseDimension('sma-cross', schema, 'fast=8,13,21').values).toEqual([8, 13, 21]);
    expect(parseDimension('sma-cross', schema, 'volumeFilter=0.5:2').range).toEqual({ min: 0.5, max: 2 });
  });

  it('refuses unknown parameters, bad specs and values outside the schema', () => {
    expect(codeOf(() => parseDimension('sma-cross', schema, 'fats=1:2'))).toBe('PI5_ERR_BAD_USAGE');
    expect(codeOf(() => parseDimension('sma-cross', schema, 'fast'))).toBe('PI5_ERR_BAD_USAGE');
    expect(codeOf(() => parseDimension('sma-cross', schema, 'fast=10:5:1'))).toBe('PI5_ERR_BAD_USAGE');
    expect(codeOf(() => parseDimension('sma-cross', schema, 'fast=*'))).toBe('PI5_ERR_BAD_USAGE');
    expect(codeOf(() => parseDimension('sma-cross', schema, 'fast=0:5:1'))).toBe('PI5_ERR_BAD_PARAM');
    expect(codeOf(() => parseDimension('sma-cross', schema, 'fast=1.5,2'))).toBe('PI5_ERR_BAD_PARAM');
    expect(codeOf(() => parseDimension('sma-cross', schema, 'ma=sma,wma'))).toBe('PI5_ERR_BAD_PARAM');
    expect(codeOf(() => buildSpace({ strategyId: 'sma-cross', schema, grid: ['fast=1:3', 'fast=4:5'] }))).toBe('PI5_ERR_BAD_USAGE');
    expect(codeOf(() => buildSpace({ strategyId: 'sma-cross', schema, grid: ['fast=1:3'], fixed: { fast: 2 } }))).toBe('PI5_ERR_BAD_USAGE');
    expect(codeOf(() => buildSpace({ strategyId: 'sma-cross', schema, grid: ['fast=1:3'], constraints: ['fast < slw'] }))).toBe('PI5_ERR_BAD_USAGE');
  });

  it('walks the grid in order, pruned by parameter constraints (fixed values and defaults count)', () => {
    const space = buildSpace({ strategyId: 'sma-cross', schema, grid: ['fast=5:50:5', 'slow=20:200:10'], constraints: ['fast < slow'] });
    const points = [...gridPoints(space)];
    expect(gridSize(space)).toBe(10 * 19);
    // Pairs with fast >= slow: fast 20..50 against slow 20..50.
    const pruned = [20, 25, 30, 35, 40, 45, 50].reduce((n, f) => n + [20, 30, 40, 50].filter((s) => f >= s).length, 0);
    expect(points).toHaveLength(190 - pruned);
    expect(points[0]).toEqual({ fast: 5, slow: 20 });
    expect(points[1]).toEqual({ fast: 5, slow: 30 });
    expect(points.every((p) => (p.fast as number) < (p.slow as number))).toBe(true);
    const withFixed = buildSpace({ strategyId: 'sma-cross', schema, grid: ['fast=5:40:5'], fixed: { slow: 25 }, constraints: ['fast < slow'] });
    expect([...gridPoints(withFixed)].map((p) => p.fast)).toEqual([5, 10, 15, 20]);
  });

  it("never proposes a point that breaks the strategy's own rules (sma-cross: fast < slow), with no --where given", () => {
    const space = buildSpace({ strategyId: 'sma-cross', schema, grid: ['fast=5:50:5', 'slow=20:200:10'], rules: smaCross.constraints ?? [] });
    const points = [...gridPoints(space)];
    const pruned = [20, 25, 30, 35, 40, 45, 50].reduce((n, f) => n + [20, 30, 40, 50].filter((s) => f >= s).length, 0);
    expect(points).toHaveLength(190 - pruned);
    expect(points.every((p) => (p.fast as number) < (p.slow as number))).toBe(true);
  });

  it('draws random points from the dimensions, seeded', () => {
    const space = buildSpace({ strategyId: 'sma-cross', schema, grid: ['fast=5:50:5', 'volumeFilter=0.5:2'] });
    const a = Array.from({ length: 20 }, ((rng) => () => randomPoint(space, rng))(new SeededRng(7)));
    const b = Array.from({ length: 20 }, ((rng) => () => randomPoint(space, rng))(new SeededRng(7)));
    expect(a).toEqual(b);
    for (const p of a) {
      expect([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]).toContain(p.fast);
      expect(p.volumeFilter).toBeGreaterThanOrEqual(0.5);
      expect(p.volumeFilter).toBeLessThan(2);
    }
    expect(() => [...gridPoints(space)]).toThrow(/continuous/);
  });
});
