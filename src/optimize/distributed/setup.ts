// A distributed run's setup: everything a worker needs to backtest a point exactly as the coordinator would
// (the pool's portable base, specs and fixed parameters, the strategy by id or file, the data set by hash).
// Both are published under their content hash, so the same data is sent once however many runs use it, and
// an unchanged run finds its earlier results under the same setup hash (resume).

import { resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { Pi5Error } from '../../core/errors.js';
import { ENGINE_VERSION } from '../../engine/version.js';
import { findBuiltin } from '../../strategy/registry.js';
import { poolSetup } from '../pool.js';
import type { PoolSetup } from '../poolProtocol.js';
import type { ParamPoint } from '../space.js';
import type { TrialBase } from '../trial.js';
import { KEEP_SECONDS, keys, type QueueAddress } from './queue.js';
import { strategySourceHash } from './strategySource.js';
import { canonicalJson, decodeJson, packSeries, sha256, unpackSeries } from './wire.js';

export interface PublishedSetup extends Omit<PoolSetup, 'series'> {
  /** pi5's engine version: a worker of another version refuses the setup (its numbers could differ). */
  readonly version: string;
  /** Content hash of the strategy file and its local imports (a built-in id has none): an edit to either is another setup. */
  readonly strategyHash: string | null;
  /** Content hash of the packed bars. */
  readonly data: string;
}

/** A built-in id stays an id; a file becomes its absolute path and the hash of its source (with its local imports). */
async function strategyIdentity(ref: string): Promise<{ strategy: string; strategyHash: string | null }> {
  if (findBuiltin(ref) !== undefined) return { strategy: ref, strategyHash: null };
  const path = resolve(ref);
  return { strategy: path, strategyHash: await strategySourceHash(path) };
}

/** Publishes the bars (once per content) and the setup; returns the setup's hash. */
export async function publishSetup(redis: Redis, a: QueueAddress, base: TrialBase, strategyRef: string, fixed: ParamPoint): Promise<string> {
  const { series, ...rest } = poolSetup(base, strategyRef, fixed);
  const packed = packSeries(series);
  const data = sha256(packed);
  const dataKey = keys.data(a, data);
  // Sent only if no earlier run published these bars; either way they are kept for another KEEP_SECONDS.
  if ((await redis.expire(dataKey, KEEP_SECONDS)) === 0) await redis.set(dataKey, packed, 'EX', KEEP_SECONDS);
  const setup: PublishedSetup = { ...rest, ...(await strategyIdentity(strategyRef)), version: ENGINE_VERSION, data };
  const text = canonicalJson(setup);
  const hash = sha256(text);
  await redis.set(keys.setup(a, hash), text, 'EX', KEEP_SECONDS);
  await redis.expire(keys.results(a, hash), KEEP_SECONDS);
  return hash;
}

/** A worker's view of a setup: checked against this installation, with its bars unpacked into shared memory. */
export async function fetchSetup(redis: Redis, a: QueueAddress, hash: string, bars: Map<string, PoolSetup['series']>): Promise<PoolSetup> {
  const text = await redis.get(keys.setup(a, hash));
  if (text === null) throw new Pi5Error('PI5_ERR_QUEUE', `setup ${hash} is not in Redis at ${a.shown} (expired, or published under another prefix)`);
  const setup = decodeJson(text, `setup ${hash}`) as PublishedSetup;
  if (setup.version !== ENGINE_VERSION) throw new Pi5Error('PI5_ERR_QUEUE', `setup ${hash} was made by pi5 ${setup.version}; this worker is ${ENGINE_VERSION}`);
  if (setup.strategyHash !== null) {
    const here = await strategySourceHash(setup.strategy);
    if (here !== setup.strategyHash) throw new Pi5Error('PI5_ERR_QUEUE', `strategy file ${setup.strategy} on this worker or a module it imports differs from the coordinator's (content hash ${here.slice(0, 12)} ≠ ${setup.strategyHash.slice(0, 12)})`);
  }
  let series = bars.get(setup.data);
  if (series === undefined) {
    const packed = await redis.getBuffer(keys.data(a, setup.data));
    if (packed === null) throw new Pi5Error('PI5_ERR_QUEUE', `data set ${setup.data} is not in Redis at ${a.shown}`);
    if (sha256(packed) !== setup.data) throw new Pi5Error('PI5_ERR_QUEUE', `data set ${setup.data} in Redis does not match its hash`);
    series = unpackSeries(packed, `data set ${setup.data}`);
    bars.set(setup.data, series);
  }
  const { version: _v, strategyHash: _h, data: _d, ...portable } = setup;
  return { ...portable, series };
}
