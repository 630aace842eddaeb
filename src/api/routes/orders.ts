// /api/v1/orders: list with filters, get, submit (through the same risk engine and OMS as strategies),
// cancel one, cancel all. Submissions are rate-limited per user and audited.

import type { FastifyInstance } from 'fastify';
import { Pi5Error } from '../../core/errors.js';
import { ORDER_STATUSES, ORDER_TYPES, TIME_IN_FORCE, type BracketRequest, type Order, type OrderChanges, type OrderRequest } from '../../model/types.js';
import { who } from '../authGuard.js';
import { audited, type ApiContext } from '../context.js';
import { enforceRate } from '../rateLimit.js';
import { sortList, type SortDir } from '../sortList.js';
import { int, NAME_MAX, obj, orderSchema, page, pageQuery, positiveIn, text, withErrors } from '../schemas.js';

export function orderJson(o: Order): Record<string, unknown> {
  return { ...o };
}

// Finite and far above any real quantity or price, so no value overflows a stored numeric.
const positive = positiveIn(1e15);
const idParams = obj({ id: text(NAME_MAX, 1) });

const submitBody = obj(
  {
    symbol: text(32, 1),
    side: { type: 'string', enum: ['buy', 'sell'] },
    quantity: positive,
    type: { type: 'string', enum: [...ORDER_TYPES] },
    limitPrice: positive,
    stopPrice: positive,
    trailAmount: positive,
    trailPercent: positive,
    tif: { type: 'string', enum: [...TIME_IN_FORCE] },
    clientOrderId: text(64, 1, '^[A-Za-z0-9._:-]+$'),
    tag: text(64),
    // Exits that start working once the entry fills and cancel each other (one-cancels-other).
    bracket: {
      ...obj({ takeProfit: obj({ limitPrice: positive }), stopLoss: obj({ stopPrice: positive, limitPrice: positive }, ['limitPrice']) }, ['takeProfit', 'stopLoss']),
      minProperties: 1,
    },
  },
  ['type', 'limitPrice', 'stopPrice', 'trailAmount', 'trailPercent', 'tif', 'clientOrderId', 'tag', 'bracket'],
);

type SubmitBody = OrderRequest & { readonly bracket?: Omit<BracketRequest, 'entry'> };

/** A bracket's exits must sit on the right sides: for a buy, take-profit above stop-loss (a sell the mirror). */
function checkBracket(side: OrderRequest['side'], b: Omit<BracketRequest, 'entry'>): void {
  const tp = b.takeProfit?.limitPrice;
  const sl = b.stopLoss?.stopPrice;
  if (tp === undefined || sl === undefined) return;
  if (side === 'buy' ? tp <= sl : tp >= sl) {
    const want = side === 'buy' ? 'above' : 'below';
    throw new Pi5Error('PI5_ERR_BAD_ORDER', `bracket: the take-profit ${tp} of a ${side} must be ${want} its stop-loss ${sl}`, { field: 'bracket.takeProfit.limitPrice' });
  }
}

/** The order fields the list sorts by (the dashboard's columns). */
const ORDER_SORT_KEYS = ['id', 'createdAt', 'updatedAt', 'symbol', 'side', 'type', 'quantity', 'filledQuantity', 'limitPrice', 'stopPrice', 'avgFillPrice', 'status', 'strategyId'] as const satisfies readonly (keyof Order)[];
type OrderSortKey = (typeof ORDER_SORT_KEYS)[number];

interface ListQuery {
  limit: number;
  offset: number;
  sort?: OrderSortKey;
  dir?: SortDir;
  status?: string;
  symbol?: string;
  strategy?: string;
  open?: boolean;
}

function findOrder(ctx: ApiContext, id: string): Order {
  const n = Number(id);
  const o = Number.isSafeInteger(n) && n > 0 ? ctx.session.order(n) : ctx.session.orderByClientId(id);
  if (!o) throw new Pi5Error('PI5_ERR_NOT_FOUND', `no order ${JSON.stringify(id)} (give the order id or its client order id)`);
  return o;
}

