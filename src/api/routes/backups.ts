// /api/v1/system/backups (admins): the scheduled backups' status, and a backup on demand, which is how a PGlite
// database is backed up while the server holds it (docs/operations.md).

import type { FastifyInstance } from 'fastify';
import { Pi5Error } from '../../core/errors.js';
import type { BackupStatus } from '../../ops/backupScheduler.js';
import { audited, type ApiContext } from '../context.js';
import { anyObject, withErrors } from '../schemas.js';

function view(s: BackupStatus): Record<string, unknown> {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return { lastSuccessAt: iso(s.lastSuccessAtMs), lastFailureAt: iso(s.lastFailureAtMs), lastError: s.lastError, lastBytes: s.lastBytes, lastDurationMs: s.lastDurationMs, kept: s.kept, successes: s.successes, failures: s.failures };
}

function scheduler(ctx: ApiContext): NonNullable<ApiContext['backups']> {
  if (ctx.backups === undefined) throw new Pi5Error('PI5_ERR_CONFLICT', 'scheduled backups are off (PI5_BACKUP_SCHEDULE=off); use `pi5 db backup`');
  return ctx.backups;
}

export function backupRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/system/backups', { config: { role: 'admin' }, schema: { tags: ['system'], summary: 'Status of the scheduled backups', response: withErrors({ 200: anyObject }) } }, async () =>
    view(scheduler(ctx).status()),
  );
  app.post('/system/backups', { config: { role: 'admin' }, schema: { tags: ['system'], summary: 'Take a backup now (into the backup folder, rotated like the daily ones)', response: withErrors({ 200: anyObject }) } }, async (req) =>
    audited(ctx, req, 'system.backup', null, async () => {
      const s = scheduler(ctx);
      if (!(await s.runNow())) throw new Pi5Error('PI5_ERR_BACKUP', `backup failed: ${s.status().lastError ?? 'unknown error'}`);
      return view(s.status());
    }),
  );
}
