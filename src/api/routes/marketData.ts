// /api/v1 market data: the providers and whether they are set up, symbol search, bars (the store, or the paper
// session's feed up to its current step, never beyond) and the latest quote.

import type { FastifyInstance } from 'fastify';
import { Pi5Error } from '../../core/errors.js';
import { breakerStates } from '../../data/providers/resilience/index.js';
import { SUPPORTED_PROVIDERS } from '../../data/providers/index.js';
import { PRICE_ADJUSTMENTS } from '../../model/priceAdjustment.js';
import type { BarStore, StoredSeries } from '../../persistence/barStore.js';
import type { ApiContext } from '../context.js';
import { arr, bool, int, intIn, nullable, num, obj, str, text, withErrors } from '../schemas.js';
import { TtlCache } from '../ttlCache.js';
import { BARS_FORMATS, MAX_BARS, readBars, type BarsQuery } from './marketBars.js';

/** How long a serialized answer of stored bars is reused (imports show up after at most this). */
const STORE_RESPONSE_TTL_MS = 2000;

/** Environment variables a provider needs before it can be used; yahoo needs none. */
const PROVIDER_KEYS: Readonly<Record<string, readonly string[]>> = {
  yahoo: [],
  alphavantage: ['ALPHAVANTAGE_API_KEY'],
  alpaca: ['APCA_API_KEY_ID', 'APCA_API_SECRET_KEY'],
};

const breakerSchema = obj({ state: str, consecutiveFailures: int, openedAt: nullable(num), retryAt: nullable(num) });
const providerSchema = obj({ name: str, configured: bool, requiresKey: bool, keyEnv: arr(str), breaker: nullable(breakerSchema) });
const symbolSchema = obj({ symbol: str, inStore: bool, inSession: bool, timeframes: arr(str), firstTs: nullable(num), lastTs: nullable(num), bars: int });
const barSchema = obj({ ts: num, open: num, high: num, low: num, close: num, volume: num });
const barColumnsSchema = obj({ ts: arr(num), open: arr(num), high: arr(num), low: arr(num), close: arr(num), volume: arr(num) });
const quoteSchema = obj({ symbol: str, ts: num, bid: num, ask: num, bidSize: num, askSize: num, last: nullable(num), source: { type: 'string', enum: ['cache', 'session'] } });
const notFound = obj({}, [], true);

function providers(env: NodeJS.ProcessEnv): Record<string, unknown>[] {
  const breakers = new Map(breakerStates().map((b) => [b.name, b]));
  return SUPPORTED_PROVIDERS.map((name) => {
    const keyEnv = PROVIDER_KEYS[name] ?? [];
    const b = breakers.get(name);
    return {
      name,
      configured: keyEnv.every((k) => (env[k] ?? '') !== ''),
      requiresKey: keyEnv.length > 0,
      keyEnv: [...keyEnv],
      breaker: b === undefined ? null : { state: b.state, consecutiveFailures: b.consecutiveFailures, openedAt: b.openedAt ?? null, retryAt: b.retryAt ?? null },
    };
  });
}

interface SymbolInfo {
  symbol: string;
  inStore: boolean;
  inSession: boolean;
  timeframes: string[];
  firstTs: number | null;
  lastTs: number | null;
  bars: number;
}

