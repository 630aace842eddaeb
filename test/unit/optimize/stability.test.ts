// The stability view on the series whose objective surface is known (fixtures.ts): net profit is
// 100 × (close[entry + hold] − close[entry]), so every profile point and neighbour is computable by hand.

import { describe, expect, it } from 'vitest';
import { parseObjective } from '../../../src/optimize/objective.js';
import { localEvaluator, optimize } from '../../../src/optimize/optimizer.js';
import { buildSpace } from '../../../src/optimize/space.js';
import { stabilityOf } from '../../../src/optimize/stability.js';
import { closeAt, PEAK, TROUGH, peakSeries, windowStrategy } from './fixtures.js';

const profit = (entry: number, hold: number): number => 100 * (closeAt(entry + hold) - closeAt(entry));

describe('parameter stability', () => {
  it('profiles the objective along each parameter through the best point, and scores its neighbours', async () => {
    const base = { series: [peakSeries()], strategy: windowStrategy, cash: 100_000 };
    const space = buildSpace({ strategyId: 'window', schema: windowStrategy.params, grid: ['entry=40:60:10', 'hold=80:120:20'] });
    const rules = { objective: parseObjective('netProfit'), constraints: [] };
    const run = await optimize({ method: 'grid', space, rules, evaluate: localEvaluator(base, space, rules) });
    const best = run.best;
    if (best === undefined) throw new Error('no best trial');
    expect(best.point).toEqual({ entry: TROUGH, hold: PEAK - TROUGH });
    const s = stabilityOf(space, run.trials, best);
    expect(s.best).toBeCloseTo(profit(50, 100), 9);
    expect(s.profiles.map((p) => p.name)).toEqual(['entry', 'hold']);
    const entry = s.profiles[0]?.points ?? [];
    expect(entry.map((p) => p.value)).toEqual([40, 50, 60]);
    entry.forEach((p) => expect(p.objective).toBeCloseTo(profit(p.value as number, 100), 9));
    const hold = s.profiles[1]?.points ?? [];
    hold.forEach((p) => expect(p.objective).toBeCloseTo(profit(50, p.value as number), 9));
    // All 8 other grid points are one step away in every parameter.
    const others = [40, 50, 60].flatMap((e) => [80, 100, 120].map((h) => [e, h] as const)).filter(([e, h]) => e !== 50 || h !== 100);
    const mean = others.reduce((a, [e, h]) => a + profit(e, h), 0) / others.length;
    expect(s.neighbours).toBe(8);
    expect(s.neighbourMean).toBeCloseTo(mean, 9);
    expect(s.neighbourMin).toBeCloseTo(Math.min(...others.map(([e, h]) => profit(e, h))), 9);
    expect(s.ratio).toBeCloseTo(mean / profit(50, 100), 12);
  }, 60_000);
});
