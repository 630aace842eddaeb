// Optimization runs and their trials (tables optimization_runs, optimization_trials): written by the API's
// optimization jobs as trials arrive and by `pi5 optimize --store` once a run ends; read by the API (runs,
// result, report, trials sorted by any metric and paged).

import { Pi5Error } from '../../core/errors.js';
import type { Queryable } from '../database.js';

export const OPTIMIZATION_STATUSES = ['queued', 'running', 'done', 'failed', 'canceled', 'interrupted'] as const;
export type OptimizationStatus = (typeof OPTIMIZATION_STATUSES)[number];
export type OptimizationOrigin = 'api' | 'cli';

export interface OptimizationRunRecord {
  readonly id: number;
  readonly strategy: string;
  readonly method: string;
  readonly objective: string;
  readonly origin: OptimizationOrigin;
  readonly status: OptimizationStatus;
  /** 0..1: trials (or walk-forward windows) done over those planned. */
  readonly progress: number;
  readonly trials: number;
  readonly trialsPlanned: number | null;
  /** The best feasible objective so far (null before one). */
  readonly bestObjective: number | null;
  readonly config: Record<string, unknown>;
  readonly error: string | null;
  readonly userId: number | null;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  /** Times the run was resumed after a restart, and the stored trials the last resume reused (not run again). */
  readonly resumes: number;
  readonly trialsReused: number;
}

type ParamValueJson = number | string | boolean;

export interface HeatmapQuery {
  /** Searched parameters across and down. */
  readonly x: string;
  readonly y: string;
  readonly window?: number;
}

/** Rows and columns a heatmap axis gets at most before its numeric values are binned. */
export const HEATMAP_BINS = 40;

/** Equal bins of a numeric axis: bin k is [from + k·width, from + (k+1)·width), the last one closed. */
export interface HeatBin {
  readonly from: number;
  readonly width: number;
}

export interface HeatmapCells {
  readonly cells: HeatCell[];
  readonly trials: number;
  readonly bins: { readonly x: HeatBin | null; readonly y: HeatBin | null };
}

export interface HeatCell {
  readonly x: ParamValueJson;
  readonly y: ParamValueJson;
  /** The best feasible objective of the trials at this pair of values; null when none was feasible. */
  readonly objective: number | null;
  readonly trials: number;
}

/** One trial as stored: `params` the strategy saw, `point` the searched ones; non-finite numbers as null. */
export interface StoredTrial {
  /** Walk-forward window (0-based), null for a plain search. */
  readonly window: number | null;
  readonly id: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly point: Readonly<Record<string, unknown>>;
  readonly objective: number | null;
  readonly feasible: boolean;
  readonly violated: readonly string[];
  readonly metrics: Readonly<Record<string, number | null>>;
}

export interface NewOptimizationRun {
  readonly strategy: string;
  readonly method: string;
  readonly objective: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly origin: OptimizationOrigin;
  readonly userId: number | null;
  readonly trialsPlanned: number | null;
  /** The checked request (API runs): what a later process needs to resume the run. */
  readonly request?: Readonly<Record<string, unknown>>;
}

/** An API run a stopped process left unfinished, with the request it was created from. */
export interface UnfinishedRun {
  readonly id: number;
  readonly request: Record<string, unknown>;
  /** Trials it stored before the stop (the ones a resumed run reuses). */
  readonly stored: number;
}

export interface RunListQuery {
  readonly limit: number;
  readonly offset: number;
  readonly status?: OptimizationStatus;
  readonly strategy?: string;
}

export interface TrialQuery {
  readonly limit: number;
  readonly offset: number;
  /** `trial`, `objective` or a metric name (the caller checks it is one). */
  readonly sort: string;
  readonly dir: 'asc' | 'desc';
  readonly window?: number;
  readonly feasibleOnly?: boolean;
}

interface RunRow {
  id: number;
  strategy_ref: string;
  method: string;
  objective: string;
  origin: OptimizationOrigin;
  status: OptimizationStatus;
  progress: number;
  trials_done: number;
  trials_planned: number | null;
  best_objective: number | null;
  config: Record<string, unknown>;
  error: string | null;
  user_id: number | null;
  created_ms: number;
  started_ms: number | null;
  finished_ms: number | null;
  resumes: number;
  trials_reused: number;
}

