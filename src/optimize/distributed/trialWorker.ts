// `pi5 worker`'s engine: takes trials (and the diagnostics' replays, which store a point's bar returns instead
// of its metrics) from the BullMQ queue and backtests them on a pool of threads, one pool
// per setup (its bars fetched from Redis once, by hash, and shared by the threads). A result is written once
// per point (HSETNX): a trial retried after its worker died, or enqueued again by a resumed run, finds the
// stored result and is not run twice. A killed worker's trials go back to the queue when their lock lapses
// (BullMQ's stalled-job check) and run on another worker.

import { Worker, type Job } from 'bullmq';
import { Pi5Error } from '../../core/errors.js';
import { packReturns } from '../barReturns.js';
import { TrialPool } from '../pool.js';
import type { PoolSetup } from '../poolProtocol.js';
import type { ParamPoint } from '../space.js';
import { bullConnection, KEEP_SECONDS, keys, openRedis, TRIAL_QUEUE, type QueueAddress, type TrialJobData } from './queue.js';
import { fetchSetup } from './setup.js';
import { decodeJson, encodeJson } from './wire.js';

export interface TrialWorkerOptions extends QueueAddress {
  /** Threads running trials (and jobs held at once). */
  readonly concurrency: number;
  /** How long a job's lock lasts unrenewed: a killed worker's trials are handed to another after about this. */
  readonly lockMs: number;
  /** One line per event worth telling an operator (a setup loaded, a trial failed). */
  readonly log: (line: string) => void;
}

export interface TrialWorker {
  /** Trials this worker ran (not counting ones it found already stored). */
  readonly ran: () => number;
  /** Diagnostics replays this worker ran (likewise). */
  readonly replayed: () => number;
  close(): Promise<void>;
}

/** Pools by setup hash; only the newest few are kept (a worker serves one run at a time, mostly). */
const POOLS_KEPT = 2;

export async function startTrialWorker(o: TrialWorkerOptions): Promise<TrialWorker> {
  const redis = await openRedis(o);
  const bars = new Map<string, PoolSetup['series']>();
  const pools = new Map<string, { pool: Promise<TrialPool>; busy: number }>();
  let ran = 0;
  let replayed = 0;

  const poolFor = (setupHash: string): { pool: Promise<TrialPool>; busy: number } => {
    let entry = pools.get(setupHash);
    if (entry === undefined) {
      const pool = fetchSetup(redis, o, setupHash, bars).then((setup) => TrialPool.start(setup, o.concurrency));
      entry = { pool, busy: 0 };
      pools.set(setupHash, entry);
      pool.then(() => o.log(`setup ${setupHash.slice(0, 12)}: bars loaded, ${o.concurrency} thread(s) ready`), () => pools.delete(setupHash));
      evictIdle(pools, setupHash);
    }
    return entry;
  };

  const runJob = async (job: Job<TrialJobData>): Promise<string> => {
    const { setup, key, point, cut, returns } = job.data;
    const results = returns === true ? keys.returns(o, setup) : keys.results(o, setup);
    if ((await redis.hexists(results, key)) === 1) return 'stored earlier';
    const entry = poolFor(setup);
    entry.busy++;
    try {
      const p = decodeJson(point, `job ${String(job.id)}`) as ParamPoint;
      const pool = await entry.pool;
      const value = returns === true ? packReturns(await pool.returnsOf(p, cut)) : await pool.runOne({ id: 0, point: p }, cut).then((r) => encodeJson({ params: r.params, metrics: r.metrics }));
      await redis.multi().hsetnx(results, key, value).expire(results, KEEP_SECONDS).exec();
      if (returns === true) replayed++;
      else ran++;
      return 'ran';
    } finally {
      entry.busy--;
    }
  };

  const worker = new Worker<TrialJobData, string>(TRIAL_QUEUE, runJob, {
    connection: bullConnection(o),
    prefix: o.prefix,
    concurrency: o.concurrency,
    lockDuration: o.lockMs,
    stalledInterval: o.lockMs,
    // A trial whose worker was killed is always handed on, however often that happens.
    maxStalledCount: 1000,
  });
  worker.on('failed', (job, e) => o.log(`trial ${String(job?.id ?? '?')} failed: ${e.message}`));
  worker.on('error', (e) => o.log(`queue error: ${e.message}`));
  try {
    await worker.waitUntilReady();
  } catch (e) {
    await worker.close(true);
    redis.disconnect();
    throw new Pi5Error('PI5_ERR_QUEUE', `Redis at ${o.shown}: ${(e as Error).message}`);
  }
  return {
    ran: () => ran,
    replayed: () => replayed,
    close: async () => {
      await worker.close();
      for (const { pool } of pools.values()) await pool.then((p) => p.close(), () => undefined);
      redis.disconnect();
    },
  };
}

function evictIdle(pools: Map<string, { pool: Promise<TrialPool>; busy: number }>, keep: string): void {
  for (const [hash, entry] of pools) {
    if (pools.size <= POOLS_KEPT) return;
    if (hash === keep || entry.busy > 0) continue;
    pools.delete(hash);
    void entry.pool.then((p) => p.close(), () => undefined);
  }
}
