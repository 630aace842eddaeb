// Backtests requested over the API: a queue persisted in backtest_runs, run `concurrency` at a time (one by
// default, so a Pi stays responsive) each on its own worker thread, with progress, cancel, the stored §12
// result JSON and the rendered HTML report. Listeners get every progress and status change (WebSocket feed).

import type { Worker } from 'node:worker_threads';
import { isPi5Error, Pi5Error } from '../../core/errors.js';
import { createLogger, type Logger } from '../../core/log.js';
import { BarStore } from '../../persistence/barStore.js';
import type { Database } from '../../persistence/database.js';
import { firstRow, JOB_COLUMNS, planStoreRead, readStoreSeries, startBacktestWorker, toJob, type BacktestJob, type BacktestStatus, type JobRow } from './backtestData.js';
import { ProgressListeners, RunQueue } from './runQueue.js';
import { checkBacktestRequest, specJson, type BacktestSpec, type WorkerMessage } from './backtestRequest.js';

export { BACKTEST_STATUSES, type BacktestJob, type BacktestStatus } from './backtestData.js';
export type { BacktestRequest, BacktestSpec } from './backtestRequest.js';

export interface BacktestProgressEvent {
  readonly id: number;
  readonly status: BacktestStatus;
  readonly progress: number;
  readonly error: string | null;
}

export type BacktestListener = (e: BacktestProgressEvent) => void;

export interface BacktestListQuery {
  readonly limit: number;
  readonly offset: number;
  readonly status?: BacktestStatus;
  readonly strategy?: string;
}

export interface BacktestJobsOptions {
  readonly db: Database;
  /** Default: a BarStore over the same database. */
  readonly bars?: BarStore;
  /** Default: warnings and errors to stderr. */
  readonly log?: Logger;
  /** Runs at once (default 1). */
  readonly concurrency?: number;
  /** Least time between progress writes to the table (default 1000 ms); listeners get every update. */
  readonly progressWriteMs?: number;
}

/** A run this process owns (queued or running). */
interface Active {
  readonly spec: BacktestSpec;
  worker: Worker | null;
  progress: number;
  lastWrite: number;
  /** Set synchronously by whoever ends the run first, so a late worker message cannot end it twice. */
  finished: boolean;
  readonly settled: Promise<void>;
  readonly settle: () => void;
}

export const INTERRUPTED_ERROR = 'PI5_ERR_INTERNAL: the server stopped before this run finished; start it again';

export class BacktestJobs {
  private readonly db: Database;
  private readonly bars: BarStore;
  private readonly log: Logger;
  private readonly progressWriteMs: number;
  private readonly active = new Map<number, Active>();
  private readonly queue: RunQueue;
  private closed = false;
  private readonly listeners: ProgressListeners<BacktestProgressEvent>;

  constructor(opts: BacktestJobsOptions) {
    this.db = opts.db;
    this.bars = opts.bars ?? new BarStore(opts.db);
    this.log = opts.log ?? createLogger('warn');
    this.queue = new RunQueue(opts.concurrency);
    this.listeners = new ProgressListeners(this.log, 'backtest');
    this.progressWriteMs = opts.progressWriteMs ?? 1000;
  }

