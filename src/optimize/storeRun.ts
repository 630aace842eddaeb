// `pi5 optimize --store`: a finished (or Ctrl-C-canceled) run written to the database as the API writes its
// runs, every trial with all its metrics, so the API and the dashboard list it beside the API's runs.

import type { Database } from '../persistence/database.js';
import { OptimizationRunRepository, type StoredTrial } from '../persistence/repositories/optimizationRuns.js';
import type { OptimizationMeta } from './resultJson.js';

export interface FinishedRun {
  readonly meta: OptimizationMeta;
  readonly trials: readonly StoredTrial[];
  readonly canceled: boolean;
  /** The result document without its trial list (as GET /optimizations/:id/result serves it). */
  readonly resultJson: string;
  readonly html: string;
  readonly bestObjective: number | null;
}

/** Writes the run in one transaction; returns its id. */
export async function storeOptimizationRun(db: Database, run: FinishedRun): Promise<number> {
  return db.transaction(async (tx) => {
    const repo = new OptimizationRunRepository(tx);
    const m = run.meta;
    const rec = await repo.create({ strategy: m.strategy, method: m.method, objective: m.objective, config: { ...m.config, constraints: m.constraints, seed: m.seed, budget: m.budget, workers: m.workers }, origin: 'cli', userId: null, trialsPlanned: null });
    await repo.markRunning(rec.id);
    await repo.addTrials(rec.id, 0, run.trials);
    const end = run.canceled ? { error: 'canceled from the command line (Ctrl-C); the trials run so far are kept' } : { result: run.resultJson, html: run.html };
    await repo.finish(rec.id, run.canceled ? 'canceled' : 'done', { ...end, trials: run.trials.length, bestObjective: run.bestObjective });
    return rec.id;
  });
}
