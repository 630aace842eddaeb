// /api/v1/strategies: the catalogue, the session's instances, and starting, stopping and re-parameterizing
// them at run time (each change is a recorded session action, replayed on restart).

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Pi5Error } from '../../core/errors.js';
import type { StrategyInstance } from '../../engine/live/sessionView.js';
import type { StrategyInstanceConfig } from '../../engine/live/sessionActions.js';
import { builtinStrategies } from '../../strategy/registry.js';
import { resolveParams, type RawParams } from '../../strategy/params.js';
import { who } from '../authGuard.js';
import { audited, type ApiContext } from '../context.js';
import { anyObject, arr, bool, int, NAME_MAX, num, obj, str, text, withErrors } from '../schemas.js';

const paramsSchema = { type: 'object', maxProperties: 64, propertyNames: text(NAME_MAX), additionalProperties: { ...text(200), type: ['string', 'number', 'boolean'] } } as const;
const instanceBody = obj(
  {
    id: text(64, 1, '^[A-Za-z0-9._-]+$'),
    strategy: text(NAME_MAX, 1),
    params: paramsSchema,
    symbols: { type: 'array', items: text(32, 1), minItems: 1, maxItems: 100 },
    size: text(32, 1),
  },
  ['params', 'size'],
);
const instanceSchema = obj({ id: str, strategy: str, params: anyObject, symbols: arr(str), size: { type: ['string', 'null'] }, running: bool, startedAtStep: int, pnl: num, marketValue: num, fills: int });

function instanceJson(ctx: ApiContext, i: StrategyInstance): Record<string, unknown> {
  return { ...i.config, size: i.config.size ?? null, running: i.running, startedAtStep: i.startedAtStep, ...ctx.session.strategyPnl(i.config.id) };
}

function instance(ctx: ApiContext, id: string): StrategyInstance {
  const i = ctx.session.strategies().find((x) => x.config.id === id);
  if (!i) throw new Pi5Error('PI5_ERR_NOT_FOUND', `no strategy instance ${JSON.stringify(id)} in this session`);
  return i;
}

async function start(ctx: ApiContext, req: FastifyRequest, config: StrategyInstanceConfig): Promise<Record<string, unknown>> {
  await ctx.session.act({ kind: 'startStrategy', instance: config, by: who(req).username });
  return instanceJson(ctx, instance(ctx, config.id));
}

export function strategyRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tags = ['strategies'];
  app.get('/strategies/available', {
    config: { role: 'viewer' },
    schema: { tags, summary: 'Built-in strategies and their parameters', response: withErrors({ 200: obj({ items: arr(obj({ id: str, name: str, description: str, params: anyObject, constraints: arr(obj({ params: arr(str), rule: str })) })) }) }) },
  }, async () => ({ items: builtinStrategies().map((s) => ({ id: s.id, name: s.name, description: s.description, params: s.params, constraints: (s.constraints ?? []).map((c) => ({ params: c.params, rule: c.rule })) })) }));

  app.get('/strategies', {
    config: { role: 'viewer' },
    schema: { tags, summary: 'Strategy instances of the session (running and stopped) with their P&L', response: withErrors({ 200: obj({ items: arr(instanceSchema) }) }) },
  }, async () => ({ items: ctx.session.strategies().map((i) => instanceJson(ctx, i)) }));

  app.get<{ Params: { id: string } }>('/strategies/:id/performance', {
    config: { role: 'viewer' },
    schema: { tags, summary: 'One instance: orders, fills, mark-to-market P&L', params: obj({ id: text(NAME_MAX, 1) }), response: withErrors({ 200: anyObject, 404: anyObject }) },
  }, async (req) => {
    const i = instance(ctx, req.params.id);
    const orders = ctx.session.orders().filter((o) => o.strategyId === i.config.id);
    const byStatus: Record<string, number> = {};
    for (const o of orders) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
    return { ...instanceJson(ctx, i), orders: orders.length, ordersByStatus: byStatus };
  });

  app.post<{ Body: StrategyInstanceConfig }>('/strategies', {
    config: { role: 'trader' },
    schema: { tags, summary: 'Create and start a strategy instance from a config', body: instanceBody, response: withErrors({ 201: instanceSchema, 404: anyObject, 409: anyObject }) },
  }, async (req, reply) => {
    const body = req.body;
    if (ctx.session.strategies().some((i) => i.config.id === body.id)) {
      throw new Pi5Error('PI5_ERR_CONFLICT', `a strategy instance ${JSON.stringify(body.id)} exists; start, stop or update it instead`);
    }
    const config: StrategyInstanceConfig = { ...body, params: body.params ?? {}, symbols: body.symbols.map((s) => s.toUpperCase()) };
    const out = await audited(ctx, req, 'strategy.create', `strategy:${body.id}`, () => start(ctx, req, config), { strategy: body.strategy });
    return reply.status(201).send(out);
  });

  app.post<{ Params: { id: string } }>('/strategies/:id/start', {
    config: { role: 'trader' },
    schema: { tags, summary: 'Start a stopped instance again with its configuration', params: obj({ id: text(NAME_MAX, 1) }), response: withErrors({ 200: instanceSchema, 404: anyObject, 409: anyObject }) },
  }, async (req) => {
    const i = instance(ctx, req.params.id);
    if (i.running) throw new Pi5Error('PI5_ERR_CONFLICT', `strategy ${i.config.id} is already running`);
    return audited(ctx, req, 'strategy.start', `strategy:${i.config.id}`, () => start(ctx, req, i.config));
  });

  app.post<{ Params: { id: string } }>('/strategies/:id/stop', {
    config: { role: 'trader' },
    schema: { tags, summary: 'Stop an instance: its working orders are canceled, its positions stay', params: obj({ id: text(NAME_MAX, 1) }), response: withErrors({ 200: instanceSchema, 404: anyObject, 409: anyObject }) },
  }, async (req) => {
    const i = instance(ctx, req.params.id);
    if (!i.running) throw new Pi5Error('PI5_ERR_CONFLICT', `strategy ${i.config.id} is not running`);
    return audited(ctx, req, 'strategy.stop', `strategy:${i.config.id}`, async () => {
      await ctx.session.act({ kind: 'stopStrategy', id: i.config.id, by: who(req).username });
      return instanceJson(ctx, instance(ctx, i.config.id));
    });
  });

  app.put<{ Params: { id: string }; Body: { params: RawParams } }>('/strategies/:id/params', {
    config: { role: 'trader' },
    schema: {
      tags,
      summary: 'New parameters: the instance restarts with them (indicators warm up again from history)',
      params: obj({ id: text(NAME_MAX, 1) }),
      body: obj({ params: paramsSchema }),
      response: withErrors({ 200: instanceSchema, 404: anyObject }),
    },
  }, async (req) => {
    const i = instance(ctx, req.params.id);
    const config: StrategyInstanceConfig = { ...i.config, params: req.body.params };
    return audited(ctx, req, 'strategy.params', `strategy:${i.config.id}`, async () => {
      // Checked before stopping, so bad parameters leave the running instance alone.
      const def = ctx.session.resolveStrategy(config.strategy);
      if (def) resolveParams(def.id, def.params, config.params);
      if (i.running) await ctx.session.act({ kind: 'stopStrategy', id: i.config.id, by: who(req).username });
      return start(ctx, req, config);
    }, { params: req.body.params });
  });
}
