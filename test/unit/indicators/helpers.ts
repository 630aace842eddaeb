// Shared test inputs for the indicator suites: seeded price paths, fast-check arbitraries and a tolerance check.

import fc from 'fast-check';
import { expect } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';

export interface TestBar {
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A seeded random walk of closes with 2 decimals, around `start`. */
export function walk(seed: number, n: number, start = 100): number[] {
  const rng = new SeededRng(seed);
  const out: number[] = [];
  let cents = Math.round(start * 100);
  for (let i = 0; i < n; i++) {
    cents = Math.max(1, cents + rng.int(-150, 150));
    out.push(cents / 100);
  }
  return out;
}

/** Seeded bars with 2-decimal prices: high ≥ close ≥ low, integer volume. */
export function bars(seed: number, n: number, start = 100): TestBar[] {
  const rng = new SeededRng(seed ^ 0x5bd1e995);
  return walk(seed, n, start).map((close) => {
    const c = Math.round(close * 100);
    const high = (c + rng.int(0, 120)) / 100;
    const low = Math.max(1, c - rng.int(0, 120)) / 100;
    return { high, low, close, volume: rng.int(0, 5000) };
  });
}

/** Prices with at most 8 decimals, from calm cents to wide 8-decimal values, bounded so period × price < 9e7. */
export const price = fc.oneof(
  fc.integer({ min: 1, max: 100_000_000 }).map((c) => c / 100),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map((pu) => pu / 1e8),
  fc.integer({ min: 9_990_000, max: 10_010_000 }).map((c) => c / 100),
);

export const prices = (min = 1, max = 200): fc.Arbitrary<number[]> =>
  fc.array(price, { minLength: min, maxLength: max });

/** Random-walk closes in cents (realistic paths, including flat stretches). */
export const pricePath = (min = 1, max = 300): fc.Arbitrary<number[]> =>
  fc
    .tuple(
      fc.integer({ min: 100, max: 10_000_000 }),
      fc.array(fc.integer({ min: -300, max: 300 }), { minLength: min, maxLength: max }),
    )
    .map(([start, steps]) => {
      let c = start;
      return steps.map((d) => {
        c = Math.max(1, c + d);
        return c / 100;
      });
    });

export const barPath = (min = 1, max = 300): fc.Arbitrary<TestBar[]> =>
  fc.array(
    fc.tuple(fc.integer({ min: -300, max: 300 }), fc.nat(400), fc.nat(400), fc.nat(10_000)),
    { minLength: min, maxLength: max },
  ).map((steps) => {
    let c = 1_000_000;
    return steps.map(([d, up, down, volume]) => {
      c = Math.max(1000, c + d);
      return { high: (c + up) / 100, low: (c - down) / 100, close: c / 100, volume };
    });
  });

export const period = (min = 1, max = 50): fc.Arbitrary<number> => fc.integer({ min, max });

/** |actual − expected| ≤ tol · max(|actual|, |expected|, scale); NaN must match NaN. */
export function expectClose(actual: number, expected: number, scale = 0, tol = 1e-9): void {
  if (Number.isNaN(expected)) {
    expect(actual).toBeNaN();
    return;
  }
  const bound = tol * Math.max(Math.abs(actual), Math.abs(expected), scale);
  if (!(Math.abs(actual - expected) <= bound)) {
    expect.fail(`expected ${actual} to be within ${bound} of ${expected}`);
  }
}

export function maxAbs(xs: readonly number[]): number {
  let m = 0;
  for (const x of xs) m = Math.max(m, Math.abs(x));
  return m;
}
