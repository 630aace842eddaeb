// OptimizationJobs on PGlite in memory with real worker threads: runs left unfinished by a process that
// stopped are marked interrupted at the next start with their trials kept (not resumed), and closing the
// runner ends a run in flight as interrupted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/core/log.js';
import { INTERRUPTED_OPTIMIZATION, OptimizationJobs } from '../../../src/optimize/jobs/optimizationJobs.js';
import type { Database } from '../../../src/persistence/database.js';
import { migrate } from '../../../src/persistence/migrations/index.js';
import { openDatabase } from '../../../src/persistence/openDatabase.js';
import { OptimizationRunRepository } from '../../../src/persistence/repositories/optimizationRuns.js';

let db: Database;
const log = createLogger('silent');

beforeAll(async () => {
  db = await openDatabase({ inMemory: true });
  await migrate(db);
});

afterAll(async () => {
  await db.close();
});

const trial = (id: number) => ({ window: null, id, params: { fast: id + 5, slow: 30 }, point: { fast: id + 5 }, objective: id / 10, feasible: true, violated: [], metrics: { sharpe: id / 10, tradeCount: 3 } });

describe('OptimizationJobs after a stop', { timeout: 240_000 }, () => {
  it('marks a run an earlier process left running as interrupted at start, keeping its trials', async () => {
    const repo = new OptimizationRunRepository(db);
    const run = await repo.create({ strategy: 'sma-cross', method: 'grid', objective: 'sharpe', config: {}, origin: 'api', userId: null, trialsPlanned: 10 });
    await repo.markRunning(run.id);
    await repo.addTrials(run.id, 0, [trial(0), trial(1), trial(2)]);
    const queued = await repo.create({ strategy: 'sma-cross', method: 'grid', objective: 'sharpe', config: {}, origin: 'api', userId: null, trialsPlanned: 10 });

    const jobs = new OptimizationJobs({ db, log });
    expect(await jobs.markInterrupted()).toBe(2);
    for (const id of [run.id, queued.id]) expect(await jobs.get(id)).toMatchObject({ status: 'interrupted', error: INTERRUPTED_OPTIMIZATION });
    const kept = await jobs.trials(run.id, { limit: 10, offset: 0, sort: 'sharpe', dir: 'desc' });
    expect(kept.total).toBe(3);
    expect(kept.items.map((t) => t.id)).toEqual([2, 1, 0]);
    expect(await jobs.markInterrupted()).toBe(0);
    await expect(jobs.cancel(run.id)).rejects.toMatchObject({ code: 'PI5_ERR_CONFLICT' });
    await jobs.close();
  });

  it('ends a run in flight as interrupted when the runner closes (the node stopping)', async () => {
    const jobs = new OptimizationJobs({ db, log });
    const run = await jobs.start({ strategy: 'sma-cross', symbols: ['LONG'], source: 'demo', demoBars: 20_000, grid: { fast: '2:60:1', slow: '61:200:1' } }, null);
    await jobs.close();
    const after = await jobs.get(run.id);
    expect(after).toMatchObject({ status: 'interrupted', error: INTERRUPTED_OPTIMIZATION });
    expect((await jobs.trials(run.id, { limit: 1, offset: 0, sort: 'trial', dir: 'asc' })).total).toBe(after.trials);
    await expect(jobs.start({ strategy: 'sma-cross', symbols: ['X'], source: 'demo', grid: { fast: '5:10:5' } }, null)).rejects.toMatchObject({ code: 'PI5_ERR_CONFLICT' });
  });
});
