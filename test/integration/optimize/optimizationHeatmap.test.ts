// The heatmap's cells aggregated by the database over every stored trial (PGlite and PostgreSQL): a continuous
// parameter with more distinct values than HEATMAP_BINS is cut into equal bins, each cell the best feasible
// objective of its trials and their count; a parameter with few values is shown value by value.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_BACKENDS } from '../../helpers/services.js';
import type { Database } from '../../../src/persistence/database.js';
import { migrate } from '../../../src/persistence/migrations/index.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { HEATMAP_BINS, OptimizationRunRepository, type StoredTrial } from '../../../src/persistence/repositories/optimizationRuns.js';

// 300 trials: `a` spread unevenly over [0.1, 2.1] (a random search over a continuous range), `mode` one of two.
const A = (i: number): number => 0.1 + 2 * ((i * 0.6180339887) % 1) ** 2;
const trial = (id: number): StoredTrial => {
  const point = { a: A(id), mode: id % 2 === 0 ? 'sma' : 'ema' };
  const objective = Math.sin(id) * 2;
  return { window: null, id, params: { ...point, qty: 1 }, point, objective, feasible: id % 7 !== 0, violated: id % 7 === 0 ? ['tradeCount >= 30'] : [], metrics: { sharpe: objective } };
};

describe.each(STORE_BACKENDS)('optimization heatmap cells on $name', (backend) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const { env, cleanup: drop } = await backend.env();
    cleanup = drop;
    db = await openDatabase(env.DATABASE_URL === undefined ? { inMemory: true } : { databaseUrl: env.DATABASE_URL });
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  it('bins a continuous parameter into equal bins and keeps the best feasible objective of each cell', async () => {
    const repo = new OptimizationRunRepository(db);
    const run = await repo.create({ strategy: 'x', method: 'random', objective: 'sharpe', config: {}, origin: 'api', userId: null, trialsPlanned: 300 });
    const trials = Array.from({ length: 300 }, (_, i) => trial(i));
    await repo.addTrials(run.id, 0, trials);

    const map = await repo.heatmap(run.id, { x: 'a', y: 'mode' });
    const lo = Math.min(...trials.map((t) => t.point.a as number));
    const hi = Math.max(...trials.map((t) => t.point.a as number));
    expect(map.bins.y).toBeNull();
    expect(map.bins.x?.from).toBeCloseTo(lo, 12);
    expect(map.bins.x?.width).toBeCloseTo((hi - lo) / HEATMAP_BINS, 12);
    expect(map.trials).toBe(300);

    // The same cells computed here from the trials.
    const width = (hi - lo) / HEATMAP_BINS;
    const want = new Map<string, { objective: number | null; trials: number }>();
    for (const t of trials) {
      const bin = Math.min(Math.floor(((t.point.a as number) - lo) / width), HEATMAP_BINS - 1);
      const k = `${bin}/${String(t.point.mode)}`;
      const cell = want.get(k) ?? { objective: null, trials: 0 };
      want.set(k, { objective: t.feasible && (cell.objective === null || (t.objective as number) > cell.objective) ? t.objective : cell.objective, trials: cell.trials + 1 });
    }
    expect(map.cells).toHaveLength(want.size);
    expect(new Set(map.cells.map((c) => c.y))).toEqual(new Set(['ema', 'sma']));
    for (const c of map.cells) {
      const bin = Math.round(((c.x as number) - lo) / width);
      expect(Math.abs((c.x as number) - (lo + bin * width))).toBeLessThan(1e-9);
      const w = want.get(`${bin}/${String(c.y)}`);
      expect(w, `cell ${bin}/${String(c.y)}`).toBeDefined();
      expect(c.trials).toBe(w?.trials);
      if (w?.objective === null) expect(c.objective).toBeNull();
      else expect(c.objective).toBeCloseTo(w?.objective as number, 12);
    }

    // Few distinct values: one column each, no bins.
    const byMode = await repo.heatmap(run.id, { x: 'mode', y: 'mode' });
    expect(byMode.bins).toEqual({ x: null, y: null });
    expect(byMode.cells.map((c) => [c.x, c.trials])).toEqual([['ema', 150], ['sma', 150]]);
  });
});
