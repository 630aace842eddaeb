// /api/v1/backtests: start a run (queued, then run on a worker thread), list runs, follow one's progress,
// fetch its §12 result JSON or HTML report, cancel it. Starting and canceling are audited.

import type { FastifyInstance, FastifyReply } from 'fastify';
import { BACKTEST_STATUSES, type BacktestJob, type BacktestStatus } from '../../backtest/jobs/backtestJobs.js';
import { DEMO_BARS_MAX } from '../../backtest/jobs/backtestRequest.js';
import { PRICE_ADJUSTMENTS } from '../../model/priceAdjustment.js';
import { who } from '../authGuard.js';
import { audited, type ApiContext } from '../context.js';
import { anyObject, idParam, int, NAME_MAX, nullable, num, obj, page, pageQuery, positiveIn, str, text as boundedText, withErrors, type JsonSchema } from '../schemas.js';

const text = (maxLength: number): JsonSchema => boundedText(maxLength, 1);

/** The body fields of a run (strategy, parameters, data, money, costs): a backtest's, and an optimization's beside its search. */
export const RUN_BODY_PROPERTIES: Record<string, JsonSchema> = {
  strategy: text(64),
  params: { type: 'object', maxProperties: 64, propertyNames: text(NAME_MAX), additionalProperties: { ...boundedText(200), type: ['string', 'number', 'boolean'] } },
  symbols: { type: 'array', items: text(32), minItems: 1, maxItems: 100 },
  timeframe: text(8),
  from: text(40),
  to: text(40),
  cash: positiveIn(1e15),
  size: text(64),
  commission: text(200),
  slippage: text(200),
  source: { type: 'string', enum: ['store', 'demo'] },
  demoBars: { type: 'integer', minimum: 2, maximum: DEMO_BARS_MAX },
  adjust: { type: 'string', enum: [...PRICE_ADJUSTMENTS], description: 'source "store": bars as traded (none, the default), split-adjusted, or split- and dividend-adjusted (all)' },
};
export const RUN_BODY_OPTIONAL = ['params', 'timeframe', 'from', 'to', 'cash', 'size', 'commission', 'slippage', 'source', 'demoBars', 'adjust'];

const startBody = obj(RUN_BODY_PROPERTIES, RUN_BODY_OPTIONAL);

export const backtestJobSchema = obj({
  id: int,
  strategy: str,
  status: { type: 'string', enum: [...BACKTEST_STATUSES] },
  progress: num,
  config: anyObject,
  metrics: nullable(anyObject),
  error: nullable(str),
  userId: nullable(int),
  createdAt: num,
  startedAt: nullable(num),
  finishedAt: nullable(num),
});

export const idParams = obj({ id: idParam });
export const conflict = obj({}, [], true);

/** The report is a self-contained page with inline CSS and SVG and no scripts: let it style itself, nothing more. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

/** Route options of a stored HTML report: its content security policy on a 200. */
export const reportRoute = {
  onSend: async (_req: unknown, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    if (reply.statusCode === 200) void reply.header('content-security-policy', REPORT_CSP);
    return payload;
  },
};

interface ListQuery {
  limit: number;
  offset: number;
  status?: BacktestStatus;
  strategy?: string;
}

function jobJson(j: BacktestJob): Record<string, unknown> {
  return { ...j };
}

export function backtestRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tags = ['backtests'];
  app.post<{ Body: Record<string, unknown> }>('/backtests', {
    config: { role: 'trader' },
    schema: {
      tags,
      summary: 'Queue a backtest of a built-in strategy on stored bars (or seeded demo data); 202 with the run, then poll it or follow channel `backtests`',
      body: startBody,
      response: withErrors({ 202: backtestJobSchema }),
    },
  }, async (req, reply) => {
    const user = who(req);
    const body = req.body;
    const job = await audited(ctx, req, 'backtest.start', null, () => ctx.backtests.start(body, user.userId), {
      strategy: body.strategy,
      symbols: body.symbols,
      source: body.source ?? 'store',
    });
    return reply.status(202).send(jobJson(job));
  });

  app.get<{ Querystring: ListQuery }>('/backtests', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'Backtest runs, newest first, filtered by status or strategy',
      querystring: { ...pageQuery, properties: { ...(pageQuery.properties as object), status: { type: 'string', enum: [...BACKTEST_STATUSES] }, strategy: text(NAME_MAX) } },
      response: withErrors({ 200: page(backtestJobSchema) }),
    },
  }, async (req) => {
    const q = req.query;
    const { items, total } = await ctx.backtests.list({ limit: q.limit, offset: q.offset, ...(q.status === undefined ? {} : { status: q.status }), ...(q.strategy === undefined ? {} : { strategy: q.strategy }) });
    return { items: items.map(jobJson), total, limit: q.limit, offset: q.offset };
  });

  app.get<{ Params: { id: number } }>('/backtests/:id', {
    config: { role: 'viewer' },
    schema: { tags, summary: 'One run: status, progress (0..1), config, metrics once done, error if it failed', params: idParams, response: withErrors({ 200: backtestJobSchema, 404: conflict }) },
  }, async (req) => jobJson(await ctx.backtests.get(req.params.id)));

  app.get<{ Params: { id: number } }>('/backtests/:id/result', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'The result JSON of a finished run (the `pi5 backtest --json` shape, DESIGN.md §12); 409 until it is done',
      params: idParams,
      response: withErrors({ 200: anyObject, 404: conflict, 409: conflict }),
    },
  }, async (req, reply) => {
    // Stored JSON text goes out as it is: no parse and re-serialize of a possibly long equity curve.
    const json = await ctx.backtests.result(req.params.id);
    return reply.type('application/json; charset=utf-8').send(json);
  });

  app.get<{ Params: { id: number } }>('/backtests/:id/report', {
    config: { role: 'viewer' },
    ...reportRoute,
    schema: {
      tags,
      summary: 'The HTML report of a finished run (as `pi5 backtest --report` writes it); 409 until it is done',
      params: idParams,
      produces: ['text/html'],
      response: withErrors({ 200: { type: 'string' }, 404: conflict, 409: conflict }),
    },
  }, async (req, reply) => {
    const html = await ctx.backtests.htmlReport(req.params.id);
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.delete<{ Params: { id: number } }>('/backtests/:id', {
    config: { role: 'trader' },
    schema: { tags, summary: 'Cancel a queued or running run (its worker is stopped); 409 once it has ended', params: idParams, response: withErrors({ 200: backtestJobSchema, 404: conflict, 409: conflict }) },
  }, async (req) =>
    audited(ctx, req, 'backtest.cancel', `backtest:${req.params.id}`, async () => jobJson(await ctx.backtests.cancel(req.params.id))),
  );
}
