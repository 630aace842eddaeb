// /api/v1/optimizations: start a parameter search (queued, then run on a worker thread and its trial pool),
// list runs, follow one's progress, read its result (best, diagnostics, walk-forward), its trials (sorted by any
// metric, paged) and its HTML report, cancel it. Starting and canceling are audited.

import type { FastifyInstance } from 'fastify';
import { MAX_TRIALS, MAX_WORKERS } from '../../optimize/jobs/optimizationRequest.js';
import { OPTIMIZATION_STATUSES, type OptimizationRunRecord, type OptimizationStatus } from '../../persistence/repositories/optimizationRuns.js';
import { SEARCH_METHODS } from '../../optimize/search.js';
import { who } from '../authGuard.js';
import { audited, type ApiContext } from '../context.js';
import { anyObject, arr, bool, int, intIn, NAME_MAX, nullable, num, obj, page, pageQuery, str, text as boundedText, withErrors, type JsonSchema } from '../schemas.js';
import { conflict, idParams, reportRoute, RUN_BODY_OPTIONAL, RUN_BODY_PROPERTIES } from './backtests.js';

const text = (maxLength: number): JsonSchema => boundedText(maxLength, 1);
const exprList = { type: 'array', items: text(200), maxItems: 20 };
const unit = { type: 'number', minimum: 0, maximum: 1 };

const startBody = obj(
  {
    ...RUN_BODY_PROPERTIES,
    grid: {
      type: 'object', minProperties: 1, maxProperties: 16, propertyNames: text(NAME_MAX), additionalProperties: text(200),
      description: 'searched parameters: name → from:to:step, from:to, a,b,c or * (as `pi5 optimize --grid name=spec`)',
    },
    where: { ...exprList, description: 'rules over parameters, e.g. "fast < slow"' },
    objective: { ...text(200), description: 'maximized: a metric name or an expression over metrics (default sharpe)' },
    constraints: { ...exprList, description: 'a trial counts only if each holds, e.g. "maxDrawdown < 0.2"' },
    method: { type: 'string', enum: [...SEARCH_METHODS] },
    budget: intIn(1, MAX_TRIALS),
    seed: { type: 'integer', minimum: -2_147_483_648, maximum: 2_147_483_647 },
    patience: intIn(1, MAX_TRIALS),
    population: intIn(2, 1000),
    crossover: unit,
    mutation: unit,
    walkForward: { ...text(64), description: 'walk-forward windows: is=2y,oos=6m[,anchored]' },
    workers: { ...intIn(1, MAX_WORKERS), description: 'trial worker threads (capped to the cores of the server)' },
  },
  [...RUN_BODY_OPTIONAL, 'where', 'objective', 'constraints', 'method', 'budget', 'seed', 'patience', 'population', 'crossover', 'mutation', 'walkForward', 'workers'],
);

export const optimizationRunSchema = obj({
  id: int,
  strategy: str,
  method: str,
  objective: str,
  origin: { type: 'string', enum: ['api', 'cli'] },
  status: { type: 'string', enum: [...OPTIMIZATION_STATUSES] },
  progress: num,
  trials: int,
  trialsPlanned: nullable(int),
  bestObjective: nullable(num),
  config: anyObject,
  error: nullable(str),
  userId: nullable(int),
  createdAt: num,
  startedAt: nullable(num),
  finishedAt: nullable(num),
  resumes: { ...int, description: 'times the run was resumed after a server restart' },
  trialsReused: { ...int, description: 'stored trials the last resume reused instead of running them again' },
});

const paramValue: JsonSchema = { type: ['number', 'string', 'boolean'] };
const heatBinSchema = obj({ from: num, width: num });
const heatCellSchema = obj({ x: paramValue, y: paramValue, objective: nullable(num), trials: int });

const trialSchema = obj({
  window: nullable(int),
  id: int,
  params: anyObject,
  point: anyObject,
  objective: nullable(num),
  feasible: bool,
  violated: arr(str),
  metrics: anyObject,
});

interface ListQuery {
  limit: number;
  offset: number;
  status?: OptimizationStatus;
  strategy?: string;
}

interface TrialsQuery {
  limit: number;
  offset: number;
  sort: string;
  dir: 'asc' | 'desc';
  window?: number;
  feasible?: boolean;
}

function runJson(r: OptimizationRunRecord): Record<string, unknown> {
  return { ...r };
}

