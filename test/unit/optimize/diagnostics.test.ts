import { describe, expect, it } from 'vitest';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { diagnose, localReturns } from '../../../src/optimize/diagnostics.js';
import { deflatedSharpe } from '../../../src/optimize/deflatedSharpe.js';
import { parseObjective } from '../../../src/optimize/objective.js';
import { localEvaluator, optimize } from '../../../src/optimize/optimizer.js';
import { buildSpace } from '../../../src/optimize/space.js';
import type { TrialBase } from '../../../src/optimize/trial.js';
import { smaCross } from '../../../src/strategy/builtin/smaCross.js';

describe('optimization diagnostics', () => {
  it("deflates the best trial's Sharpe ratio by the number of trials, with a verdict", async () => {
    const base: TrialBase = { series: [generateSyntheticBars({ symbol: 'D', bars: 1500, seed: 5 })], strategy: smaCross, cash: 100_000 };
    const space = buildSpace({ strategyId: 'sma-cross', schema: smaCross.params, grid: ['fast=2:20:3', 'slow=25:100:15'] });
    const rules = { objective: parseObjective('sharpe'), constraints: [] };
    const run = await optimize({ method: 'grid', space, rules, evaluate: localEvaluator(base, space, rules) });
    const d = await diagnose(localReturns(base), run, space);
    expect(d).not.toBeNull();
    if (d === null) return;
    expect(d.trials).toBe(run.trials.length);
    // The same number from the formula with the variance of the trials' per-bar Sharpe ratios.
    const root = Math.sqrt(252);
    const perBar = run.trials.map((t) => t.metrics.sharpe / root);
    const mean = perBar.reduce((a, b) => a + b, 0) / perBar.length;
    const variance = perBar.reduce((a, b) => a + (b - mean) ** 2, 0) / (perBar.length - 1);
    const want = deflatedSharpe({ sharpe: (run.best?.metrics.sharpe ?? NaN) / root, observations: 1500, skew: d.skew, kurtosis: d.kurtosis, trials: run.trials.length, sharpeVariance: variance });
    expect(d.deflatedSharpe).toBeCloseTo(want.dsr, 12);
    expect(d.expectedMaxSharpe).toBeCloseTo(want.expectedMax * root, 12);
    expect(d.verdict).toMatch(/^(Likely genuine|Inconclusive|Likely overfit): .* of \d+ trials/);
    // PBO over every feasible trial (under the sample cap) with the paper's 16 blocks.
    expect(d.pbo).toMatchObject({ blocks: 16, splits: 12870, trials: run.trials.filter((t) => t.feasible).length });
    expect(d.pbo?.pbo).toBeGreaterThanOrEqual(0);
    expect(d.pbo?.pbo).toBeLessThanOrEqual(1);
    expect(d.pbo?.logits).toHaveLength(12870);
    expect(d.verdict).toMatch(/Probability of backtest overfitting \d+ %/);
    expect(d.stability.profiles.map((p) => p.name)).toEqual(['fast', 'slow']);
    expect(d.stability.best).toBe(run.best?.objective);
  }, 60_000);
});
