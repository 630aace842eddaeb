// The coordinator side of a distributed optimization: publishes the run's setup and bars, and evaluates each
// batch the search asks for by reading the results already stored for its points (an earlier, interrupted run
// of the same setup) and enqueuing the rest as trials, then waiting for the workers. Trials are scored here
// from the stored metrics with the run's rules, exactly as the local evaluators score them.

import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Pi5Error } from '../../core/errors.js';
import type { Metrics } from '../../backtest/types.js';
import type { Evaluator } from '../optimizer.js';
import type { BarCut } from '../poolProtocol.js';
import type { ParamPoint } from '../space.js';
import { unpackReturns, type ReturnsSource } from '../barReturns.js';
import { scoreTrial, type Trial, type TrialBase, type TrialRules } from '../trial.js';
import { bullConnection, keys, openRedis, TRIAL_JOB_OPTIONS, TRIAL_QUEUE, trialJobId, type QueueAddress, type TrialJobData } from './queue.js';
import { publishSetup } from './setup.js';
import { canonicalJson, decodeJson, encodeJson, sha256 } from './wire.js';

interface StoredResult {
  readonly params: ParamPoint;
  readonly metrics: Metrics;
}

export interface DistributedCounts {
  /** Trials whose results were already stored (by an earlier run of the same setup). */
  readonly reused: number;
  /** Trials this run put on the queue. */
  readonly enqueued: number;
  /** The diagnostics' replays this run put on the queue. */
  readonly replays: number;
}

export class DistributedTrials {
  private reused = 0;
  private enqueued = 0;
  private replays = 0;

  private constructor(
    private readonly a: QueueAddress,
    private readonly redis: Redis,
    private readonly queue: Queue<TrialJobData>,
    private readonly events: QueueEvents,
    /** The published setup's hash. */
    readonly setup: string,
  ) {}

  /** Connects, publishes the setup and its bars, and listens for finished trials. */
  static async open(a: QueueAddress, base: TrialBase, strategyRef: string, fixed: ParamPoint): Promise<DistributedTrials> {
    const redis = await openRedis(a);
    try {
      const setup = await publishSetup(redis, a, base, strategyRef, fixed);
      const queue = new Queue<TrialJobData>(TRIAL_QUEUE, { connection: bullConnection(a), prefix: a.prefix });
      const events = new QueueEvents(TRIAL_QUEUE, { connection: bullConnection(a), prefix: a.prefix });
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      // Each trial waited for holds a listener on the queue until it finishes: a batch holds many at once.
      queue.setMaxListeners(0);
      return new DistributedTrials(a, redis, queue, events, setup);
    } catch (e) {
      redis.disconnect();
      throw e;
    }
  }

  counts(): DistributedCounts {
    return { reused: this.reused, enqueued: this.enqueued, replays: this.replays };
  }

  /** Scores batches on the workers; with `cut`, on the setup's bars of that span only (a walk-forward in-sample window). */
  evaluator(rules: TrialRules, cut?: BarCut): Evaluator {
    return async (batch) => {
      const points = batch.map((b) => ({ ...b, text: encodeJson(b.point) }));
      // A window's trial is another trial than the same point on all the bars: its result has its own field.
      const fieldOf = batch.map((b) => sha256(canonicalJson(cut === undefined ? b.point : { cut, point: b.point })));
      const results = keys.results(this.a, this.setup);
      const stored = await this.redis.hmget(results, ...fieldOf);
      const missing = points.map((p, i) => ({ ...p, key: fieldOf[i] as string })).filter((_, i) => stored[i] === null);
      this.reused += points.length - missing.length;
      if (missing.length > 0) await this.runOnWorkers(missing, results, cut === undefined ? {} : { cut });
      const texts = missing.length === 0 ? stored : await this.redis.hmget(results, ...fieldOf);
      return points.map((p, i): Trial => {
        const text = texts[i];
        if (text === null || text === undefined) throw new Pi5Error('PI5_ERR_QUEUE', `trial ${p.id} finished but its result is not in Redis at ${this.a.shown}`);
        const r = decodeJson(text, `result of trial ${p.id}`) as StoredResult;
        return scoreTrial(p.id, p.point, r.params, r.metrics, rules);
      });
    };
  }

