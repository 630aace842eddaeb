// Optimizations requested over the API: a queue persisted in optimization_runs, run `concurrency` at a time
// (one by default) each on its own worker thread (which starts the trial pool when the run asks for workers).
// Every trial is written to optimization_trials as its batch is scored, in order; progress and status changes
// go to listeners (the WebSocket channel `optimizations`). A cancel terminates the thread (trials written so far
// stay). A run left unfinished by a stopped server (killed, or interrupted by its shutdown) is resumed at the
// next start from the request stored with it: its stored trials are reused and only the missing ones run.

import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { buffersOf, planStoreRead, readStoreSeries } from '../../backtest/jobs/backtestData.js';
import { errorText } from '../../backtest/jobs/backtestJobs.js';
import { ProgressListeners, RunQueue } from '../../backtest/jobs/runQueue.js';
import { Pi5Error } from '../../core/errors.js';
import { createLogger, type Logger } from '../../core/log.js';
import { startWorkerBeside } from '../../core/workerBeside.js';
import { BarStore } from '../../persistence/barStore.js';
import type { Database } from '../../persistence/database.js';
import { OptimizationRunRepository, type OptimizationRunRecord, type OptimizationStatus, type RunListQuery, type StoredTrial, type TrialQuery, type HeatmapCells, type HeatmapQuery } from '../../persistence/repositories/optimizationRuns.js';
import { METRIC_NAMES } from '../objective.js';
import type { OptimizationSpec, WorkerInput, WorkerMessage } from './optimizationRequest.js';

/** The request checks (and the optimizer and search methods behind them), loaded when a run starts or resumes: a node that runs none never loads them. */
const requests = (): Promise<typeof import('./optimizationRequest.js')> => import('./optimizationRequest.js');

export interface OptimizationProgressEvent {
  readonly id: number;
  readonly status: OptimizationStatus;
  readonly progress: number;
  readonly trials: number;
  readonly bestObjective: number | null;
  readonly error: string | null;
  /** Stored trials a resumed run reuses (0 for a run that was not resumed). */
  readonly trialsReused: number;
}

export type OptimizationListener = (e: OptimizationProgressEvent) => void;

export interface OptimizationJobsOptions {
  readonly db: Database;
  readonly bars?: BarStore;
  readonly log?: Logger;
  /** Runs at once (default 1). */
  readonly concurrency?: number;
  /** Least time between progress writes to the table (default 1000 ms); listeners get every update. */
  readonly progressWriteMs?: number;
  /** Cores a run's `workers` is capped to (default: this machine's). */
  readonly cores?: number;
}

export const INTERRUPTED_OPTIMIZATION = 'PI5_ERR_INTERNAL: the server stopped before this optimization finished; its trials so far are kept (a run created through the API resumes at the next start)';

/** Sort keys of the trials: the trial number, the objective, or any metric. */
export function isTrialSortKey(key: string): boolean {
  return key === 'trial' || key === 'objective' || METRIC_NAMES.has(key);
}

interface Active {
  readonly spec: OptimizationSpec;
  worker: Worker | null;
  progress: number;
  trials: number;
  bestObjective: number | null;
  lastWrite: number;
  /** Trials are written one batch after another; the run ends only after the last write. */
  writes: Promise<void>;
  written: number;
  finished: boolean;
  /** Trials stored before a restart, reused by this (resumed) run (once done: the ones it did not run again). */
  reused: number;
  readonly settled: Promise<void>;
  readonly settle: () => void;
}

type Ending = { status: 'done'; result: string; html: string; reused: number } | { status: 'failed' | 'canceled' | 'interrupted'; error?: string };

export class OptimizationJobs {
  private readonly db: Database;
  private readonly repo: OptimizationRunRepository;
  private readonly bars: BarStore;
  private readonly log: Logger;
  private readonly progressWriteMs: number;
  private readonly cores: number;
  private readonly active = new Map<number, Active>();
  private readonly queue: RunQueue;
  private closed = false;
  private readonly listeners: ProgressListeners<OptimizationProgressEvent>;

  constructor(opts: OptimizationJobsOptions) {
    this.db = opts.db;
    this.repo = new OptimizationRunRepository(opts.db);
    this.bars = opts.bars ?? new BarStore(opts.db);
    this.log = opts.log ?? createLogger('warn');
    this.queue = new RunQueue(opts.concurrency);
    this.listeners = new ProgressListeners(this.log, 'optimization');
    this.progressWriteMs = opts.progressWriteMs ?? 1000;
    this.cores = Math.max(1, opts.cores ?? availableParallelism());
  }

  /** Marks runs left queued or running by an earlier process that cannot be resumed (no stored request) as interrupted; returns how many. */
  async markInterrupted(): Promise<number> {
    const ids = await this.repo.markInterrupted(INTERRUPTED_OPTIMIZATION);
    if (ids.length > 0) this.log.warn('optimizations interrupted by a restart', { ids });
    return ids.length;
  }

