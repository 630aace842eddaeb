// /api/v1/portfolio, /positions and /trades: the trading session's account as a trader reads it (through its view).

import type { FastifyInstance } from 'fastify';
import { computeMetrics } from '../../backtest/metrics.js';
import { tradeStats } from '../../backtest/metrics/trades.js';
import { Pi5Error } from '../../core/errors.js';
import type { SessionView } from '../../engine/live/sessionView.js';
import type { ClosedTrade } from '../../model/types.js';
import { periodsPerYear } from '../../model/timeframe.js';
import type { AllocationConfigInput } from '../../risk/allocation/index.js';
import { who } from '../authGuard.js';
import { audited, type ApiContext } from '../context.js';
import { anyObject, arr, int, intIn, num, nullable, obj, page, pageQuery, portfolioSchema, positionSchema, str, text, withErrors, type JsonSchema } from '../schemas.js';
import { sortList, type SortDir } from '../sortList.js';
import { orderJson } from './orders.js';

const TRADE_SORT_KEYS = ['symbol', 'side', 'quantity', 'entryTime', 'entryPrice', 'exitTime', 'exitPrice', 'pnl'] as const satisfies readonly (keyof ClosedTrade)[];
type TradeSortKey = (typeof TRADE_SORT_KEYS)[number];

export function positionsOf(session: SessionView): Record<string, unknown>[] {
  return session.positions().map((p) => ({ ...p }));
}

export function portfolioJson(session: SessionView): Record<string, unknown> {
  const s = session.account();
  return { ...s, ts: Number.isFinite(s.ts) ? s.ts : null };
}

/** Every n-th point so a long curve fits `max` points; the last point is always kept. */
function downsample(ts: readonly number[], eq: readonly number[], max: number): { ts: number; equity: number }[] {
  const n = ts.length;
  const every = Math.max(1, Math.ceil(n / max));
  const out: { ts: number; equity: number }[] = [];
  for (let i = 0; i < n; i += every) out.push({ ts: ts[i] as number, equity: eq[i] as number });
  if (n > 0 && (n - 1) % every !== 0) out.push({ ts: ts[n - 1] as number, equity: eq[n - 1] as number });
  return out;
}

function performance(ctx: ApiContext): Record<string, unknown> {
  const s = ctx.session;
  const curve = s.curve();
  const steps = curve.ts.length;
  if (steps < 2) return { steps, metrics: null };
  const totals = s.totals();
  const metrics = computeMetrics({
    times: Float64Array.from(curve.ts),
    equity: Float64Array.from([s.startingCash, ...curve.equity]),
    inMarket: Uint8Array.from(curve.inMarket),
    trades: s.trades(),
    tradedNotional: totals.tradedNotional,
    commissions: totals.commissions,
    slippage: totals.slippage,
    periodsPerYear: periodsPerYear(s.baseTimeframe),
    riskFreeRate: 0,
  });
  return { steps, metrics };
}

const allocationSchema = obj({
  config: nullable(anyObject),
  equity: num,
  strategies: arr(obj({ strategy: str, target: num, weight: num, capital: num, grossExposure: num, pnl: num, history: int })),
  lastRebalance: nullable(anyObject),
});

