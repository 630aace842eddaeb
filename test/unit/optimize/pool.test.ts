import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, localReturns } from '../../../src/optimize/diagnostics.js';
import { parseObjective } from '../../../src/optimize/objective.js';
import { localEvaluator, optimize } from '../../../src/optimize/optimizer.js';
import { poolSetup, TrialPool } from '../../../src/optimize/pool.js';
import { buildSpace, type ParamPoint } from '../../../src/optimize/space.js';
import type { TrialBase } from '../../../src/optimize/trial.js';
import { parseWalkForward, walkForward } from '../../../src/optimize/walkForward.js';
import { BARS, closeAt, peakSeries, windowStrategy } from './fixtures.js';

// The workers load the strategy by path, as they would a user's module.
const FIXTURES = fileURLToPath(new URL('./fixtures.ts', import.meta.url));
const base: TrialBase = { series: [peakSeries()], strategy: windowStrategy, cash: 100_000 };
const space = buildSpace({ strategyId: 'window', schema: windowStrategy.params, grid: ['entry=0:200:20', 'hold=20:200:20'], fixed: { qty: 50 } });
const rules = { objective: parseObjective('netProfit'), constraints: [] };
let pool: TrialPool;

beforeAll(async () => {
  pool = await TrialPool.start(poolSetup(base, FIXTURES, space.fixed as ParamPoint), 2);
}, 60_000);
afterAll(async () => {
  await pool.close();
});

describe('worker-thread trial pool', () => {
  it('runs a walk-forward on the workers with the same windows, choices and out-of-sample equity as this thread', async () => {
    const spec = parseWalkForward('is=2m,oos=1m');
    const opts = { method: 'grid' as const, seed: 1, base, space, rules, spec };
    const local = await walkForward({ ...opts, evaluatorFor: (b) => localEvaluator(b, space, rules), returnsFor: (b) => localReturns(b) });
    const seen: Array<{ from: number; to: number }> = [];
    // The windows' diagnostics replay on the workers too, on the window's cut of the shared bars.
    const pooled = await walkForward({ ...opts, batch: 16, evaluatorFor: (_b, inSample) => (seen.push(inSample), pool.evaluator(rules, inSample)), returnsFor: (_b, inSample) => pool.returnsSource(inSample) });
    expect(local.windows.length).toBeGreaterThan(3);
    expect(seen).toEqual(local.windows.map((w) => ({ from: w.isFrom, to: w.isTo })));
    expect(pooled.windows).toEqual(local.windows);
    expect(pooled.equity).toEqual(local.equity);
    expect(pooled.oosMetrics).toEqual(local.oosMetrics);
    expect(local.windows.every((w) => w.diagnostics !== null)).toBe(true);
    expect(pooled.diagnostics).toEqual(local.diagnostics);
  }, 120_000);

  it('gives the same trials, in the same order, as this thread', async () => {
    const local = await optimize({ method: 'grid', space, rules, evaluate: localEvaluator(base, space, rules) });
    for (const batch of [16, pool.batch]) {
      const other = await optimize({ method: 'grid', space, rules, evaluate: pool.evaluator(rules), batch });
      expect(other.trials).toEqual(local.trials);
      // The metrics come back packed: same keys in the same order, so the JSON is byte for byte one thread's.
      expect(JSON.stringify(other.trials)).toBe(JSON.stringify(local.trials));
    }
    const pooled = await optimize({ method: 'grid', space, rules, evaluate: pool.evaluator(rules), batch: 16 });
    expect(pooled.trials.length).toBe(local.trials.length);
    // On this coarse grid the trough and peak fall between points: the best is the largest closing rise
    // between grid bars, first in grid order on ties.
    let want = { entry: -1, hold: -1, profit: -Infinity };
    for (let e = 0; e <= 200; e += 20) {
      for (let h = 20; h <= 200; h += 20) {
        // A position still open at the end is marked to the last close.
        const profit = 50 * (closeAt(Math.min(e + h, BARS - 1)) - closeAt(e));
        if (profit > want.profit) want = { entry: e, hold: h, profit };
      }
    }
    expect(pooled.best?.params).toMatchObject({ entry: want.entry, hold: want.hold, qty: 50 });
    expect(pooled.best?.objective).toBeCloseTo(want.profit, 9);
  }, 60_000);

  it("replays the diagnostics on the workers: the same returns, and so the same diagnostics, as this thread", async () => {
    const run = await optimize({ method: 'grid', space, rules, evaluate: localEvaluator(base, space, rules) });
    const params = run.trials.slice(0, 5).map((t) => t.params);
    const [here, there] = await Promise.all([localReturns(base)(params), pool.returnsSource()(params)]);
    expect(there).toHaveLength(5);
    expect(there).toEqual(here);
    expect(there[0]?.returns.length).toBe(BARS);
    expect(await diagnose(pool.returnsSource(), run, space)).toEqual(await diagnose(localReturns(base), run, space));
  }, 60_000);

  it('passes a coded error from a worker back to the caller', async () => {
    await expect(pool.runAll([{ id: 0, point: { entry: -1 } }])).rejects.toMatchObject({ code: 'PI5_ERR_BAD_PARAM' });
    // The pool keeps working after a trial's error.
    const again = await pool.runAll([{ id: 0, point: { entry: 50, hold: 100 } }]);
    expect(again[0]?.metrics.netProfit).toBeCloseTo(5000, 9);
  }, 60_000);

  it('refuses work once closed', async () => {
    const other = await TrialPool.start(poolSetup(base, FIXTURES, {}), 1);
    await other.close();
    await expect(other.runAll([{ id: 0, point: { entry: 1, hold: 1 } }])).rejects.toMatchObject({ code: 'PI5_ERR_CONFLICT' });
  }, 60_000);
});
