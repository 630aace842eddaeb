// A pool of worker threads that run trials: the bars are shared with every worker once (SharedArrayBuffer),
// each worker loads the strategy once, and batches are cut into small chunks that idle workers pull, so a
// slow trial does not hold the others back. Closing the pool terminates the workers (cancellation).

import type { Worker } from 'node:worker_threads';
import { Pi5Error, type ErrorCode, ERROR_CODES } from '../core/errors.js';
import type { Evaluator } from './optimizer.js';
import type { BarCut, PoolSetup, TrialReply, TrialRequest, WorkerReply } from './poolProtocol.js';
import { shareSeries } from './sharedSeries.js';
import type { ParamPoint } from './space.js';
import { startWorkerBeside } from '../core/workerBeside.js';
import { scoreTrial, type Trial, type TrialBase, type TrialRules } from './trial.js';

interface Slot {
  readonly worker: Worker;
  pending: { resolve: (t: readonly TrialReply[]) => void; reject: (e: Error) => void } | null;
}

function asError(m: { code: string; message: string }): Pi5Error {
  const code: ErrorCode = m.code in ERROR_CODES ? (m.code as ErrorCode) : 'PI5_ERR_INTERNAL';
  return new Pi5Error(code, m.message);
}

export class TrialPool {
  private closed = false;
  private failure: Error | null = null;

  /** runOne's free workers and its callers waiting for one. */
  private readonly idle: Slot[];
  private readonly waiting: ((slot: Slot) => void)[] = [];

  private constructor(private readonly slots: readonly Slot[]) {
    this.idle = [...slots];
  }

  get size(): number {
    return this.slots.length;
  }

  /** Starts `workers` threads and waits until each has loaded the strategy. */
  static async start(setup: PoolSetup, workers: number): Promise<TrialPool> {
    const slots: Slot[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < workers; i++) {
      const worker = startWorkerBeside(import.meta.url, 'poolWorker', { workerData: setup });
      const slot: Slot = { worker, pending: null };
      slots.push(slot);
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.once('message', (m: WorkerReply) => (m.kind === 'ready' ? resolve() : reject(m.kind === 'failed' ? asError(m) : new Error('worker spoke out of turn'))));
          worker.once('error', reject);
        }),
      );
    }
    const pool = new TrialPool(slots);
    try {
      await Promise.all(ready);
    } catch (e) {
      await pool.close();
      throw e;
    }
    for (const s of slots) pool.listen(s);
    return pool;
  }

  private listen(slot: Slot): void {
    slot.worker.on('message', (m: WorkerReply) => {
      const p = slot.pending;
      slot.pending = null;
      if (m.kind === 'done') p?.resolve(m.trials);
      else if (m.kind === 'failed') p?.reject(asError(m));
    });
    const lost = (why: string): void => {
      this.failure ??= new Pi5Error('PI5_ERR_INTERNAL', `optimizer worker ${why}`);
      slot.pending?.reject(this.failure);
      slot.pending = null;
    };
    slot.worker.on('error', (e) => lost(`failed: ${e.message}`));
    slot.worker.on('exit', (code) => {
      if (!this.closed) lost(`exited (code ${code})`);
    });
  }

  private run(slot: Slot, chunk: readonly TrialRequest[]): Promise<readonly TrialReply[]> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Pi5Error('PI5_ERR_CONFLICT', 'the optimizer pool is closed'));
    return new Promise((resolve, reject) => {
      slot.pending = { resolve, reject };
      slot.worker.postMessage(chunk);
    });
  }

  /** Runs every request, each worker pulling the next chunk when it is free; results in request order. */
  async runAll(requests: readonly TrialRequest[]): Promise<TrialReply[]> {
    const chunk = Math.max(1, Math.ceil(requests.length / (this.slots.length * 4)));
    const chunks: TrialRequest[][] = [];
    for (let i = 0; i < requests.length; i += chunk) chunks.push(requests.slice(i, i + chunk));
    const out: TrialReply[] = [];
    let next = 0;
    const drain = async (slot: Slot): Promise<void> => {
      while (next < chunks.length) {
        const c = chunks[next++] as TrialRequest[];
        out.push(...(await this.run(slot, c)));
      }
    };
    await Promise.all(this.slots.map(drain));
    return out.sort((a, b) => a.id - b.id);
  }

  /**
   * Runs one request on the next free worker (queued while all are busy): for callers that receive trials one
   * at a time, such as a distributed worker's jobs. Not to be mixed with runAll on the same pool.
   */
  async runOne(request: TrialRequest): Promise<TrialReply> {
    const slot = this.idle.pop() ?? (await new Promise<Slot>((give) => this.waiting.push(give)));
    try {
      const [reply] = await this.run(slot, [request]);
      if (reply === undefined) throw new Pi5Error('PI5_ERR_INTERNAL', 'optimizer worker answered a trial with nothing');
      return reply;
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next(slot);
      else this.idle.push(slot);
    }
  }

  /** Scores batches on the workers; with `cut`, on the shared bars of that span only (a walk-forward in-sample window). */
  evaluator(rules: TrialRules, cut?: BarCut): Evaluator {
    return async (batch) => {
      const replies = await this.runAll(cut === undefined ? batch : batch.map((r) => ({ ...r, cut })));
      return replies.map((r): Trial => scoreTrial(r.id, r.point, r.params, r.metrics, rules));
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** What the workers need, from a trial base and the reference (id or module path) the strategy was loaded by. */
export function poolSetup(base: TrialBase, strategyRef: string, fixed: ParamPoint): PoolSetup {
  const { series, strategy: _strategy, log: _log, benchmark: _benchmark, riskStore: _riskStore, size, commission, slippage, ...portable } = base;
  const specs = { size: size?.text, commission: commission?.text, slippage: slippage?.text };
  return { strategy: strategyRef, series: series.map(shareSeries), base: portable, specs, fixed };
}