  /**
   * At start-up: queues again every API run an earlier process left unfinished, to resume from its stored
   * trials; the ones without a stored request are marked interrupted. Returns the ids resumed.
   */
  async resumeUnfinished(): Promise<number[]> {
    await this.markInterrupted();
    const resumed: number[] = [];
    for (const run of await this.repo.unfinished(INTERRUPTED_OPTIMIZATION)) {
      const { checkOptimizationRequest } = await requests();
      const reused = run.stored;
      await this.repo.requeue(run.id, reused);
      let spec: OptimizationSpec;
      try {
        spec = checkOptimizationRequest(run.request, this.cores).spec;
      } catch (e) {
        await this.repo.finish(run.id, 'failed', { error: `${errorText(e)} (on resuming after a restart)` });
        continue;
      }
      this.track(run.id, spec, reused);
      resumed.push(run.id);
    }
    if (resumed.length > 0) this.log.info('optimizations resumed after a restart', { ids: resumed });
    this.pump();
    return resumed;
  }

  onProgress(listener: OptimizationListener): () => void {
    return this.listeners.add(listener);
  }

  /** Checks and queues a run; throws PI5_ERR_* (4xx) for a bad request or missing data. */
  async start(request: unknown, userId: number | null): Promise<OptimizationRunRecord> {
    if (this.closed) throw new Pi5Error('PI5_ERR_CONFLICT', 'the optimization runner is shutting down');
    const { checkOptimizationRequest, optimizationSpecJson } = await requests();
    const { spec, planned } = checkOptimizationRequest(request, this.cores);
    if (spec.run.source === 'store') planStoreRead(spec.run, await this.bars.list());
    const run = await this.repo.create({
      strategy: spec.run.strategy, method: spec.method, objective: spec.objective, config: optimizationSpecJson(spec), origin: 'api', userId,
      // A walk-forward plans this many per window; its progress counts windows.
      trialsPlanned: spec.walkForward === null ? planned : null,
      // Checked above, so an object: kept to resume the run after a restart.
      request: request as Record<string, unknown>,
    });
    this.track(run.id, spec, 0);
    this.pump();
    return run;
  }

  /** Queues a run (new, or resumed with `reused` stored trials) in this process. */
  private track(id: number, spec: OptimizationSpec, reused: number): void {
    let settle = (): void => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.active.set(id, { spec, worker: null, progress: 0, trials: reused, bestObjective: null, lastWrite: 0, writes: Promise.resolve(), written: reused, finished: false, reused, settled, settle });
    this.queue.enqueue(id);
    this.emit({ id, status: 'queued', progress: 0, trials: reused, bestObjective: null, error: null, trialsReused: reused });
  }

  /** A run with its live progress while this process runs it. */
  async get(id: number): Promise<OptimizationRunRecord> {
    return this.live(await this.repo.get(id));
  }

  async list(q: RunListQuery): Promise<{ items: OptimizationRunRecord[]; total: number }> {
    const page = await this.repo.list(q);
    return { items: page.items.map((r) => this.live(r)), total: page.total };
  }

  async trials(id: number, q: TrialQuery): Promise<{ items: StoredTrial[]; total: number }> {
    if (!isTrialSortKey(q.sort)) throw new Pi5Error('PI5_ERR_BAD_USAGE', `sort: ${JSON.stringify(q.sort)} is not trial, objective or a metric name`, { field: 'sort' });
    return this.repo.trials(id, q);
  }

  /** The heatmap's cells over every stored trial (aggregated by the database, however many trials). */
  heatmap(id: number, q: HeatmapQuery): Promise<HeatmapCells> {
    return this.repo.heatmap(id, q);
  }

  async result(id: number): Promise<string> {
    return this.repo.output(id, 'result');
  }

  async htmlReport(id: number): Promise<string> {
    return this.repo.output(id, 'report');
  }

  /** Stops a queued or running run (its thread is terminated); PI5_ERR_CONFLICT once it has ended. */
  async cancel(id: number): Promise<OptimizationRunRecord> {
    const a = this.active.get(id);
    if (a !== undefined && !a.finished) {
      this.queue.remove(id);
      await this.finish(id, a, { status: 'canceled' });
      return this.get(id);
    }
    await a?.settled;
    const run = await this.repo.get(id);
    throw new Pi5Error('PI5_ERR_CONFLICT', `optimization ${id} is ${run.status} and cannot be canceled`, { id, status: run.status });
  }

  /** Resolves when the run has ended, with its final state. */
  async settled(id: number): Promise<OptimizationRunRecord> {
    await this.active.get(id)?.settled;
    return this.get(id);
  }