export function optimizationRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tags = ['optimizations'];
  app.post<{ Body: Record<string, unknown> }>('/optimizations', {
    config: { role: 'trader' },
    schema: {
      tags,
      summary: 'Queue a parameter search of a built-in strategy (grid, random, bayes, genetic, pso; optional walk-forward); 202 with the run, then poll it or follow channel `optimizations`',
      body: startBody,
      response: withErrors({ 202: optimizationRunSchema }),
    },
  }, async (req, reply) => {
    const user = who(req);
    const body = req.body;
    const run = await audited(ctx, req, 'optimization.start', null, () => ctx.optimizations.start(body, user.userId), {
      strategy: body.strategy,
      symbols: body.symbols,
      method: body.method ?? 'grid',
    });
    return reply.status(202).send(runJson(run));
  });

  app.get<{ Querystring: ListQuery }>('/optimizations', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'Optimization runs (API and `pi5 optimize --store`), newest first, filtered by status or strategy',
      querystring: { ...pageQuery, properties: { ...(pageQuery.properties as object), status: { type: 'string', enum: [...OPTIMIZATION_STATUSES] }, strategy: text(NAME_MAX) } },
      response: withErrors({ 200: page(optimizationRunSchema) }),
    },
  }, async (req) => {
    const q = req.query;
    const { items, total } = await ctx.optimizations.list({ limit: q.limit, offset: q.offset, ...(q.status === undefined ? {} : { status: q.status }), ...(q.strategy === undefined ? {} : { strategy: q.strategy }) });
    return { items: items.map(runJson), total, limit: q.limit, offset: q.offset };
  });

  app.get<{ Params: { id: number } }>('/optimizations/:id', {
    config: { role: 'viewer' },
    schema: { tags, summary: 'One run: status, progress (0..1), trials so far, best objective, config, error', params: idParams, response: withErrors({ 200: optimizationRunSchema, 404: conflict }) },
  }, async (req) => runJson(await ctx.optimizations.get(req.params.id)));

  app.get<{ Params: { id: number } }>('/optimizations/:id/result', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'The result of a finished run: the `pi5 optimize --json` document without its trial list (best { params, objective, metrics }, stats, diagnostics; for a walk-forward run walkForward, each window with its own diagnostics and the verdict on the whole analysis in walkForward.diagnostics); 409 until it is done',
      params: idParams,
      response: withErrors({ 200: anyObject, 404: conflict, 409: conflict }),
    },
  }, async (req, reply) => reply.type('application/json; charset=utf-8').send(await ctx.optimizations.result(req.params.id)));

  app.get<{ Params: { id: number }; Querystring: TrialsQuery }>('/optimizations/:id/trials', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'A page of the trials stored so far, each with all its metrics; sorted by trial, objective or any metric (nulls last)',
      params: idParams,
      querystring: {
        ...pageQuery,
        properties: {
          ...(pageQuery.properties as object),
          sort: { ...text(NAME_MAX), default: 'trial' },
          dir: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
          window: { ...intIn(0, 100_000), description: 'walk-forward window (0-based)' },
          feasible: { type: 'boolean', description: 'only trials that met the constraints' },
        },
      },
      response: withErrors({ 200: page(trialSchema), 404: conflict }),
    },
  }, async (req) => {
    const q = req.query;
    const { items, total } = await ctx.optimizations.trials(req.params.id, {
      limit: q.limit, offset: q.offset, sort: q.sort, dir: q.dir, ...(q.window === undefined ? {} : { window: q.window }), ...(q.feasible === undefined ? {} : { feasibleOnly: q.feasible }),
    });
    return { items, total, limit: q.limit, offset: q.offset };
  });

  app.get<{ Params: { id: number }; Querystring: { x: string; y: string; window?: number } }>('/optimizations/:id/heatmap', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'The objective over two searched parameters, aggregated in the database over every stored trial: per pair of values (a numeric parameter with more than 40 values in 40 equal bins, keyed by lower edge), the best feasible objective (null: none feasible) and the number of trials',
      params: idParams,
      querystring: obj({ x: text(NAME_MAX), y: text(NAME_MAX), window: { ...intIn(0, 100_000), description: 'walk-forward window (0-based)' } }, ['window']),
      response: withErrors({ 200: obj({ x: str, y: str, trials: int, cells: arr(heatCellSchema), bins: obj({ x: nullable(heatBinSchema), y: nullable(heatBinSchema) }) }), 404: conflict }),
    },
  }, async (req) => {
    const { x, y, window } = req.query;
    const { cells, trials, bins } = await ctx.optimizations.heatmap(req.params.id, { x, y, ...(window === undefined ? {} : { window }) });
    return { x, y, trials, cells, bins };
  });

  app.get<{ Params: { id: number } }>('/optimizations/:id/report', {
    config: { role: 'viewer' },
    ...reportRoute,
    schema: {
      tags,
      summary: 'The HTML report of a finished run (as `pi5 optimize --report` writes it: heatmap, convergence, stability, diagnostics; walk-forward equity); 409 until it is done',
      params: idParams,
      produces: ['text/html'],
      response: withErrors({ 200: { type: 'string' }, 404: conflict, 409: conflict }),
    },
  }, async (req, reply) => reply.type('text/html; charset=utf-8').send(await ctx.optimizations.htmlReport(req.params.id)));

  app.delete<{ Params: { id: number } }>('/optimizations/:id', {
    config: { role: 'trader' },
    schema: { tags, summary: 'Cancel a queued or running run (its threads are stopped; trials so far are kept); 409 once it has ended', params: idParams, response: withErrors({ 200: optimizationRunSchema, 404: conflict, 409: conflict }) },
  }, async (req) =>
    audited(ctx, req, 'optimization.cancel', `optimization:${req.params.id}`, async () => runJson(await ctx.optimizations.cancel(req.params.id))),
  );
}