const RUN_COLUMNS = `id::int as id, strategy_ref, method, objective, origin, status, progress, trials_done, trials_planned, best_objective, config, error,
  user_id::int as user_id, (extract(epoch from created_at) * 1000)::float8 as created_ms, (extract(epoch from started_at) * 1000)::float8 as started_ms,
  (extract(epoch from finished_at) * 1000)::float8 as finished_ms, resumes, trials_reused`;

function toRecord(r: RunRow): OptimizationRunRecord {
  return {
    id: r.id, strategy: r.strategy_ref, method: r.method, objective: r.objective, origin: r.origin, status: r.status, progress: r.progress,
    trials: r.trials_done, trialsPlanned: r.trials_planned, bestObjective: r.best_objective, config: r.config, error: r.error, userId: r.user_id,
    createdAt: r.created_ms, startedAt: r.started_ms, finishedAt: r.finished_ms, resumes: r.resumes, trialsReused: r.trials_reused,
  };
}

interface TrialRow {
  wf_window: number | null;
  trial: number;
  params: Record<string, unknown>;
  point: Record<string, unknown>;
  objective: number | null;
  feasible: boolean;
  violated: string[];
  metrics: Record<string, number | null>;
}

function trialOf(r: TrialRow): StoredTrial {
  return { window: r.wf_window, id: r.trial, params: r.params, point: r.point, objective: r.objective, feasible: r.feasible, violated: r.violated, metrics: r.metrics };
}

const TRIAL_COLUMNS = 10;
/** Rows per insert: well under PostgreSQL's 65,535 bind parameters. */
const TRIAL_BATCH = 500;
const UNFINISHED = `status in ('queued', 'running')`;

export class OptimizationRunRepository {
  constructor(private readonly db: Queryable) {}

  async create(run: NewOptimizationRun): Promise<OptimizationRunRecord> {
    const rows = await this.db.query<RunRow>(
      `insert into optimization_runs (strategy_ref, method, objective, config, origin, user_id, trials_planned, request) values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8::jsonb) returning ${RUN_COLUMNS}`,
      [run.strategy, run.method, run.objective, JSON.stringify(run.config), run.origin, run.userId, run.trialsPlanned, run.request === undefined ? null : JSON.stringify(run.request)],
    );
    const row = rows[0];
    if (row === undefined) throw new Pi5Error('PI5_ERR_INTERNAL', 'optimization_runs insert returned no row');
    return toRecord(row);
  }

  /** queued → running; false when the run is no longer queued (ended meanwhile). */
  async markRunning(id: number): Promise<boolean> {
    const rows = await this.db.query(`update optimization_runs set status = 'running', started_at = coalesce(started_at, now()) where id = $1 and status = 'queued' returning id`, [id]);
    return rows.length > 0;
  }