export function portfolioRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tags = ['portfolio'];
  app.get('/portfolio', { config: { role: 'viewer' }, schema: { tags, summary: 'Cash, equity, positions value, day P&L', response: withErrors({ 200: portfolioSchema }) } }, async () =>
    portfolioJson(ctx.session),
  );
  app.get<{ Querystring: { points: number } }>('/portfolio/history', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'Equity curve (one point per step, thinned to at most `points`)',
      querystring: obj({ points: { ...intIn(2, 10000), default: 1000 } }, ['points']),
      response: withErrors({ 200: obj({ startingCash: num, points: arr(obj({ ts: num, equity: num })) }) }),
    },
  }, async (req) => ({ startingCash: ctx.session.startingCash, points: downsample(ctx.session.curve().ts, ctx.session.curve().equity, req.query.points) }));
  app.get('/portfolio/performance', { config: { role: 'viewer' }, schema: { tags, summary: 'Return, risk and trade metrics of the session so far (METRICS.md)', response: withErrors({ 200: obj({ steps: int, metrics: nullable(anyObject) }) }) } }, async () =>
    performance(ctx),
  );
  app.get('/portfolio/allocation', { config: { role: 'viewer' }, schema: { tags, summary: 'Weights by symbol and by strategy', response: withErrors({ 200: anyObject }) } }, async () => ctx.session.allocation());
  app.get('/portfolio/allocation/policy', {
    config: { role: 'viewer' },
    schema: { tags, summary: 'Capital allocation across strategies: policy, targets and current weights', response: withErrors({ 200: allocationSchema }) },
  }, async () => ctx.session.allocationPolicy());
  app.put<{ Body: Record<string, unknown> }>('/portfolio/allocation/policy', {
    config: { role: 'admin' },
    schema: { tags, summary: 'Set the allocation across strategies (docs/risk.md); rebalances at once', body: anyObject, response: withErrors({ 200: allocationSchema }) },
  }, async (req) =>
    audited(ctx, req, 'portfolio.allocation.set', null, async () => {
      // Validated (zod) by the action before it is applied or recorded: a bad one is a 400 and changes nothing.
      await ctx.session.act({ kind: 'setAllocation', allocation: req.body as AllocationConfigInput, by: who(req).username });
      return ctx.session.allocationPolicy();
    }, { allocation: req.body }),
  );
  app.delete('/portfolio/allocation/policy', {
    config: { role: 'admin' },
    schema: { tags, summary: 'Remove the allocation: strategies size on the whole account again', response: withErrors({ 200: allocationSchema }) },
  }, async (req) =>
    audited(ctx, req, 'portfolio.allocation.clear', null, async () => {
      await ctx.session.act({ kind: 'setAllocation', allocation: null, by: who(req).username });
      return ctx.session.allocationPolicy();
    }),
  );
  app.get('/portfolio/risk', { config: { role: 'viewer' }, schema: { tags, summary: 'Latest risk snapshot: exposure, VaR/ES, drawdown, HHI', response: withErrors({ 200: obj({ snapshot: nullable(anyObject) }) }) } }, async () => ({
    snapshot: ctx.session.riskSnapshot(),
  }));
  app.get('/portfolio/stats', { config: { role: 'viewer' }, schema: { tags, summary: 'Closed-trade statistics', response: withErrors({ 200: anyObject }) } }, async () => ({
    ...tradeStats(ctx.session.trades()),
    ...ctx.session.totals(),
  }));
  app.post<{ Body: { weights: Record<string, number> } }>('/portfolio/rebalance', {
    config: { role: 'trader' },
    schema: {
      tags,
      summary: 'Market orders that move each symbol to a target weight of equity (symbols not named keep their position)',
      body: obj({ weights: { type: 'object', propertyNames: text(32, 1), additionalProperties: { type: 'number', minimum: -1, maximum: 1 }, minProperties: 1, maxProperties: 500 } }),
      response: withErrors({ 200: obj({ orders: arr(anyObject) }) }),
    },
  }, async (req) =>
    audited(ctx, req, 'portfolio.rebalance', null, async () => {
      const out = await ctx.session.act({ kind: 'rebalance', weights: req.body.weights, by: req.identity?.username ?? '?' });
      if (out.kind !== 'orders') throw new Pi5Error('PI5_ERR_INTERNAL', 'rebalance gave no orders');
      return { orders: out.orders.map(orderJson) };
    }, { weights: req.body.weights }),
  );

  app.get('/positions', { config: { role: 'viewer' }, schema: { tags: ['positions'], summary: 'Every symbol of the session with its position', response: withErrors({ 200: obj({ items: arr(positionSchema) }) }) } }, async () => ({
    items: positionsOf(ctx.session),
  }));
  app.get('/positions/by-strategy', {
    config: { role: 'viewer' },
    schema: {
      tags: ['positions'],
      summary: 'Positions by the strategy that opened them (manual: orders placed by hand); mode says whose position a strategy acts on',
      response: withErrors({ 200: obj({ mode: { type: 'string', enum: ['strategy', 'netting'] }, items: arr(obj({ strategy: str, ...(positionSchema.properties as Record<string, JsonSchema>) })) }) }),
    },
  }, async () => ctx.session.positionsByStrategy());
  app.get<{ Params: { symbol: string } }>('/positions/:symbol', {
    config: { role: 'viewer' },
    schema: { tags: ['positions'], summary: 'One symbol\'s position', params: obj({ symbol: text(32, 1) }), response: withErrors({ 200: positionSchema, 404: anyObject }) },
  }, async (req) => {
    const p = positionsOf(ctx.session).find((x) => x.symbol === req.params.symbol.toUpperCase() || x.symbol === req.params.symbol);
    if (!p) throw new Pi5Error('PI5_ERR_NOT_FOUND', `no symbol ${req.params.symbol} in this session`);
    return p;
  });
  app.get<{ Querystring: { limit: number; offset: number; symbol?: string; sort?: TradeSortKey; dir?: SortDir } }>('/trades', {
    config: { role: 'viewer' },
    schema: {
      tags: ['positions'],
      summary: 'Closed round trips, newest first, or sorted by `sort` (`dir` asc, the default, or desc) across every page',
      querystring: { ...pageQuery, properties: { ...(pageQuery.properties as object), symbol: text(32), sort: { type: 'string', enum: [...TRADE_SORT_KEYS] }, dir: { type: 'string', enum: ['asc', 'desc'] } } },
      response: withErrors({ 200: page(anyObject) }),
    },
  }, async (req) => {
    const q = req.query;
    const newestFirst = ctx.session.trades().filter((t) => q.symbol === undefined || t.symbol === q.symbol).reverse();
    // Ties keep their newest-first order.
    const all = q.sort === undefined ? newestFirst : sortList(newestFirst, q.sort, q.dir ?? 'asc');
    return { items: all.slice(q.offset, q.offset + q.limit), total: all.length, limit: q.limit, offset: q.offset };
  });
}
