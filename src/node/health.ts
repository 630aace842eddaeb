// Health of each component of a trading node: the database answers, the cache reaches Redis (when configured),
// the session's venue is usable, its data feed is up, and the session itself has not failed. `/ready` and
// anything headless (a supervisor, `pi5 doctor`) read the same checks.

import type { Cache } from '../cache/types.js';
import type { BrokerHealthStatus } from '../execution/venues/health/brokerHealth.js';
import { liveFeedUp } from '../engine/live/liveStepSource.js';
import type { SessionStatus } from '../engine/live/sessionEvents.js';
import type { Database } from '../persistence/database.js';

export interface ComponentHealth {
  readonly ok: boolean;
  readonly detail: string;
}

export interface NodeComponents {
  readonly database: ComponentHealth;
  readonly cache: ComponentHealth;
  /** The session's venue: the simulated exchange today, a broker next. */
  readonly broker: ComponentHealth;
  readonly feed: ComponentHealth;
  readonly session: ComponentHealth;
}

export interface NodeHealth {
  /** Every component is ok. */
  readonly ready: boolean;
  readonly components: NodeComponents;
}

async function databaseHealth(db: Database): Promise<ComponentHealth> {
  try {
    await db.query('select 1');
    return { ok: true, detail: db.engine };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

/** A replay's feed is up while the session is; a live one also needs its market-data connection. */
function feedHealth(st: SessionStatus): ComponentHealth {
  if (st.waiting !== null) return { ok: false, detail: `paused: ${st.waiting}, step ${st.step} of ${st.steps} (resumes by itself)` };
  const ok = st.state !== 'failed';
  if (st.live === null) return { ok, detail: `${st.state}, step ${st.step} of ${st.steps}` };
  const up = liveFeedUp(st.live.state);
  const stale = st.dataStale ?? null;
  return { ok: ok && up && stale === null, detail: `${st.state}, step ${st.step}; ${st.live.provider} feed ${st.live.state}${st.live.detail === null ? '' : ` (${st.live.detail})`}${stale === null ? '' : `; ${stale}`}` };
}

/**
 * The session's venue and every connected broker: not ok when the session failed or a broker is down, except a
 * broker of a session with standbys while another of its brokers is up (new orders go there: failover).
 */
function brokerHealth(st: SessionStatus, brokers: readonly BrokerHealthStatus[]): ComponentHealth {
  if (st.state === 'failed') return { ok: false, detail: st.failure ?? 'failed' };
  const others = brokers.filter((b) => b.venue !== 'sim');
  const sessionVenues = new Set(st.broker?.venues?.map((v) => v.name) ?? []);
  const standing = sessionVenues.size > 1 && others.some((b) => sessionVenues.has(b.venue) && b.state !== 'down');
  const route = sessionVenues.size > 1 && st.broker?.route !== undefined ? [`new orders to ${st.broker.route}`] : [];
  const unreachable = (st.broker?.venues ?? []).filter((v) => v.unreachable !== null).map((v) => `${v.name} unreachable since the session started (${v.unreachable ?? ''}); retrying`);
  const detail = [st.broker?.name ?? 'simulated exchange', ...others.map((b) => `${b.venue} ${b.state}${b.reasons.length === 0 ? '' : ` (${b.reasons.join('; ')})`}`), ...route, ...unreachable].join('; ');
  return { ok: others.every((b) => b.state !== 'down' || (standing && sessionVenues.has(b.venue))), detail };
}

export async function nodeHealth(db: Database, cache: Cache, st: SessionStatus, brokers: readonly BrokerHealthStatus[] = []): Promise<NodeHealth> {
  const cacheState = cache.health();
  const failed = st.state === 'failed';
  const components: NodeComponents = {
    database: await databaseHealth(db),
    // Without REDIS_URL the cache is in memory and always up; with it, 'degraded' means Redis is unreachable.
    cache: { ok: cacheState === 'up', detail: cacheState },
    broker: brokerHealth(st, brokers),
    feed: feedHealth(st),
    // A session waiting for its database is not failed: it steps on by itself once the database is back.
    session: { ok: !failed && st.waiting === null, detail: failed ? (st.failure ?? 'failed') : st.waiting !== null ? `${st.id}: paused: ${st.waiting}` : `${st.id}: ${st.state}` },
  };
  return { ready: Object.values(components).every((c: ComponentHealth) => c.ok), components };
}