  /** Appends trials; `seq` numbers them in arrival order across walk-forward windows. A repeated seq is ignored (idempotent). */
  async addTrials(runId: number, firstSeq: number, trials: readonly StoredTrial[]): Promise<void> {
    for (let at = 0; at < trials.length; at += TRIAL_BATCH) {
      const part = trials.slice(at, at + TRIAL_BATCH);
      const args: unknown[] = [];
      const values = part.map((t, i) => {
        const b = i * TRIAL_COLUMNS;
        args.push(runId, firstSeq + at + i, t.window, t.id, JSON.stringify(t.params), JSON.stringify(t.point), t.objective, t.feasible, JSON.stringify(t.violated), JSON.stringify(t.metrics));
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::jsonb, $${b + 6}::jsonb, $${b + 7}, $${b + 8}, $${b + 9}::jsonb, $${b + 10}::jsonb)`;
      });
      await this.db.query(
        `insert into optimization_trials (run_id, seq, wf_window, trial, params, point, objective, feasible, violated, metrics) values ${values.join(', ')} on conflict do nothing`,
        args,
      );
    }
  }

  async setProgress(id: number, progress: number, trials: number, bestObjective: number | null): Promise<void> {
    await this.db.query(`update optimization_runs set progress = $2, trials_done = $3, best_objective = $4 where id = $1 and status = 'running'`, [id, progress, trials, bestObjective]);
  }

  /** Ends a queued or running run once; false when it had already ended. */
  async finish(
    id: number,
    status: Exclude<OptimizationStatus, 'queued' | 'running'>,
    out: { result?: string; html?: string; error?: string; trials?: number; bestObjective?: number | null; reused?: number },
  ): Promise<boolean> {
    const done = status === 'done';
    const rows = await this.db.query(
      `update optimization_runs set status = $2, progress = case when $2 = 'done' then 1 else progress end, result = $3::jsonb, report_html = $4, error = $5,
         trials_done = coalesce($6, trials_done), best_objective = case when $7::boolean then $8 else best_objective end, trials_reused = coalesce($9, trials_reused), finished_at = now()
       where id = $1 and ${UNFINISHED} returning id`,
      [id, status, done ? (out.result ?? null) : null, done ? (out.html ?? null) : null, out.error ?? null, out.trials ?? null, out.bestObjective !== undefined, out.bestObjective ?? null, out.reused ?? null],
    );
    return rows.length > 0;
  }

  /**
   * API runs a stopped process left unfinished (queued, running, or interrupted by its shutdown) that carry
   * their request, oldest first: the ones a new process resumes.
   */
  async unfinished(interruptedError: string): Promise<UnfinishedRun[]> {
    return this.db.query<UnfinishedRun>(
      `select id::int as id, request, (select count(*)::int from optimization_trials t where t.run_id = r.id) as stored
         from optimization_runs r where origin = 'api' and request is not null and (${UNFINISHED} or (status = 'interrupted' and error = $1)) order by id`,
      [interruptedError],
    );
  }

  /** Puts an unfinished run back in the queue to be resumed, reusing `reused` stored trials. */
  async requeue(id: number, reused: number): Promise<void> {
    await this.db.query(
      `update optimization_runs set status = 'queued', error = null, finished_at = null, resumes = resumes + 1, trials_reused = $2, trials_done = $2 where id = $1`,
      [id, reused],
    );
  }

  /** Every stored trial of a run in arrival order (what a resumed run reuses). */
  async allTrials(runId: number): Promise<StoredTrial[]> {
    const rows = await this.db.query<TrialRow>(`select wf_window, trial, params, point, objective, feasible, violated, metrics from optimization_trials where run_id = $1 order by seq`, [runId]);
    return rows.map(trialOf);
  }

  /** Runs left queued or running by a process that stopped, with no request to resume them by: marked interrupted with `error`; returns their ids. */
  async markInterrupted(error: string): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>(`update optimization_runs set status = 'interrupted', error = $1, finished_at = now() where ${UNFINISHED} and request is null returning id::int as id`, [error]);
    return rows.map((r) => r.id);
  }

  async get(id: number): Promise<OptimizationRunRecord> {
    const rows = await this.db.query<RunRow>(`select ${RUN_COLUMNS} from optimization_runs where id = $1`, [id]);
    const row = rows[0];
    if (row === undefined) throw new Pi5Error('PI5_ERR_NOT_FOUND', `no optimization ${id}`, { id });
    return toRecord(row);
  }

  /** Newest first. */
  async list(q: RunListQuery): Promise<{ items: OptimizationRunRecord[]; total: number }> {
    const where = `where ($1::text is null or status = $1) and ($2::text is null or strategy_ref = $2)`;
    const args = [q.status ?? null, q.strategy ?? null];
    const rows = await this.db.query<RunRow>(`select ${RUN_COLUMNS} from optimization_runs ${where} order by id desc limit $3 offset $4`, [...args, q.limit, q.offset]);
    const count = await this.db.query<{ n: number }>(`select count(*)::int as n from optimization_runs ${where}`, args);
    return { items: rows.map(toRecord), total: count[0]?.n ?? 0 };
  }

  /** A page of a run's trials sorted by `sort` (nulls last either way, ties in arrival order). */
  async trials(runId: number, q: TrialQuery): Promise<{ items: StoredTrial[]; total: number }> {
    await this.get(runId);
    const dir = q.dir === 'asc' ? 'asc' : 'desc';
    const where = `where run_id = $1 and ($2::int is null or wf_window = $2) and (not $3::boolean or feasible)`;
    const args = [runId, q.window ?? null, q.feasibleOnly === true];
    const key = `case $4::text when 'trial' then trial::float8 when 'objective' then objective else (metrics ->> $4::text)::float8 end`;
    const rows = await this.db.query<TrialRow>(
      `select wf_window, trial, params, point, objective, feasible, violated, metrics from optimization_trials ${where} order by ${key} ${dir} nulls last, seq limit $5 offset $6`,
      [...args, q.sort, q.limit, q.offset],
    );
    const count = await this.db.query<{ n: number }>(`select count(*)::int as n from optimization_trials ${where}`, args);
    return { items: rows.map(trialOf), total: count[0]?.n ?? 0 };
  }

  /**
   * The objective over two searched parameters, aggregated over every stored trial (not a page of them): one
   * cell per pair of values the trials took, with its best feasible objective (null when none was feasible)
   * and its number of trials. A numeric parameter with more than HEATMAP_BINS distinct values (a continuous
   * range searched at random) is cut into HEATMAP_BINS equal bins, each cell keyed by its bin's lower edge.
   * Cells sorted by x then y (numbers as numbers).
   */
  async heatmap(runId: number, q: HeatmapQuery): Promise<HeatmapCells> {
    await this.get(runId);
    const where = `where run_id = $1 and ($2::int is null or wf_window = $2) and point ? $3::text and point ? $4::text`;
    const scope = [runId, q.window ?? null, q.x, q.y];
    const [bx, by] = [await this.binOf(where, scope, '$3'), await this.binOf(where, scope, '$4')];
    // A bin's lower edge: floor((v - lo) / width), the top value kept in the last bin.
    const args: unknown[] = [...scope];
    const key = (param: string, b: HeatBin | null): string => {
      if (b === null) return `point -> ${param}::text`;
      args.push(b.from, b.width);
      const [lo, width] = [`$${args.length - 1}::float8`, `$${args.length}::float8`];
      return `to_jsonb(${lo} + ${width} * least(floor(((point ->> ${param}::text)::float8 - ${lo}) / ${width}), ${HEATMAP_BINS - 1}))`;
    };
    const [kx, ky] = [key('$3', bx), key('$4', by)];
    const rows = await this.db.query<{ x: ParamValueJson; y: ParamValueJson; best: number | null; n: number }>(
      `select ${kx} as x, ${ky} as y, max(objective) filter (where feasible and objective is not null) as best, count(*)::int as n
       from optimization_trials ${where} group by 1, 2 order by 1, 2`,
      args,
    );
    return { cells: rows.map((r) => ({ x: r.x, y: r.y, objective: r.best, trials: r.n })), trials: rows.reduce((a, r) => a + r.n, 0), bins: { x: bx, y: by } };
  }

  /** The bins of a parameter with too many distinct numeric values; null when it is shown value by value. */
  private async binOf(where: string, scope: readonly unknown[], param: string): Promise<HeatBin | null> {
    const rows = await this.db.query<{ n: number; numeric: boolean | null; lo: number | null; hi: number | null }>(
      `select count(distinct point -> ${param}::text)::int as n, bool_and(jsonb_typeof(point -> ${param}::text) = 'number') as numeric,
       min((point ->> ${param}::text)::float8) filter (where jsonb_typeof(point -> ${param}::text) = 'number') as lo,
       max((point ->> ${param}::text)::float8) filter (where jsonb_typeof(point -> ${param}::text) = 'number') as hi
       from optimization_trials ${where}`,
      [...scope],
    );
    const r = rows[0];
    if (r === undefined || r.n <= HEATMAP_BINS || r.numeric !== true || r.lo === null || r.hi === null || !(r.hi > r.lo)) return null;
    return { from: r.lo, width: (r.hi - r.lo) / HEATMAP_BINS };
  }

  /** The stored result JSON text or HTML report of a finished run; PI5_ERR_CONFLICT until it is done. */
  async output(id: number, what: 'result' | 'report'): Promise<string> {
    const expr = what === 'result' ? 'result::text' : 'report_html';
    const rows = await this.db.query<{ status: OptimizationStatus; out: string | null }>(`select status, ${expr} as out from optimization_runs where id = $1`, [id]);
    const row = rows[0];
    if (row === undefined) throw new Pi5Error('PI5_ERR_NOT_FOUND', `no optimization ${id}`, { id });
    if (row.status !== 'done') throw new Pi5Error('PI5_ERR_CONFLICT', `optimization ${id} is ${row.status}; its ${what} is there once it is done`, { id, status: row.status });
    if (row.out === null) throw new Pi5Error('PI5_ERR_NOT_FOUND', `optimization ${id} has no stored ${what}`, { id });
    return row.out;
  }
}
