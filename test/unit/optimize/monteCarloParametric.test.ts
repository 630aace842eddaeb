// Parametric Monte Carlo (bar returns drawn from a fitted normal or Student-t) and parameter noise (the
// backtest re-run with jittered parameters): the fit matches hand-computed moments, the mean simulated total
// return equals its closed form (1 + μ)^n − 1 within four standard errors derived from the closed-form
// variance, both are reproducible from the seed, and jittered parameters stay inside the schema's ranges.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import { monteCarlo, type MonteCarloInput } from '../../../src/optimize/monteCarlo.js';
import { jitterParams, PARAM_NOISE_RULES, parameterNoise, type ParamNoiseResult } from '../../../src/optimize/paramNoise.js';
import { poolSetup, TrialPool } from '../../../src/optimize/pool.js';
import { compoundedMoments, fitReturns, returnSampler } from '../../../src/optimize/returnFit.js';
import { smaCross } from '../../../src/strategy/builtin/smaCross.js';
import { peakSeries, windowStrategy } from './fixtures.js';
import { asyncErrorOf, expectCode } from '../../helpers/errors.js';

// The pool's workers load the strategy by path, as they would a user's module.
const FIXTURES = fileURLToPath(new URL('./fixtures.ts', import.meta.url));

function must(r: ParamNoiseResult | null): ParamNoiseResult {
  if (r === null) throw new Error('parameter noise was canceled');
  return r;
}

const base: MonteCarloInput = { method: 'parametric', cash: 10_000, tradePnl: [], returns: [], simulations: 20_000, seed: 1, ruinDrawdown: 0.5, target: 0.2 };

/** 252 returns, half μ + σ and half μ − σ: mean μ, sd σ·√(252/251); excess kurtosis −2 (no t fits). */
const twoPoint = (mu: number, sigma: number): number[] => Array.from({ length: 252 }, (_, i) => mu + (i % 2 === 0 ? sigma : -sigma));
/** Mostly quiet bars with a few large moves: fat tails (positive excess kurtosis). */
const fatTailed = (): number[] => Array.from({ length: 252 }, (_, i) => 0.0005 + (i % 42 === 0 ? 0.04 : i % 42 === 21 ? -0.04 : (i % 2 === 0 ? 0.004 : -0.004)));

describe('parametric Monte Carlo', () => {
  it('fits the sample moments; t takes its degrees of freedom from the excess kurtosis', () => {
    // [−a, 0 ×6, a]: mean 0, m2 = 2a², m4 = 2a⁴, excess kurtosis 8·2a⁴/(2a²)² − 3 = 1, so ν = 4 + 6/1 = 10.
    const a = 0.02;
    const f = fitReturns([-a, 0, 0, 0, 0, 0, 0, a], 't');
    expect(f.mean).toBe(0);
    expect(f.sd).toBeCloseTo(Math.sqrt((2 * a * a) / 7), 15);
    expect(f.excessKurtosis).toBeCloseTo(1, 12);
    expect(f).toMatchObject({ distribution: 't', dof: expect.closeTo(10, 10) });
    // Returns with negative excess kurtosis cannot be a t: normal, said so in the fit.
    expect(fitReturns(twoPoint(0.001, 0.01), 't')).toMatchObject({ distribution: 'normal', dof: null });
  });

  it('Student-t draws have the fitted mean and standard deviation', () => {
    const fit = fitReturns(fatTailed(), 't');
    const draw = returnSampler(fit, new SeededRng(3));
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // Standard errors: sd/√n for the mean; σ²·√((κ + 2)/n) for the variance, κ = 6/(ν − 4) the t's excess kurtosis.
    expect(Math.abs(mean - fit.mean)).toBeLessThan((4 * fit.sd) / Math.sqrt(n));
    const kappa = 6 / ((fit.dof ?? Infinity) - 4);
    expect(Math.abs(variance - fit.sd ** 2)).toBeLessThan(4 * fit.sd ** 2 * Math.sqrt((kappa + 2) / n));
  });

  it.each([
    ['normal', twoPoint(0.001, 0.01)],
    ['t', fatTailed()],
  ] as const)('%s: the mean simulated total return equals (1 + μ)^n − 1 within four standard errors', (distribution, returns) => {
    const r = monteCarlo({ ...base, returns, distribution });
    const fit = r.fit;
    expect(fit?.distribution).toBe(distribution);
    const exact = compoundedMoments(fitReturns(returns, distribution), returns.length);
    expect(fit?.expectedTotalReturn).toBe(exact.mean);
    const stderr = Math.sqrt(exact.variance / base.simulations);
    expect(Math.abs(r.totalReturn.mean - exact.mean)).toBeLessThan(4 * stderr);
    // The draws vary: a real distribution, not the mean repeated.
    expect(r.totalReturn.p95 - r.totalReturn.p5).toBeGreaterThan(10 * stderr);
  });

  it('is reproducible from its seed and differs with another seed', () => {
    const returns = fatTailed();
    const a = monteCarlo({ ...base, returns, distribution: 't', simulations: 500, seed: 9 });
    const b = monteCarlo({ ...base, returns, distribution: 't', simulations: 500, seed: 9 });
    const c = monteCarlo({ ...base, returns, distribution: 't', simulations: 500, seed: 10 });
    expect(Array.from(b.samples.totalReturn)).toEqual(Array.from(a.samples.totalReturn));
    expect(Array.from(c.samples.totalReturn)).not.toEqual(Array.from(a.samples.totalReturn));
  });

  it('refuses too few returns to fit', () => {
    expectCode(() => monteCarlo({ ...base, returns: [0.01, 0.02, 0.03] }), 'PI5_ERR_BAD_USAGE');
  });
});