  /** At start-up: marks runs left queued or running by an earlier (crashed) process as failed; returns how many. */
  async failInterrupted(): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `update backtest_runs set status = 'failed', error = $1, finished_at = now() where status in ('queued', 'running') returning id::int as id`,
      [INTERRUPTED_ERROR],
    );
    if (rows.length > 0) this.log.warn('backtests interrupted by a restart marked failed', { ids: rows.map((r) => r.id) });
    return rows.length;
  }

  /** Calls listener on every status change and progress update; returns the unsubscribe function. */
  onProgress(listener: BacktestListener): () => void {
    return this.listeners.add(listener);
  }

  /** Checks and queues a run; throws PI5_ERR_* (4xx) for a bad request or missing data. */
  async start(request: unknown, userId: number | null): Promise<BacktestJob> {
    if (this.closed) throw new Pi5Error('PI5_ERR_CONFLICT', 'the backtest runner is shutting down');
    const spec = checkBacktestRequest(request);
    if (spec.source === 'store') planStoreRead(spec, await this.bars.list());
    const rows = await this.db.query<JobRow>(`insert into backtest_runs (strategy_ref, config, user_id) values ($1, $2::jsonb, $3) returning ${JOB_COLUMNS}`, [
      spec.strategy,
      JSON.stringify(specJson(spec)),
      userId,
    ]);
    const job = toJob(firstRow(rows, 'insert'));
    let settle = (): void => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.active.set(job.id, { spec, worker: null, progress: 0, lastWrite: 0, finished: false, settled, settle });
    this.queue.enqueue(job.id);
    this.emit({ id: job.id, status: 'queued', progress: 0, error: null });
    this.pump();
    return job;
  }

  async get(id: number): Promise<BacktestJob> {
    const rows = await this.db.query<JobRow>(`select ${JOB_COLUMNS} from backtest_runs where id = $1`, [id]);
    const row = rows[0];
    if (row === undefined) throw new Pi5Error('PI5_ERR_NOT_FOUND', `no backtest ${id}`, { id });
    const a = this.active.get(id);
    // Progress lives in memory while the run goes (the table gets it at most once per progressWriteMs).
    return a !== undefined && row.status === 'running' ? { ...toJob(row), progress: a.progress } : toJob(row);
  }

  /** Newest first. */
  async list(q: BacktestListQuery): Promise<{ items: BacktestJob[]; total: number }> {
    const where = `where ($1::text is null or status = $1) and ($2::text is null or strategy_ref = $2)`;
    const args = [q.status ?? null, q.strategy ?? null];
    const rows = await this.db.query<JobRow>(`select ${JOB_COLUMNS} from backtest_runs ${where} order by id desc limit $3 offset $4`, [...args, q.limit, q.offset]);
    const count = await this.db.query<{ n: number }>(`select count(*)::int as n from backtest_runs ${where}`, args);
    return { items: rows.map((r) => this.withLiveProgress(toJob(r))), total: count[0]?.n ?? 0 };
  }

  /** The §12 result JSON as text (as stored); PI5_ERR_CONFLICT until the run is done. */
  async result(id: number): Promise<string> {
    return this.finishedColumn(id, 'result::text', 'result');
  }

  /** The self-contained HTML report; PI5_ERR_CONFLICT until the run is done. */
  async htmlReport(id: number): Promise<string> {
    return this.finishedColumn(id, 'report_html', 'report');
  }

  /** Stops a queued or running run (its worker is terminated); PI5_ERR_CONFLICT once it has ended. */
  async cancel(id: number): Promise<BacktestJob> {
    const a = this.active.get(id);
    if (a !== undefined && !a.finished) {
      this.queue.remove(id);
      await this.finish(id, a, 'canceled', {});
      return this.get(id);
    }
    await a?.settled;
    const job = await this.get(id);
    throw new Pi5Error('PI5_ERR_CONFLICT', `backtest ${id} is ${job.status} and cannot be canceled`, { id, status: job.status });
  }

  /** Resolves when the run has ended (done, failed or canceled), with its final state. */
  async settled(id: number): Promise<BacktestJob> {
    await this.active.get(id)?.settled;
    return this.get(id);
  }

  /** Refuses new runs and ends the ones in flight as interrupted (failed), terminating their workers. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.clear();
    await Promise.all([...this.active].map(([id, a]) => this.finish(id, a, 'failed', { error: INTERRUPTED_ERROR })));
    this.listeners.clear();
  }

  private withLiveProgress(job: BacktestJob): BacktestJob {
    const a = this.active.get(job.id);
    return a !== undefined && job.status === 'running' ? { ...job, progress: a.progress } : job;
  }

  private async finishedColumn(id: number, expr: string, what: string): Promise<string> {
    const rows = await this.db.query<{ status: BacktestStatus; out: string | null }>(`select status, ${expr} as out from backtest_runs where id = $1`, [id]);
    const row = rows[0];
    if (row === undefined) throw new Pi5Error('PI5_ERR_NOT_FOUND', `no backtest ${id}`, { id });
    if (row.status !== 'done') throw new Pi5Error('PI5_ERR_CONFLICT', `backtest ${id} is ${row.status}; its ${what} is there once it is done`, { id, status: row.status });
    if (row.out === null) throw new Pi5Error('PI5_ERR_NOT_FOUND', `backtest ${id} has no stored ${what}`, { id });
    return row.out;
  }

  private emit(e: BacktestProgressEvent): void {
    this.listeners.emit(e);
  }

  private pump(): void {
    if (this.closed) return;
    this.queue.pump(
      (id) => this.active.get(id)?.finished === false,
      (id) => {
        const a = this.active.get(id) as Active;
        this.launch(id, a).catch((e: unknown) => this.finish(id, a, 'failed', { error: errorText(e) }));
      },
    );
  }

  private async launch(id: number, a: Active): Promise<void> {
    const rows = await this.db.query(`update backtest_runs set status = 'running', started_at = now() where id = $1 and status = 'queued' returning id`, [id]);
    if (a.finished) return;
    // Ended behind our back (another process's start-up marked it failed): only the slot needs freeing.
    if (rows.length === 0) return this.finish(id, a, 'failed', { error: 'PI5_ERR_CONFLICT: the run was no longer queued when its turn came' });
    this.emit({ id, status: 'running', progress: 0, error: null });
    const series = a.spec.source === 'store' ? await readStoreSeries(this.db, this.bars, a.spec) : null;
    if (a.finished) return;
    const w = startBacktestWorker({ spec: a.spec, series });
    a.worker = w;
    w.on('message', (m: WorkerMessage) => this.onMessage(id, a, m));
    w.on('error', (e) => void this.finish(id, a, 'failed', { error: `PI5_ERR_INTERNAL: backtest worker failed: ${e.message}` }));
    w.on('exit', (code) => void this.finish(id, a, 'failed', { error: `PI5_ERR_INTERNAL: backtest worker exited (code ${code}) without a result` }));
  }

  private onMessage(id: number, a: Active, m: WorkerMessage): void {
    if (a.finished) return;
    if (m.kind === 'done') {
      void this.finish(id, a, 'done', { result: m.resultJson, metrics: m.metrics, html: m.html });
    } else if (m.kind === 'failed') {
      void this.finish(id, a, 'failed', { error: `${m.code}: ${m.message}` });
    } else {
      a.progress = m.total > 0 ? Math.min(1, m.done / m.total) : 0;
      this.emit({ id, status: 'running', progress: a.progress, error: null });
      const now = Date.now();
      if (now - a.lastWrite < this.progressWriteMs) return;
      a.lastWrite = now;
      this.db.query(`update backtest_runs set progress = $2 where id = $1 and status = 'running'`, [id, a.progress]).catch((e: unknown) => {
        this.log.warn('backtest progress not saved', { id, error: errorText(e) });
      });
    }
  }

  /** Ends a run once: records the outcome, stops the worker, frees its slot and starts the next queued run. */
  private async finish(id: number, a: Active, status: 'done' | 'failed' | 'canceled', out: { result?: string; metrics?: Record<string, number | null>; html?: string; error?: string }): Promise<void> {
    if (a.finished) return a.settled;
    a.finished = true;
    try {
      const done = status === 'done';
      await this.db.query(
        `update backtest_runs set status = $2, progress = case when $2 = 'done' then 1 else progress end, result = $3::jsonb, metrics = $4::jsonb,
           report_html = $5, error = $6, finished_at = now() where id = $1 and status in ('queued', 'running')`,
        [id, status, done ? (out.result ?? null) : null, done && out.metrics ? JSON.stringify(out.metrics) : null, done ? (out.html ?? null) : null, out.error ?? null],
      );
      if (status === 'failed') this.log.warn('backtest failed', { id, error: out.error });
    } catch (e) {
      this.log.error('backtest outcome not saved', { id, status, error: errorText(e) });
    } finally {
      await a.worker?.terminate();
      this.active.delete(id);
      this.queue.release(id);
      this.emit({ id, status, progress: status === 'done' ? 1 : a.progress, error: out.error ?? null });
      a.settle();
      this.pump();
    }
  }
}

/** An error as a run's stored `error`: its code and message (never a stack). */
export function errorText(e: unknown): string {
  if (isPi5Error(e)) return `${e.code}: ${e.message}`;
  return `PI5_ERR_INTERNAL: ${e instanceof Error ? e.message : String(e)}`;
}
