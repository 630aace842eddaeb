// /api/v1/session, /system and /audit: the paper session's controls, the server's own state, and the audit log.

import type { FastifyInstance } from 'fastify';
import { Pi5Error } from '../../core/errors.js';
import { breakerStates } from '../../data/providers/resilience/index.js';
import { who } from '../authGuard.js';
import { audited, type ApiContext } from '../context.js';
import { anyObject, arr, idParam, intIn, NAME_MAX, obj, str, text, withErrors } from '../schemas.js';

export function systemRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const s = ctx.session;
  app.get('/session', { config: { role: 'viewer' }, schema: { tags: ['session'], summary: 'Paper session status: state, step, market time, pace', response: withErrors({ 200: anyObject }) } }, async () =>
    s.status(),
  );
  app.post('/session/pause', { config: { role: 'trader' }, schema: { tags: ['session'], summary: 'Pause the replay', response: withErrors({ 200: anyObject }) } }, async (req) =>
    audited(ctx, req, 'session.pause', s.id, async () => {
      await s.pause();
      return s.status();
    }),
  );
  app.post('/session/resume', { config: { role: 'trader' }, schema: { tags: ['session'], summary: 'Resume the replay', response: withErrors({ 200: anyObject }) } }, async (req) =>
    audited(ctx, req, 'session.resume', s.id, async () => {
      s.resume();
      return s.status();
    }),
  );
  app.put<{ Body: { stepIntervalMs: number } }>('/session/pace', {
    config: { role: 'trader' },
    schema: { tags: ['session'], summary: 'Wall-clock milliseconds between replayed steps', body: obj({ stepIntervalMs: { type: 'integer', minimum: 0, maximum: 3_600_000 } }), response: withErrors({ 200: anyObject }) },
  }, async (req) =>
    audited(ctx, req, 'session.pace', s.id, async () => {
      if (s.status().source === 'live') throw new Pi5Error('PI5_ERR_CONFLICT', 'a live session is paced by its market data feed; the pace applies to replays only');
      s.setStepInterval(req.body.stepIntervalMs);
      return s.status();
    }, { stepIntervalMs: req.body.stepIntervalMs }),
  );

  app.get('/system/version', { config: { role: 'viewer' }, schema: { tags: ['system'], summary: 'Version', response: withErrors({ 200: obj({ version: str, node: str }) }) } }, async () => ({
    version: ctx.version,
    node: process.version,
  }));
  app.get('/system/status', { config: { role: 'viewer' }, schema: { tags: ['system'], summary: 'Uptime, memory, database, cache and session', response: withErrors({ 200: anyObject }) } }, async () => {
    const m = process.memoryUsage();
    return {
      version: ctx.version,
      uptimeSec: Math.round((Date.now() - ctx.startedAt) / 1000),
      memory: { rssBytes: m.rss, heapUsedBytes: m.heapUsed },
      database: { engine: ctx.db.engine, timescale: ctx.db.hasTimescale },
      cache: ctx.cache.health(),
      session: s.status(),
    };
  });
  app.get('/system/breakers', {
    config: { role: 'viewer' },
    schema: { tags: ['system'], summary: 'Circuit breakers of the market-data providers (closed, open, half-open)', response: withErrors({ 200: obj({ items: arr(anyObject) }) }) },
  }, async () => ({ items: breakerStates() }));
  app.get('/system/config', { config: { role: 'admin' }, schema: { tags: ['system'], summary: 'Effective configuration, secrets removed', response: withErrors({ 200: anyObject }) } }, async () => ctx.publicConfig);
  app.get<{ Querystring: { limit: number } }>('/system/logs', {
    config: { role: 'admin' },
    schema: { tags: ['system'], summary: 'Most recent server log entries (JSON), oldest first', querystring: obj({ limit: { ...intIn(1, 500), default: 100 } }, ['limit']), response: withErrors({ 200: obj({ items: arr(anyObject) }) }) },
  }, async (req) => ({ items: ctx.logs.recent(req.query.limit) }));
  app.post('/system/restart', { config: { role: 'admin' }, schema: { tags: ['system'], summary: 'Graceful restart: stop the session, close connections, start again', response: withErrors({ 202: obj({ restarting: { type: 'boolean' } }) }) } }, async (req, reply) => {
    await audited(ctx, req, 'system.restart', null, async () => undefined);
    req.log.warn({ by: who(req).username }, 'graceful restart requested');
    setImmediate(ctx.requestRestart);
    return reply.status(202).send({ restarting: true });
  });

  app.get<{ Querystring: { limit: number; beforeId?: number; action?: string; userId?: number } }>('/audit', {
    config: { role: 'admin' },
    schema: {
      tags: ['system'],
      summary: 'Audit log, newest first; page with beforeId',
      querystring: obj({ limit: { ...intIn(1, 500), default: 50 }, beforeId: idParam, action: text(NAME_MAX), userId: idParam }, ['limit', 'beforeId', 'action', 'userId']),
      response: withErrors({ 200: obj({ items: arr(anyObject), nextBeforeId: { type: ['integer', 'null'] } }, [], true) }),
    },
  }, async (req) => {
    const q = req.query;
    const out = await ctx.audit.list({ limit: q.limit, ...(q.beforeId === undefined ? {} : { beforeId: q.beforeId }), ...(q.action === undefined ? {} : { action: q.action }), ...(q.userId === undefined ? {} : { userId: q.userId }) });
    return { items: out.entries.map((e) => ({ ...e, ts: e.ts.toISOString() })), nextBeforeId: out.nextBeforeId ?? null };
  });
}
