// Resuming from stored trials: a point whose trial is stored is answered from the store with the very trial a
// run would make (params and metrics in the engine's order, scored again), only the missing points reach the
// evaluator, and a stored trial that cannot be rebuilt exactly (a non-finite metric stored as null) runs again.

import { describe, expect, it } from 'vitest';
import { parseObjective } from '../../../src/optimize/objective.js';
import { localEvaluator, optimize, type Evaluator } from '../../../src/optimize/optimizer.js';
import { storedTrial } from '../../../src/optimize/resultJson.js';
import { StoredTrials } from '../../../src/optimize/resume.js';
import { buildSpace } from '../../../src/optimize/space.js';
import { peakSeries, windowStrategy } from './fixtures.js';

const base = { series: [peakSeries()], strategy: windowStrategy, cash: 100_000 };
const space = buildSpace({ strategyId: 'window', schema: windowStrategy.params, grid: ['entry=0:200:20', 'hold=20:200:20'], fixed: { qty: 50 } });
const rules = { objective: parseObjective('netProfit'), constraints: [{ text: 'tradeCount >= 1', holds: (m: { tradeCount: number }) => m.tradeCount >= 1 }] };
const order = Object.keys(windowStrategy.params);

describe('resuming from stored trials', () => {
  it('answers stored points from the store and runs only the missing ones, ending as the whole run', async () => {
    const evaluate = localEvaluator(base, space, rules);
    const whole = await optimize({ method: 'grid', space, rules, evaluate });
    // Stored as the API stores them (JSON, keys in the database's order): the first 30 trials.
    const rows = whole.trials.slice(0, 30).map((t) => JSON.parse(JSON.stringify(storedTrial(t, null))) as ReturnType<typeof storedTrial>);
    for (const r of rows) (r as { metrics: Record<string, unknown> }).metrics = Object.fromEntries(Object.entries(r.metrics).reverse());
    const stored = new StoredTrials(rows, order);
    const asked: number[] = [];
    const counting: Evaluator = (batch) => {
      asked.push(...batch.map((b) => b.id));
      return evaluate(batch);
    };
    const resumed = await optimize({ method: 'grid', space, rules, evaluate: stored.evaluator(counting, null, rules) });
    expect(stored.restored).toBe(30);
    expect(asked).toEqual(whole.trials.slice(30).map((t) => t.id));
    expect(JSON.stringify(resumed.trials)).toBe(JSON.stringify(whole.trials));
    expect(resumed.best).toEqual(whole.best);
    expect(stored.has(null, whole.trials[0]?.point ?? {})).toBe(true);
    expect(stored.has(0, whole.trials[0]?.point ?? {})).toBe(false);
  });

  it('runs again a stored trial whose metrics cannot be rebuilt exactly', async () => {
    const evaluate = localEvaluator(base, space, rules);
    const whole = await optimize({ method: 'grid', space, rules, evaluate, budget: 4 });
    const rows = whole.trials.map((t) => storedTrial(t, null));
    rows[1] = { ...rows[1], metrics: { ...rows[1]?.metrics, sharpe: null } } as (typeof rows)[number];
    const stored = new StoredTrials(rows, order);
    const asked: number[] = [];
    const resumed = await optimize({ method: 'grid', space, rules, budget: 4, evaluate: stored.evaluator((b) => (asked.push(...b.map((x) => x.id)), evaluate(b)), null, rules) });
    expect(asked).toEqual([1]);
    expect(stored.restored).toBe(3);
    expect(resumed.trials).toEqual(whole.trials);
  });
});
