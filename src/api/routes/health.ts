// /health (liveness: the process answers) and /ready (can serve: database, Redis when configured, the
// paper session's venue and its data feed).

import type { FastifyInstance } from 'fastify';
import { liveFeedUp } from '../../engine/live/liveStepSource.js';
import type { SessionStatus } from '../../engine/live/sessionEvents.js';
import type { BackupStatus } from '../../ops/backupScheduler.js';
import type { ApiContext } from '../context.js';

interface Check {
  readonly ok: boolean;
  readonly detail: string;
}

async function databaseCheck(ctx: ApiContext): Promise<Check> {
  try {
    await ctx.db.query('select 1');
    return { ok: true, detail: ctx.db.engine };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

/** A replay's feed is up while the session is; a live one also needs its market-data connection. */
function feedCheck(st: SessionStatus): Check {
  const ok = st.state !== 'failed';
  if (st.live === null) return { ok, detail: `${st.state}, step ${st.step} of ${st.steps}` };
  const up = liveFeedUp(st.live.state);
  return { ok: ok && up, detail: `${st.state}, step ${st.step}; ${st.live.provider} feed ${st.live.state}${st.live.detail === null ? '' : ` (${st.live.detail})`}` };
}

function backupDetail(s: BackupStatus): Record<string, unknown> {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return { schedule: 'daily', lastSuccessAt: iso(s.lastSuccessAtMs), lastFailureAt: iso(s.lastFailureAtMs), lastError: s.lastError, kept: s.kept };
}

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/health', { schema: { hide: true } as Record<string, unknown> }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } as Record<string, unknown> }, async (_req, reply) => {
    const st = ctx.session.status();
    const cacheHealth = ctx.cache.health();
    const checks: Record<string, Check> = {
      database: await databaseCheck(ctx),
      // Without REDIS_URL the cache is in memory and always up; with it, 'degraded' means Redis is unreachable.
      cache: { ok: cacheHealth === 'up', detail: cacheHealth },
      broker: { ok: st.state !== 'failed', detail: st.state === 'failed' ? (st.failure ?? 'failed') : 'simulated exchange' },
      feed: feedCheck(st),
    };
    const ready = Object.values(checks).every((c) => c.ok);
    // Backups are reported, not required: an old backup is an alert (monitoring), not a reason to refuse traffic.
    const backup = ctx.backups === undefined ? { schedule: 'off' } : backupDetail(ctx.backups.status());
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks, details: { backup } });
  });
}