/** Every symbol the store or the session knows, with what the store holds of it. */
function knownSymbols(stored: readonly StoredSeries[], sessionSymbols: readonly string[]): SymbolInfo[] {
  const by = new Map<string, SymbolInfo>();
  const entry = (symbol: string): SymbolInfo => {
    let e = by.get(symbol);
    if (e === undefined) {
      e = { symbol, inStore: false, inSession: false, timeframes: [], firstTs: null, lastTs: null, bars: 0 };
      by.set(symbol, e);
    }
    return e;
  };
  for (const s of stored) {
    const e = entry(s.symbol);
    e.inStore = true;
    e.timeframes.push(s.timeframe);
    e.firstTs = e.firstTs === null ? s.firstTs : Math.min(e.firstTs, s.firstTs);
    e.lastTs = e.lastTs === null ? s.lastTs : Math.max(e.lastTs, s.lastTs);
    e.bars += s.count;
  }
  for (const s of sessionSymbols) entry(s).inSession = true;
  return [...by.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
}

/** Symbols matching q (case-insensitive), those starting with it first. */
function search(all: readonly SymbolInfo[], q: string | undefined, limit: number): SymbolInfo[] {
  const needle = (q ?? '').trim().toUpperCase();
  if (needle === '') return all.slice(0, limit);
  const hits = all.filter((s) => s.symbol.toUpperCase().includes(needle));
  const rank = (s: SymbolInfo): number => (s.symbol.toUpperCase() === needle ? 0 : s.symbol.toUpperCase().startsWith(needle) ? 1 : 2);
  return hits.sort((a, b) => rank(a) - rank(b)).slice(0, limit);
}

async function symbolsOf(bars: BarStore, ctx: ApiContext): Promise<SymbolInfo[]> {
  return knownSymbols(await bars.list(), ctx.session.symbols());
}

const timeText = { ...text(40, 1), description: 'YYYY-MM-DD, ISO 8601 time, or epoch ms; inclusive' } as const;

export function marketDataRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const tags = ['market data'];
  app.get('/market/providers', {
    config: { role: 'viewer' },
    schema: { tags, summary: 'Historical data providers: configured (its keys are set) and circuit-breaker state in this process', response: withErrors({ 200: obj({ items: arr(providerSchema) }) }) },
  }, async () => ({ items: providers(process.env) }));

  app.get<{ Querystring: { q?: string; limit: number } }>('/market/symbols', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'Symbols with stored bars or in the paper session, matching q',
      querystring: obj({ q: text(32), limit: { ...intIn(1, 1000), default: 50 } }, ['q', 'limit']),
      response: withErrors({ 200: obj({ items: arr(symbolSchema), total: int }) }),
    },
  }, async (req) => {
    const all = await symbolsOf(ctx.bars, ctx);
    const items = search(all, req.query.q, req.query.limit);
    return { items, total: items.length };
  });

  const storeResponses = new TtlCache<Buffer>(STORE_RESPONSE_TTL_MS, 256);
  app.get<{ Querystring: BarsQuery }>('/bars', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary:
        'Bars of one symbol, oldest first: from the store, or (for a paper-session symbol not stored) the session feed up to its current step. With `from`: the first `limit` bars from it; without: the last `limit` bars up to `to`. `format=columns` answers `columns` (one array per field) instead of `items` and takes a `limit` up to 100,000',
      querystring: obj(
        {
          symbol: text(32, 1),
          timeframe: text(8, 1),
          from: timeText,
          to: timeText,
          limit: { ...intIn(1, MAX_BARS.columns), default: 1000, description: `at most ${MAX_BARS.rows} with format=rows` },
          format: { type: 'string', enum: [...BARS_FORMATS], default: 'rows', description: 'rows: `items`, one object per bar; columns: `columns`, one array per field' },
          adjust: {
            type: 'string',
            enum: [...PRICE_ADJUSTMENTS],
            default: 'none',
            description: 'stored bars as traded (none), split-adjusted (splits), or split- and dividend-adjusted (all), relative to the last bar returned',
          },
        },
        ['timeframe', 'from', 'to', 'limit', 'adjust', 'format'],
      ),
      response: withErrors({
        200: obj(
          { symbol: str, timeframe: str, source: { type: 'string', enum: ['store', 'session'] }, adjustment: { type: 'string', enum: [...PRICE_ADJUSTMENTS] }, items: arr(barSchema), columns: barColumnsSchema, count: int },
          ['items', 'columns'],
        ),
        404: notFound,
      }),
    },
  }, async (req, reply) => {
    const key = JSON.stringify(req.query);
    const cached = storeResponses.get(key);
    if (cached !== undefined) return reply.type('application/json; charset=utf-8').send(cached);
    const bars = await readBars(ctx, req.query);
    const body = Buffer.from(bars.json);
    // Stored bars change only on imports: their serialized answer is reused briefly; session bars move every step.
    if (bars.source === 'store') storeResponses.set(key, body);
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.get<{ Params: { symbol: string } }>('/market/quote/:symbol', {
    config: { role: 'viewer' },
    schema: {
      tags,
      summary: 'Latest quote: from the quote cache, else the paper session\'s last close (bid = ask = close)',
      params: obj({ symbol: text(32, 1) }),
      response: withErrors({ 200: quoteSchema, 404: notFound }),
    },
  }, async (req) => {
    const raw = req.params.symbol.trim();
    const market = ctx.session;
    const symbol = market.symbols().find((s) => s.toUpperCase() === raw.toUpperCase()) ?? raw.toUpperCase();
    const q = (await ctx.cache.getQuote(symbol)) ?? (symbol === raw ? undefined : await ctx.cache.getQuote(raw));
    if (q !== undefined) return { ...q, last: null, source: 'cache' };
    if (market.symbols().includes(symbol)) {
      const h = market.history(symbol);
      if (h.length > 0) {
        const close = h.close(0);
        return { symbol, ts: h.time(0), bid: close, ask: close, bidSize: 0, askSize: 0, last: close, source: 'session' };
      }
    }
    throw new Pi5Error('PI5_ERR_NOT_FOUND', `no quote for ${raw}: none cached, and it is not a paper-session symbol with a bar yet`, { symbol: raw });
  });
}
