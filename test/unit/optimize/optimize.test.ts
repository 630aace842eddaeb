import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/backtestRunner.js';
import { parseConstraint, parseObjective } from '../../../src/optimize/objective.js';
import { localEvaluator, optimize, type Evaluator } from '../../../src/optimize/optimizer.js';
import { buildSpace, pointKey } from '../../../src/optimize/space.js';
import type { TrialBase } from '../../../src/optimize/trial.js';
import { PEAK, TROUGH, peakSeries, windowStrategy } from './fixtures.js';

const base: TrialBase = { series: [peakSeries()], strategy: windowStrategy, cash: 100_000 };
const space = buildSpace({ strategyId: 'window', schema: windowStrategy.params, grid: ['entry=0:200:10', 'hold=10:200:10'], constraints: ['entry + hold < 250'] });
const rules = { objective: parseObjective('netProfit'), constraints: [] };
const evaluate = localEvaluator(base, space, rules);

describe('optimize on a series with a known optimum', () => {
  it('grid search finds entry = trough, hold = peak - trough, with the exact profit', async () => {
    const run = await optimize({ method: 'grid', space, rules, evaluate });
    expect(run.best?.params).toMatchObject({ entry: TROUGH, hold: PEAK - TROUGH });
    expect(run.best?.objective).toBeCloseTo(100 * (PEAK - TROUGH), 9);
    // Every admissible point ran once, in grid order.
    expect(run.trials.map((t) => t.id)).toEqual(run.trials.map((_, i) => i));
    expect(new Set(run.trials.map((t) => pointKey(t.point))).size).toBe(run.trials.length);
    expect(run.trials.every((t) => (t.point.entry as number) + (t.point.hold as number) < 250)).toBe(true);
  });

  it("gives the best trial the metrics a backtest of its parameters gives", async () => {
    const run = await optimize({ method: 'grid', space, rules, evaluate });
    const direct = runBacktest({ ...base, params: { ...(run.best?.params ?? {}) } });
    expect(run.best?.metrics).toEqual(direct.metrics);
  });

  it('random search is reproducible from its seed, never repeats a point and keeps to the budget', async () => {
    const a = await optimize({ method: 'random', budget: 60, seed: 3, space, rules, evaluate });
    const b = await optimize({ method: 'random', budget: 60, seed: 3, space, rules, evaluate });
    const c = await optimize({ method: 'random', budget: 60, seed: 4, space, rules, evaluate });
    expect(a.trials).toHaveLength(60);
    expect(a.trials.map((t) => t.point)).toEqual(b.trials.map((t) => t.point));
    expect(a.trials.map((t) => t.point)).not.toEqual(c.trials.map((t) => t.point));
    expect(new Set(a.trials.map((t) => pointKey(t.point))).size).toBe(60);
  });

  it('ranks trials that break a constraint below every feasible one', async () => {
    const strict = { objective: parseObjective('netProfit'), constraints: [parseConstraint('tradeCount >= 1 && maxDrawdown < 0.005')] };
    const run = await optimize({ method: 'grid', space, rules: strict, evaluate: localEvaluator(base, space, strict) });
    expect(run.best?.feasible).toBe(true);
    expect(run.best?.metrics.maxDrawdown).toBeLessThan(0.005);
    const infeasible = run.trials.filter((t) => !t.feasible);
    expect(infeasible.length).toBeGreaterThan(0);
    expect(infeasible.every((t) => t.violated.length === 1)).toBe(true);
  });

  it('stops when canceled and reports the trials made so far', async () => {
    const controller = new AbortController();
    let batches = 0;
    const counting: Evaluator = async (batch) => {
      if (++batches === 3) controller.abort();
      return evaluate(batch);
    };
    const run = await optimize({ method: 'grid', space, rules, evaluate: counting, batch: 4, signal: controller.signal });
    expect(run.canceled).toBe(true);
    // A grid runs the next batch while one is scored: the third starts (and cancels) once the first is kept.
    expect(run.trials).toHaveLength(4);
    expect(batches).toBe(3);
  });

  it('reports progress against the planned number of trials', async () => {
    const seen: Array<[number, number]> = [];
    const run = await optimize({ method: 'grid', budget: 20, space, rules, evaluate, batch: 8, onProgress: (d, t) => seen.push([d, t]) });
    expect(run.trials).toHaveLength(20);
    expect(seen).toEqual([[8, 20], [16, 20], [20, 20]]);
  });
});