  /** Refuses new runs and ends the ones in flight as interrupted, terminating their threads. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.clear();
    await Promise.all([...this.active].map(([id, a]) => this.finish(id, a, { status: 'interrupted', error: INTERRUPTED_OPTIMIZATION })));
    this.listeners.clear();
  }

  private live(r: OptimizationRunRecord): OptimizationRunRecord {
    const a = this.active.get(r.id);
    return a !== undefined && r.status === 'running' ? { ...r, progress: a.progress, trials: a.trials, bestObjective: a.bestObjective } : r;
  }

  private emit(e: OptimizationProgressEvent): void {
    this.listeners.emit(e);
  }

  private pump(): void {
    if (this.closed) return;
    this.queue.pump(
      (id) => this.active.get(id)?.finished === false,
      (id) => {
        const a = this.active.get(id) as Active;
        this.launch(id, a).catch((e: unknown) => this.finish(id, a, { status: 'failed', error: errorText(e) }));
      },
    );
  }

  private async launch(id: number, a: Active): Promise<void> {
    const marked = await this.repo.markRunning(id);
    if (a.finished) return;
    if (!marked) return this.finish(id, a, { status: 'failed', error: 'PI5_ERR_CONFLICT: the run was no longer queued when its turn came' });
    this.emit({ id, status: 'running', progress: 0, trials: a.trials, bestObjective: null, error: null, trialsReused: a.reused });
    const series = a.spec.run.source === 'store' ? await readStoreSeries(this.db, this.bars, a.spec.run) : null;
    const resume = a.reused === 0 ? [] : await this.repo.allTrials(id);
    if (a.finished) return;
    const input: WorkerInput = { spec: a.spec, series, resume };
    const w = startWorkerBeside(import.meta.url, 'optimizationWorker', { workerData: input, transferList: buffersOf(series) });
    a.worker = w;
    w.on('message', (m: WorkerMessage) => this.onMessage(id, a, m));
    w.on('error', (e) => void this.finish(id, a, { status: 'failed', error: `PI5_ERR_INTERNAL: optimization worker failed: ${e.message}` }));
    w.on('exit', (code) => void this.finish(id, a, { status: 'failed', error: `PI5_ERR_INTERNAL: optimization worker exited (code ${code}) without a result` }));
  }

  private onMessage(id: number, a: Active, m: WorkerMessage): void {
    if (a.finished) return;
    if (m.kind === 'trials') {
      const seq = a.written;
      a.written += m.trials.length;
      a.writes = a.writes.then(() => this.repo.addTrials(id, seq, m.trials)).catch((e: unknown) => this.log.error('optimization trials not saved', { id, error: errorText(e) }));
    } else if (m.kind === 'progress') {
      [a.progress, a.trials, a.bestObjective] = [m.progress, m.trials, m.bestObjective];
      this.emit({ id, status: 'running', progress: a.progress, trials: a.trials, bestObjective: a.bestObjective, error: null, trialsReused: a.reused });
      const now = Date.now();
      if (now - a.lastWrite < this.progressWriteMs) return;
      a.lastWrite = now;
      this.repo.setProgress(id, a.progress, a.trials, a.bestObjective).catch((e: unknown) => this.log.warn('optimization progress not saved', { id, error: errorText(e) }));
    } else if (m.kind === 'done') {
      [a.trials, a.bestObjective, a.reused] = [m.trials, m.bestObjective, m.reused];
      void this.finish(id, a, { status: 'done', result: m.resultJson, html: m.html, reused: m.reused });
    } else {
      void this.finish(id, a, { status: 'failed', error: `${m.code}: ${m.message}` });
    }
  }

  /** Ends a run once: stops its thread, waits for its trial writes, records the outcome, frees the slot. */
  private async finish(id: number, a: Active, end: Ending): Promise<void> {
    if (a.finished) return a.settled;
    a.finished = true;
    try {
      await a.worker?.terminate();
      await a.writes;
      const out = end.status === 'done' ? { result: end.result, html: end.html, reused: end.reused } : end.error === undefined ? {} : { error: end.error };
      await this.repo.finish(id, end.status, { ...out, trials: a.written, bestObjective: a.bestObjective });
      if (end.status === 'failed') this.log.warn('optimization failed', { id, error: end.error });
    } catch (e) {
      this.log.error('optimization outcome not saved', { id, status: end.status, error: errorText(e) });
    } finally {
      this.active.delete(id);
      this.queue.release(id);
      const error = end.status === 'done' ? null : (end.error ?? null);
      this.emit({ id, status: end.status, progress: end.status === 'done' ? 1 : a.progress, trials: a.written, bestObjective: a.bestObjective, error, trialsReused: a.reused });
      a.settle();
      this.pump();
    }
  }
}
