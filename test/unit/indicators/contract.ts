// The contract every indicator passes: NaN before ready, ready after exactly its documented warm-up,
// reset() back to the initial state, and finite outputs on a constant series. A new indicator proves itself
// by adding one case to contract.test.ts.

import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../../src/indicators/index.js';
import { bars, type TestBar } from './helpers.js';

export interface ContractSubject {
  readonly indicator: Indicator;
  /** Feeds one bar (single-input indicators take its close) and returns what the update returned. */
  step(bar: TestBar): number;
  /** Every named output, `value` included. */
  outputs(): number[];
}

export interface ContractCase {
  readonly name: string;
  /** The warm-up stated in docs/indicators.md. */
  readonly documentedWarmUp: number;
  create(): ContractSubject;
}

const allNaN = (xs: number[]): boolean => xs.every((x) => Number.isNaN(x));
const allFinite = (xs: number[]): boolean => xs.every((x) => Number.isFinite(x));

function expectInitial(s: ContractSubject): void {
  expect(s.indicator.isReady).toBe(false);
  expect(s.indicator.value).toBeNaN();
  expect(allNaN(s.outputs())).toBe(true);
}

/** Runs the shared indicator contract as one describe block. */
export function indicatorContract(c: ContractCase): void {
  describe(`${c.name} honours the indicator contract`, () => {
    const series = bars(7, c.documentedWarmUp + 60);

    it('declares the documented warm-up', () => {
      expect(c.create().indicator.warmUp).toBe(c.documentedWarmUp);
    });

    it('is NaN and not ready until exactly the warm-up count, then ready with finite outputs', () => {
      const s = c.create();
      expectInitial(s);
      series.forEach((bar, i) => {
        const returned = s.step(bar);
        const n = i + 1;
        expect(Object.is(returned, s.indicator.value)).toBe(true);
        if (n < c.documentedWarmUp) {
          expect(s.indicator.isReady).toBe(false);
          expect(allNaN(s.outputs())).toBe(true);
        } else {
          expect(s.indicator.isReady).toBe(true);
          expect(allFinite(s.outputs())).toBe(true);
        }
      });
    });

    it('reset() returns to the initial state: same outputs as a fresh instance afterwards', () => {
      const used = c.create();
      for (const bar of series) used.step(bar);
      used.indicator.reset();
      expectInitial(used);
      const fresh = c.create();
      const tail = series.slice(13);
      for (const bar of tail) {
        used.step(bar);
        fresh.step(bar);
        expect(used.outputs()).toEqual(fresh.outputs());
        expect(used.indicator.isReady).toBe(fresh.indicator.isReady);
      }
    });

    it('does not throw on a constant series and stays finite once ready', () => {
      const s = c.create();
      const flat: TestBar = { high: 42.5, low: 42.5, close: 42.5, volume: 100 };
      for (let i = 0; i < c.documentedWarmUp + 50; i++) {
        expect(() => s.step(flat)).not.toThrow();
        if (i + 1 >= c.documentedWarmUp) expect(allFinite(s.outputs())).toBe(true);
      }
    });
  });
}
