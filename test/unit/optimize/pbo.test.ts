// PBO by CSCV on return matrices whose answer is known by hand: a trial that wins every bar is never
// overfit (PBO 0, logit ln N in every split), two trials that swap places between halves always are (PBO 1),
// and pure noise lands near one half.

import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import { combinations, probabilityOfBacktestOverfitting } from '../../../src/optimize/pbo.js';
import { expectCode } from '../../helpers/errors.js';

const refused = (fn: () => unknown, why: RegExp): void => {
  expect(expectCode(fn, 'PI5_ERR_BAD_USAGE').message).toMatch(why);
};

describe('probability of backtest overfitting (CSCV)', () => {
  it('enumerates every half of the blocks: C(16, 8) = 12870 splits as in the paper', () => {
    expect(combinations(4, 2)).toEqual([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
    expect(combinations(16, 8)).toHaveLength(12870);
  });

  it('is 0 when one trial beats the others on every bar, with ω = N/(N+1) in every split', () => {
    const rng = new SeededRng(3);
    const noise = Float64Array.from({ length: 640 }, () => rng.normal() * 0.01);
    const n = 5;
    const returns = Array.from({ length: n }, (_, i) => noise.map((x) => x + i * 0.001));
    const r = probabilityOfBacktestOverfitting({ returns, blocks: 16 });
    expect(r.splits).toHaveLength(12870);
    expect(r.pbo).toBe(0);
    for (const s of r.splits) {
      expect(s.best).toBe(n - 1);
      expect(s.omega).toBeCloseTo(n / (n + 1), 15);
      expect(s.logit).toBeCloseTo(Math.log(n), 12);
    }
  });

  it('is 1 when the in-sample best is always the out-of-sample worst', () => {
    const up = [0.02, 0.01, 0.02, 0.01];
    const down = [-0.01, -0.02, -0.01, -0.02];
    const a = Float64Array.from([...up, ...down]);
    const b = Float64Array.from([...down, ...up]);
    const r = probabilityOfBacktestOverfitting({ returns: [a, b], blocks: 2 });
    expect(r.pbo).toBe(1);
    expect(r.splits.map((s) => [s.inSample, s.best])).toEqual([[[0], 0], [[1], 1]]);
    // Rank 1 of 2: ω = 1/3, λ = ln(1/2).
    for (const s of r.splits) expect(s.logit).toBeCloseTo(Math.log(0.5), 15);
    expect(r.probabilityOfLoss).toBe(1);
    expect(r.degradationSlope).toBeNaN();
  });

  it('lands near one half on trials of pure noise (no skill to find)', () => {
    const rng = new SeededRng(11);
    const returns = Array.from({ length: 30 }, () => Float64Array.from({ length: 800 }, () => rng.normal() * 0.01));
    const r = probabilityOfBacktestOverfitting({ returns, blocks: 8 });
    expect(r.splits).toHaveLength(70);
    expect(r.pbo).toBeGreaterThan(0.25);
    expect(r.pbo).toBeLessThan(0.75);
  });

  it('names what is wrong with its input', () => {
    const r = Float64Array.from({ length: 100 }, (_, i) => i);
    refused(() => probabilityOfBacktestOverfitting({ returns: [r, r], blocks: 3 }), /blocks must be an even/);
    refused(() => probabilityOfBacktestOverfitting({ returns: [r], blocks: 4 }), /at least 2 trials/);
    refused(() => probabilityOfBacktestOverfitting({ returns: [r, r.subarray(1)], blocks: 4 }), /same bars/);
    refused(() => probabilityOfBacktestOverfitting({ returns: [r.subarray(0, 30), r.subarray(0, 30)], blocks: 16 }), /too few/);
    refused(() => probabilityOfBacktestOverfitting({ returns: [r, r], blocks: 22 }), /from 2 to 20/);
  });
});
