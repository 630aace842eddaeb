// A pool of worker threads that run trials: the bars are shared with every worker once (SharedArrayBuffer),
// each worker loads the strategy once, and batches are cut into chunks that shrink as the pool's work runs
// out (guided scheduling over every batch in flight), so a slow trial does not hold the others back. Each
// worker has its next chunk queued before it finishes the current one: it never waits for the main thread
// between chunks. Closing the pool terminates the workers (cancellation).

import type { Worker } from 'node:worker_threads';
import { Pi5Error, type ErrorCode, ERROR_CODES } from '../core/errors.js';
import type { Evaluator } from './optimizer.js';
import { unpackMetrics, type BarCut, type ChunkRequest, type PackedTrials, type PoolSetup, type TrialReply, type TrialRequest, type WorkerReply } from './poolProtocol.js';
import type { BarReturns, ReturnsSource } from './barReturns.js';
import { shareSeries } from './sharedSeries.js';
import type { ParamPoint } from './space.js';
import type { Metrics } from '../backtest/types.js';
import { startWorkerBeside } from '../core/workerBeside.js';
import { scoreTrial, type Trial, type TrialBase, type TrialRules } from './trial.js';

interface Slot {
  readonly worker: Worker;
  /** Chunks sent and not answered yet, oldest first (a worker answers in the order it was sent). */
  readonly pending: { resolve: (m: Answer) => void; reject: (e: Error) => void }[];
}

type Answer = Extract<WorkerReply, { kind: 'done' | 'returns' }>;

/** Largest chunk: big enough that a message per chunk costs nothing, small enough to balance a batch. */
const MAX_CHUNK = 64;

function asError(m: { code: string; message: string }): Pi5Error {
  const code: ErrorCode = m.code in ERROR_CODES ? (m.code as ErrorCode) : 'PI5_ERR_INTERNAL';
  return new Pi5Error(code, m.message);
}

export class TrialPool {
  private closed = false;
  private failure: Error | null = null;
  /**
   * Points not yet sent, over every runAll in progress. Chunks shrink with this, not with one batch's rest:
   * while the optimizer has the next batch running (grid, random), a batch's end is no end of work, and
   * cutting it into chunks of 1–3 points cost the workers and the main thread a message each.
   */
  private unsent = 0;

  /** runOne's free workers and its callers waiting for one. */
  private readonly idle: Slot[];
  private readonly waiting: ((slot: Slot) => void)[] = [];

  private constructor(private readonly slots: readonly Slot[]) {
    this.idle = [...slots];
  }

  get size(): number {
    return this.slots.length;
  }

  /**
   * Points to hand the pool at once: enough that each worker gets several chunks (fewer messages, fewer
   * batch ends). The search methods propose the same points whatever the batch, so results do not change.
   * 256 a worker, not 64: with 64, the 1,000-trial bench grid ran at ~3.0k trials/s on 2 workers against
   * ~4.0k with 256 and ~4.1k handing over the whole grid at once (2026-12-08, warm threads), the workers
   * stalling and re-warming at each batch's end. Progress is reported per batch, so this is also its step.
   */
  get batch(): number {
    return this.slots.length * 256;
  }

