// The storage side of backtest jobs: rows of backtest_runs as jobs, where a run's bars come from, and how its
// worker thread is started. Bars from the store are read here on the main thread (an embedded PGlite can only
// be opened once per process) and handed to the worker.

import type { Worker } from 'node:worker_threads';
import { Pi5Error } from '../../core/errors.js';
import { startWorkerBeside } from '../../core/workerBeside.js';
import type { BarSeries } from '../../model/barSeries.js';
import type { BarStore, StoredSeries } from '../../persistence/barStore.js';
import { planStoreRead as planStore, type SeriesRequest, type StorePlan } from '../../persistence/storeSeries.js';
import { readRunBars } from '../../persistence/runBars.js';
import type { Database } from '../../persistence/database.js';
import type { BacktestSpec, WorkerInput } from './backtestRequest.js';

function storeRequest(spec: BacktestSpec): SeriesRequest {
  return { symbols: spec.symbols, timeframe: spec.timeframe, ...(spec.from === null ? {} : { from: spec.from }), ...(spec.to === null ? {} : { to: spec.to }) };
}

const HINT = 'import them with pi5 data import, or run on source "demo"';

/** Throws PI5_ERR_NO_DATA (a 400) when a symbol has neither the run's timeframe nor a finer one stored. */
export function planStoreRead(spec: BacktestSpec, stored: readonly StoredSeries[]): StorePlan {
  return planStore(storeRequest(spec), stored, HINT);
}

/** The run's bars, in the order of spec.symbols, adjusted as asked: readRunBars, the one loader pi5 backtest also uses. */
export async function readStoreSeries(db: Database, bars: BarStore, spec: BacktestSpec): Promise<BarSeries[]> {
  return readRunBars(db, bars, { ...storeRequest(spec), adjustment: spec.adjust, hint: HINT });
}

/** The columns' buffers, each once: moved to the worker instead of copied (the main thread drops them). */
export function buffersOf(series: readonly BarSeries[] | null): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const s of series ?? []) {
    for (const col of [s.ts, s.open, s.high, s.low, s.close, s.volume]) if (col.buffer instanceof ArrayBuffer) seen.add(col.buffer);
  }
  return [...seen];
}

/** Starts backtestWorker next to this file, its bars transferred (not copied). */
export function startBacktestWorker(input: WorkerInput): Worker {
  return startWorkerBeside(import.meta.url, 'backtestWorker', { workerData: input, transferList: buffersOf(input.series) });
}

export const BACKTEST_STATUSES = ['queued', 'running', 'done', 'failed', 'canceled'] as const;
export type BacktestStatus = (typeof BACKTEST_STATUSES)[number];

export interface BacktestJob {
  readonly id: number;
  readonly strategy: string;
  readonly status: BacktestStatus;
  /** 0..1: bars replayed over bars in the run. */
  readonly progress: number;
  readonly config: Record<string, unknown>;
  readonly metrics: Record<string, number | null> | null;
  readonly error: string | null;
  readonly userId: number | null;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

/** A backtest_runs row as selected with JOB_COLUMNS. */
export interface JobRow {
  id: number;
  strategy_ref: string;
  status: BacktestStatus;
  progress: number;
  config: Record<string, unknown>;
  metrics: Record<string, number | null> | null;
  error: string | null;
  user_id: number | null;
  created_ms: number;
  started_ms: number | null;
  finished_ms: number | null;
}

export const JOB_COLUMNS = `id::int as id, strategy_ref, status, progress, config, metrics, error, user_id::int as user_id,
  (extract(epoch from created_at) * 1000)::float8 as created_ms, (extract(epoch from started_at) * 1000)::float8 as started_ms,
  (extract(epoch from finished_at) * 1000)::float8 as finished_ms`;

export function firstRow<T>(rows: readonly T[], what: string): T {
  const r = rows[0];
  if (r === undefined) throw new Pi5Error('PI5_ERR_INTERNAL', `backtest_runs ${what} returned no row`);
  return r;
}

export function toJob(r: JobRow): BacktestJob {
  return {
    id: r.id,
    strategy: r.strategy_ref,
    status: r.status,
    progress: r.progress,
    config: r.config,
    metrics: r.metrics,
    error: r.error,
    userId: r.user_id,
    createdAt: r.created_ms,
    startedAt: r.started_ms,
    finishedAt: r.finished_ms,
  };
}
