// /api/v1/brokers: each venue's health as the node's broker monitors see it (healthy/degraded/down and why).

import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { anyObject, withErrors } from '../schemas.js';

export function brokerRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/brokers', { config: { role: 'viewer' }, schema: { tags: ['system'], summary: 'Broker health per venue: state, reasons, latency, error rate, last message age', response: withErrors({ 200: anyObject }) } }, async () => ({
    brokers: ctx.brokers(),
  }));
}