  /** Starts `workers` threads and waits until each has loaded the strategy. */
  static async start(setup: PoolSetup, workers: number): Promise<TrialPool> {
    const slots: Slot[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < workers; i++) {
      const worker = startWorkerBeside(import.meta.url, 'poolWorker', { workerData: setup });
      const slot: Slot = { worker, pending: [] };
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
      const p = slot.pending.shift();
      if (m.kind === 'done' || m.kind === 'returns') p?.resolve(m);
      else if (m.kind === 'failed') p?.reject(asError(m));
    });
    const lost = (why: string): void => {
      const failure = (this.failure ??= new Pi5Error('PI5_ERR_INTERNAL', `optimizer worker ${why}`));
      for (const p of slot.pending.splice(0)) p.reject(failure);
    };
    slot.worker.on('error', (e) => lost(`failed: ${e.message}`));
    slot.worker.on('exit', (code) => {
      if (!this.closed) lost(`exited (code ${code})`);
    });
  }

  private send(slot: Slot, chunk: ChunkRequest): Promise<Answer> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Pi5Error('PI5_ERR_CONFLICT', 'the optimizer pool is closed'));
    return new Promise((resolve, reject) => {
      slot.pending.push({ resolve, reject });
      slot.worker.postMessage(chunk);
    });
  }

  /** Runs every request, each worker pulling the next chunk as it starts its last one; results in request order. */
  async runAll(requests: readonly TrialRequest[], cut?: BarCut): Promise<TrialReply[]> {
    const out: TrialReply[] = new Array<TrialReply>(requests.length);
    let next = 0;
    this.unsent += requests.length;
    const sendNext = (slot: Slot): Promise<void> | null => {
      if (next >= requests.length) return null;
      const size = Math.min(MAX_CHUNK, requests.length - next, Math.ceil(this.unsent / (2 * this.slots.length)));
      const from = next;
      next += size;
      this.unsent -= size;
      const part = requests.slice(from, next);
      return this.trials(slot, { points: part.map((r) => r.point), ...(cut === undefined ? {} : { cut }) }).then((packed) => {
        const metrics = unpackMetrics(packed);
        part.forEach((r, k) => (out[from + k] = { id: r.id, point: r.point, params: packed.params[k] as ParamPoint, metrics: metrics[k] as Metrics }));
      });
    };
    const drain = async (slot: Slot): Promise<void> => {
      let current = sendNext(slot);
      let queued = sendNext(slot);
      try {
        while (current !== null) {
          await current;
          [current, queued] = [queued, sendNext(slot)];
        }
      } catch (e) {
        // Its answer no longer matters, but an unheard rejection would end the process.
        queued?.catch(() => undefined);
        throw e;
      }
    };
    try {
      await Promise.all(this.slots.map(drain));
    } finally {
      // A failed run sends nothing more: its rest no longer counts as work to come.
      this.unsent -= requests.length - next;
      next = requests.length;
    }
    return out;
  }

  /**
   * Runs one request on the next free worker (queued while all are busy): for callers that receive trials one
   * at a time, such as a distributed worker's jobs. Not to be mixed with runAll on the same pool (nor is returnsOf).
   */
  async runOne(request: TrialRequest, cut?: BarCut): Promise<TrialReply> {
    const packed = await this.onFreeSlot((slot) => this.trials(slot, { points: [request.point], ...(cut === undefined ? {} : { cut }) }));
    const [params, metrics] = [packed.params[0], unpackMetrics(packed)[0]];
    if (params === undefined || metrics === undefined) throw new Pi5Error('PI5_ERR_INTERNAL', 'optimizer worker answered a trial with nothing');
    return { id: request.id, point: request.point, params, metrics };
  }

  /** The bar returns of one point's replay, on the next free worker (like runOne): the diagnostics' replays; with `cut`, on that span's bars. */
  async returnsOf(point: ParamPoint, cut?: BarCut): Promise<BarReturns> {
    const m = await this.onFreeSlot((slot) => this.send(slot, { points: [point], returns: true, ...(cut === undefined ? {} : { cut }) }));
    if (m.kind !== 'returns') throw new Pi5Error('PI5_ERR_INTERNAL', 'optimizer worker answered returns with metrics');
    return { returns: m.returns, periodsPerYear: m.periodsPerYear };
  }

  /** Replays every point on the pool's workers (each free worker takes the next): a ReturnsSource (on a walk-forward window's span with `cut`). */
  returnsSource(cut?: BarCut): ReturnsSource {
    return (points) => Promise.all(points.map((p) => this.returnsOf(p, cut)));
  }

  private async trials(slot: Slot, chunk: ChunkRequest): Promise<PackedTrials> {
    const m = await this.send(slot, chunk);
    if (m.kind !== 'done') throw new Pi5Error('PI5_ERR_INTERNAL', 'optimizer worker answered trials with returns');
    return m;
  }

  private async onFreeSlot<T>(use: (slot: Slot) => Promise<T>): Promise<T> {
    const slot = this.idle.pop() ?? (await new Promise<Slot>((give) => this.waiting.push(give)));
    try {
      return await use(slot);
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next(slot);
      else this.idle.push(slot);
    }
  }

  /** Scores batches on the workers; with `cut`, on the shared bars of that span only (a walk-forward in-sample window). */
  evaluator(rules: TrialRules, cut?: BarCut): Evaluator {
    return async (batch) => {
      const replies = await this.runAll(batch, cut);
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