export function orderRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tags = ['orders'];
  app.get<{ Querystring: ListQuery }>('/orders', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'Orders, newest first, filtered by status, symbol, strategy or open only; or sorted by `sort` (`dir` asc, the default, or desc) across every page',
      querystring: {
        ...pageQuery,
        properties: { ...(pageQuery.properties as object), status: { type: 'string', enum: [...ORDER_STATUSES] }, symbol: text(32), strategy: text(NAME_MAX), open: { type: 'boolean' }, sort: { type: 'string', enum: [...ORDER_SORT_KEYS] }, dir: { type: 'string', enum: ['asc', 'desc'] } },
      },
      response: withErrors({ 200: page(orderSchema) }),
    },
  }, async (req) => {
    const q = req.query;
    const source = q.open === true ? [...ctx.session.openOrders()] : ctx.session.orders();
    const newestFirst = source
      .filter((o) => (q.status === undefined || o.status === q.status) && (q.symbol === undefined || o.symbol === q.symbol) && (q.strategy === undefined || (o.strategyId ?? 'manual') === q.strategy))
      .reverse();
    // Ties keep their newest-first order.
    const all = q.sort === undefined ? newestFirst : sortList(newestFirst, q.sort, q.dir ?? 'asc');
    return { items: all.slice(q.offset, q.offset + q.limit).map(orderJson), total: all.length, limit: q.limit, offset: q.offset };
  });

  app.get<{ Params: { id: string } }>('/orders/:id', {
    config: { role: 'viewer' },
    schema: { tags, summary: 'One order by id or client order id', params: idParams, response: withErrors({ 200: orderSchema, 404: obj({}, [], true) }) },
  }, async (req) => orderJson(findOrder(ctx, req.params.id)));

  app.post<{ Body: SubmitBody }>('/orders', {
    config: { role: 'trader' },
    schema: {
      tags,
      summary: 'Submit an order, with `bracket` an entry whose take-profit / stop-loss exits work once it fills; 201 with the (entry) order, status rejected with the risk reason when a pre-trade check refuses it',
      body: submitBody,
      response: withErrors({ 201: orderSchema, 429: obj({}, [], true) }),
    },
  }, async (req, reply) => {
    const user = who(req);
    await enforceRate(ctx.cache, `orders:${user.userId}`, ctx.orderRatePerMin, 'order submissions');
    const { bracket, ...entry } = req.body;
    const request: OrderRequest = { ...entry, symbol: entry.symbol.toUpperCase() };
    if (bracket !== undefined) checkBracket(request.side, bracket);
    return audited(ctx, req, 'order.submit', request.clientOrderId ?? null, async () => {
      // A client order id is idempotent: resubmitting it returns the order it made, never a second one.
      if (request.clientOrderId !== undefined) {
        const existing = ctx.session.orderByClientId(request.clientOrderId);
        if (existing) return reply.status(200).send(orderJson(existing));
      }
      if (bracket !== undefined) {
        const out = await ctx.session.act({ kind: 'submitBracket', request: { entry: request, ...bracket }, by: user.username });
        const first = out.kind === 'orders' ? out.orders[0] : undefined;
        if (first === undefined) throw new Pi5Error('PI5_ERR_INTERNAL', 'bracket submission gave no order');
        return reply.status(201).send(orderJson(first));
      }
      const out = await ctx.session.act({ kind: 'submitOrder', request, by: user.username });
      if (out.kind !== 'order') throw new Pi5Error('PI5_ERR_INTERNAL', 'order submission gave no order');
      return reply.status(201).send(orderJson(out.order));
    }, { symbol: request.symbol, side: request.side, quantity: request.quantity, ...(bracket === undefined ? {} : { bracket }) });
  });

  app.delete<{ Params: { id: string } }>('/orders/:id', {
    config: { role: 'trader' },
    schema: { tags, summary: 'Cancel a working order', params: idParams, response: withErrors({ 200: orderSchema, 404: obj({}, [], true), 409: obj({}, [], true) }) },
  }, async (req) => {
    const o = findOrder(ctx, req.params.id);
    return audited(ctx, req, 'order.cancel', `order:${o.clientOrderId}`, async () => {
      const out = await ctx.session.act({ kind: 'cancelOrder', orderId: o.id, by: who(req).username });
      if (out.kind === 'changed' && !out.changed) throw new Pi5Error('PI5_ERR_CONFLICT', `order ${o.id} is ${o.status} and cannot be canceled`);
      return orderJson(ctx.session.order(o.id) ?? o);
    });
  });

  app.patch<{ Params: { id: string }; Body: OrderChanges }>('/orders/:id', {
    config: { role: 'trader' },
    schema: {
      tags,
      summary: 'Modify a working order (cancel/replace: quantity is the new total, prices, TIF); risk-checked again',
      params: idParams,
      body: { ...obj({ quantity: positive, limitPrice: positive, stopPrice: positive, trailAmount: positive, trailPercent: positive, tif: { type: 'string', enum: [...TIME_IN_FORCE] } }, ['quantity', 'limitPrice', 'stopPrice', 'trailAmount', 'trailPercent', 'tif']), minProperties: 1 },
      response: withErrors({ 200: orderSchema, 404: obj({}, [], true), 409: obj({}, [], true) }),
    },
  }, async (req) => {
    const o = findOrder(ctx, req.params.id);
    return audited(ctx, req, 'order.modify', `order:${o.clientOrderId}`, async () => {
      const out = await ctx.session.act({ kind: 'modifyOrder', orderId: o.id, changes: req.body, by: who(req).username });
      if (out.kind !== 'modify') throw new Pi5Error('PI5_ERR_INTERNAL', 'order modify gave no result');
      if (out.result.kind !== 'modified') {
        const why = out.result.kind === 'denied' ? `: ${out.result.denial.code} ${out.result.denial.message}` : '';
        throw new Pi5Error('PI5_ERR_CONFLICT', `order ${o.id} (${o.status}) was not modified${why}`);
      }
      return orderJson(ctx.session.order(o.id) ?? o);
    }, { changes: req.body });
  });

  app.delete<{ Querystring: { symbol?: string } }>('/orders', {
    config: { role: 'trader' },
    schema: { tags, summary: 'Cancel every working order (of one symbol)', querystring: obj({ symbol: text(32) }, ['symbol']), response: withErrors({ 200: obj({ canceled: int }) }) },
  }, async (req) =>
    audited(ctx, req, 'order.cancelAll', req.query.symbol ?? null, async () => {
      const out = await ctx.session.act({ kind: 'cancelAll', ...(req.query.symbol === undefined ? {} : { symbol: req.query.symbol }), by: who(req).username });
      return { canceled: out.kind === 'count' ? out.count : 0 };
    }),
  );
}