describe('parameter noise', () => {
  const peak = { series: [peakSeries()], strategy: windowStrategy, cash: 100_000 };
  const noise = { simulations: 40, seed: 5, ruinDrawdown: 0.5, target: 0.1 };

  it('jitters numeric parameters by a share of their value inside their ranges, whole numbers rounded, and keeps the rest', () => {
    const rng = new SeededRng(2);
    const schema = smaCross.params;
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const p = jitterParams(schema, { fast: 2, slow: 10_000, ma: 'ema', volumeFilter: 0, allowShort: false }, ['fast', 'slow'], 0.9, rng);
      expect(Number.isInteger(p.fast) && Number.isInteger(p.slow)).toBe(true);
      expect(p.fast).toBeGreaterThanOrEqual(schema.fast.min ?? -Infinity);
      expect(p.slow).toBeLessThanOrEqual(schema.slow.max ?? Infinity);
      expect(p.ma).toBe('ema');
      seen.add(p.fast as number);
    }
    // 2 ± 90 %: 0.2 to 3.8, clamped to the minimum 1 and rounded.
    expect([...seen].sort()).toEqual([1, 2, 3, 4]);
  });

  it('with no noise every history is the original run; with noise, seeded histories differ from it', async () => {
    const still = must(await parameterNoise({ ...noise, base: peak, params: { entry: 50, hold: 100 }, noise: 0 }));
    expect(new Set(still.samples.totalReturn)).toEqual(new Set([still.original.totalReturn]));
    // The known optimum: 100 shares bought at 100 and sold at 200.
    expect(still.original.totalReturn).toBeCloseTo(0.1, 12);
    const a = must(await parameterNoise({ ...noise, base: peak, params: { entry: 50, hold: 100 }, noise: 0.05, jitter: ['entry', 'hold'] }));
    const b = must(await parameterNoise({ ...noise, base: peak, params: { entry: 50, hold: 100 }, noise: 0.05, jitter: ['entry', 'hold'] }));
    expect(b).toEqual(a);
    expect(a.jittered).toEqual(['entry', 'hold']);
    // Any move away from the optimum loses: every history is at or below it, most below.
    expect(a.totalReturn.max).toBeLessThanOrEqual(a.original.totalReturn + 1e-12);
    expect(a.samples.totalReturn.filter((x) => x < a.original.totalReturn - 1e-9).length).toBeGreaterThan(noise.simulations / 2);
    for (const p of a.params) expect(p.qty).toBe(100);
  });

  it('keeps to the strategy rules (fast < slow) and names a parameter it cannot jitter', async () => {
    const r = must(await parameterNoise({ ...noise, base: { ...peak, strategy: smaCross }, params: { fast: 10, slow: 12 }, noise: 0.2, jitter: ['fast', 'slow'] }));
    for (const p of r.params) expect(p.fast).toBeLessThan(p.slow as number);
    expect((await asyncErrorOf(() => parameterNoise({ ...noise, base: { ...peak, strategy: smaCross }, params: {}, noise: 0.1, jitter: ['ma'] }))).code).toBe('PI5_ERR_BAD_USAGE');
  });

  it('runs the histories on the worker-thread pool with the numbers of this thread, whatever the batch', async () => {
    const input = { ...noise, base: peak, params: { entry: 50, hold: 100 }, noise: 0.2, jitter: ['entry', 'hold'] };
    const local = must(await parameterNoise(input));
    const pool = await TrialPool.start(poolSetup(peak, FIXTURES, {}), 2);
    try {
      const seen: number[] = [];
      const pooled = must(await parameterNoise(input, { evaluate: pool.evaluator(PARAM_NOISE_RULES), batch: 7, onProgress: (done) => seen.push(done) }));
      expect(pooled).toEqual(local);
      expect(seen).toEqual([7, 14, 21, 28, 35, 41]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('stops at a batch end when canceled, and answers null', async () => {
    const stop = new AbortController();
    const seen: number[] = [];
    const r = await parameterNoise({ ...noise, base: peak, params: { entry: 50, hold: 100 }, noise: 0.1, jitter: ['entry', 'hold'] }, { batch: 5, signal: stop.signal, onProgress: (done) => (seen.push(done), done >= 10 ? stop.abort() : undefined) });
    expect(r).toBeNull();
    expect(seen).toEqual([5, 10]);
  });
});
