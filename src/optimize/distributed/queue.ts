// Where distributed trials live in Redis: the BullMQ queue of trials and, beside it under the same prefix,
// the published data sets and run setups (by content hash) and each setup's results (one field per point,
// written once). Coordinator and workers agree on these names and on the job options.

import { Redis } from 'ioredis';
import type { JobsOptions } from 'bullmq';
import { Pi5Error } from '../../core/errors.js';
import type { BarCut } from '../poolProtocol.js';

export const TRIAL_QUEUE = 'trials';
/** Data sets, setups and results stay this long after the last run that used them (a later run resumes from them). */
export const KEEP_SECONDS = 7 * 24 * 3600;

export interface QueueAddress {
  readonly redisUrl: string;
  /** Printable form of the URL (no password). */
  readonly shown: string;
  /** Key prefix: runs under different prefixes never see each other's queue or results. */
  readonly prefix: string;
}

export const keys = {
  data: (a: QueueAddress, hash: string): string => `${a.prefix}:data:${hash}`,
  setup: (a: QueueAddress, hash: string): string => `${a.prefix}:setup:${hash}`,
  results: (a: QueueAddress, setupHash: string): string => `${a.prefix}:results:${setupHash}`,
  /** The diagnostics' replays: a point's bar returns (barReturns.packReturns), one field per point. */
  returns: (a: QueueAddress, setupHash: string): string => `${a.prefix}:returns:${setupHash}`,
};

/** A trial's job id: its setup and point, so enqueuing the same trial again is a no-op. */
export function trialJobId(setupHash: string, pointHash: string, returns = false): string {
  return returns ? `${setupHash}-returns-${pointHash}` : `${setupHash}-${pointHash}`;
}

export interface TrialJobData {
  readonly setup: string;
  /** Content hash of the point: the field of its result. */
  readonly key: string;
  /** The point, encoded by wire.encodeJson. */
  readonly point: string;
  /** A walk-forward window's in-sample span: the trial runs on the setup's bars cut to it. */
  readonly cut?: BarCut;
  /** A diagnostics replay: store the point's bar returns (under keys.returns) instead of its metrics. */
  readonly returns?: true;
}

export const TRIAL_JOB_OPTIONS: JobsOptions = {
  // A trial that throws is tried once more (a worker may have lacked memory); a deterministic error then fails the run.
  attempts: 2,
  removeOnComplete: { age: KEEP_SECONDS },
  removeOnFail: { age: KEEP_SECONDS },
};

/** BullMQ's connection options for the address (workers need maxRetriesPerRequest null for blocking reads). */
export function bullConnection(a: QueueAddress): { url: string; maxRetriesPerRequest: null } {
  return { url: a.redisUrl, maxRetriesPerRequest: null };
}

/** A plain client for data, setups and results. Fails with a clear error if Redis does not answer now; once
 * connected it reconnects for as long as it lives (a worker outlasts a Redis restart). */
export async function openRedis(a: QueueAddress): Promise<Redis> {
  const probe = new Redis(a.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    throw new Pi5Error('PI5_ERR_QUEUE', `Redis at ${a.shown} is not reachable: ${(e as Error).message}`);
  } finally {
    probe.disconnect();
  }
  const r = new Redis(a.redisUrl, { maxRetriesPerRequest: 20, retryStrategy: (n) => Math.min(2000, 100 * n) });
  // Connection trouble also arrives as events; the awaited calls carry it as errors.
  r.on('error', () => undefined);
  return r;
}