  /**
   * The diagnostics' replays on the workers, as jobs beside the trials: each point's bar returns are stored once
   * under the setup (keys.returns) and read back here; a resumed run reads the ones already stored. With `cut`,
   * on the setup's bars of that span only (a walk-forward window's in-sample diagnostics).
   */
  returnsSource(cut?: BarCut): ReturnsSource {
    return async (params) => {
      if (params.length === 0) return [];
      // A window's replay is another replay than the same point on all the bars: its returns have their own field.
      const fieldOf = params.map((p) => sha256(canonicalJson(cut === undefined ? p : { cut, point: p })));
      const store = keys.returns(this.a, this.setup);
      const stored = await this.redis.hmgetBuffer(store, ...fieldOf);
      const missing = params.map((p, i) => ({ id: i, key: fieldOf[i] as string, text: encodeJson(p) })).filter((_, i) => stored[i] === null);
      if (missing.length > 0) await this.runOnWorkers(missing, store, { returns: true, ...(cut === undefined ? {} : { cut }) });
      const all = missing.length === 0 ? stored : await this.redis.hmgetBuffer(store, ...fieldOf);
      return all.map((b, i) => {
        if (b === null) throw new Pi5Error('PI5_ERR_QUEUE', `the returns of replay ${i} finished but are not in Redis at ${this.a.shown}`);
        return unpackReturns(b, `returns of replay ${i}`);
      });
    };
  }

  /** Enqueues the jobs (one already queued or done keeps its one job) and waits until each has finished. */
  private async runOnWorkers(trials: readonly { id: number; key: string; text: string }[], store: string, kind: { cut?: BarCut; returns?: true }): Promise<void> {
    const returns = kind.returns === true;
    const add = (ts: typeof trials): Promise<Job<TrialJobData>[]> =>
      this.queue.addBulk(ts.map((t) => ({ name: returns ? 'returns' : 'trial', data: { setup: this.setup, key: t.key, point: t.text, ...kind }, opts: { ...TRIAL_JOB_OPTIONS, jobId: trialJobId(this.setup, t.key, returns) } })));
    const jobs = await add(trials);
    if (returns) this.replays += trials.length;
    else this.enqueued += trials.length;
    const states = await Promise.all(jobs.map((j) => j.getState()));
    // A job that failed in an earlier run would answer at once with its old failure: give it another go.
    await Promise.all(jobs.map((j, i) => (states[i] === 'failed' ? j.retry('failed') : undefined)));
    // A job finished earlier whose result is gone (expired or deleted before the job was) would answer at once
    // with nothing to read: replace it. One that finished since the results were read has its result stored.
    const done = trials.filter((_, i) => states[i] === 'completed');
    if (done.length > 0) {
      const present = await this.redis.hmgetBuffer(store, ...done.map((t) => t.key));
      const gone = done.filter((_, i) => present[i] === null);
      await Promise.all(gone.map((t) => this.queue.remove(trialJobId(this.setup, t.key, returns))));
      const again = gone.length === 0 ? [] : await add(gone);
      for (const [k, t] of gone.entries()) jobs[trials.indexOf(t)] = again[k] as Job<TrialJobData>;
    }
    await Promise.all(jobs.map((j, i) => this.finished(j, trials[i]?.id ?? -1, returns)));
  }

  private async finished(job: Job<TrialJobData>, id: number, returns: boolean): Promise<void> {
    try {
      await job.waitUntilFinished(this.events);
    } catch (e) {
      throw new Pi5Error('PI5_ERR_QUEUE', `${returns ? 'diagnostics replay' : 'trial'} ${id} failed on a worker: ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.events.close(), this.queue.close()]);
    this.redis.disconnect();
  }
}
