// /health (liveness: the process answers) and /ready (can serve: the node's database, cache, the session's venue
// and its data feed, as the node reports them).

import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/health', { schema: { hide: true } as Record<string, unknown> }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } as Record<string, unknown> }, async (_req, reply) => {
    const { ready, components: c } = await ctx.health();
    // The documented /ready checks (docs/api.md); a failed session shows in broker and feed.
    const checks = { database: c.database, cache: c.cache, broker: c.broker, feed: c.feed };
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
}
