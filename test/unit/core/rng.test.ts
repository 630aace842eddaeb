// The seeded RNG: the only randomness in the engine, so a run is a pure function of its seed.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeededRng } from '../../../src/core/rng.js';

function draw(seed: number, n: number): number[] {
  const r = new SeededRng(seed);
  return Array.from({ length: n }, () => r.next());
}

describe('SeededRng', () => {
  it('the same seed gives the same sequence', () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
  });

  it('different seeds, even neighbouring ones, give different sequences', () => {
    expect(draw(1, 10)).not.toEqual(draw(2, 10));
    expect(draw(0, 10)).not.toEqual(draw(1, 10));
  });

  it('next() stays in [0, 1) and covers the interval roughly uniformly', () => {
    const xs = draw(7, 20_000);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const buckets = new Array<number>(10).fill(0);
    for (const x of xs) buckets[Math.floor(x * 10)]! += 1;
    // 2000 expected per bucket; a fair generator stays well within ±10%.
    for (const b of buckets) expect(Math.abs(b - 2000)).toBeLessThan(200);
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });

  it('int(lo, hi) is inclusive at both ends and never outside', () => {
    const r = new SeededRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const k = r.int(-2, 3);
      expect(k).toBeGreaterThanOrEqual(-2);
      expect(k).toBeLessThanOrEqual(3);
      expect(Number.isInteger(k)).toBe(true);
      seen.add(k);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
  });

  it('normal() has mean ≈ 0 and variance ≈ 1, and is finite', () => {
    const r = new SeededRng(11);
    const xs = Array.from({ length: 20_000 }, () => r.normal());
    expect(xs.every(Number.isFinite)).toBe(true);
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('is deterministic for any seed, including negative and fractional ones (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (seed) => {
        expect(draw(seed, 5)).toEqual(draw(seed, 5));
      }),
    );
  });

  it('mixing draws of next, int and normal is reproducible', () => {
    const run = (): number[] => {
      const r = new SeededRng(99);
      return [r.next(), r.int(1, 6), r.normal(), r.next()];
    };
    expect(run()).toEqual(run());
  });
});
