// /health (liveness: the process answers) and /ready (can serve: the node's database, cache, the session's venue
// and its data feed, as the node reports them; backup status as a detail).

import type { FastifyInstance } from 'fastify';
import type { BackupStatus } from '../../ops/backupScheduler.js';
import type { ApiContext } from '../context.js';

function backupDetail(s: BackupStatus): Record<string, unknown> {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return { schedule: 'daily', lastSuccessAt: iso(s.lastSuccessAtMs), lastFailureAt: iso(s.lastFailureAtMs), lastError: s.lastError, kept: s.kept };
}

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/health', { schema: { hide: true } as Record<string, unknown> }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } as Record<string, unknown> }, async (_req, reply) => {
    const { ready, components: c } = await ctx.health();
    // The documented /ready checks (docs/api.md); a failed session shows in broker and feed.
    const checks = { database: c.database, cache: c.cache, broker: c.broker, feed: c.feed };
    // Backups are reported, not required: an old backup is an alert (monitoring), not a reason to refuse traffic.
    const backup = ctx.backups === undefined ? { schedule: 'off' } : backupDetail(ctx.backups.status());
    // What keeps working while the database is away: tokens are checked against users cached in memory, the
    // session's reads come from memory, and the kill switch trips at once (its record is written on return).
    const auth = c.database.ok ? 'users from the database' : 'database unreachable: users from memory; reads and the kill switch keep working, changes wait';
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks, details: { backup, auth } });
  });
}
