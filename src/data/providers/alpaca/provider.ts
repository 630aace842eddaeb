// Alpaca historical bars: maps our timeframe to Alpaca's, asks for raw prices, widens daily requests by a
// day each side (bars are stamped at New York midnight, after our 00:00 UTC key) and filters after keying.
// Splits and cash dividends come from Alpaca's corporate-actions API (one more request per fetch). Requests draw on
// a shared per-minute budget (APCA_RATE_PER_MIN, default 200: the Basic plan's limit).

import { MemoryCache } from '../../../cache/memoryCache.js';
import type { Cache } from '../../../cache/types.js';
import { Pi5Error } from '../../../core/errors.js';
import { parseTimeframe } from '../../../model/timeframe.js';
import type { RetryPolicy } from '../http.js';
import { perMinuteAndDay, SharedRateLimiter, type RequestLimiter } from '../resilience/rateLimiter.js';
import { nonNegativeInt } from '../resilience/resilientProvider.js';
import type { HistoricalBarProvider, HistoricalBarRequest, HistoricalBars } from '../types.js';
import { AlpacaDataApi, credentialsFromEnv, type AlpacaCredentials, type AlpacaFeed } from './api.js';
import { alpacaTimeframe, mapRestBars } from './mapper.js';

const DAY_MS = 86_400_000;

export interface AlpacaProviderOptions {
  readonly credentials: AlpacaCredentials;
  readonly baseUrl?: string;
  /** 'iex' (free plans) by default; 'sip' needs a paid plan for the last 15 minutes. */
  readonly feed?: AlpacaFeed;
  readonly policy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Clock (epoch ms): the end of a range is clamped to it. */
  readonly now?: () => number;
  readonly maxPages?: number;
  readonly limiter?: RequestLimiter;
}

export class AlpacaProvider implements HistoricalBarProvider {
  readonly name = 'alpaca';
  readonly feed: AlpacaFeed;
  private readonly api: AlpacaDataApi;
  private readonly now: () => number;

  constructor(opts: AlpacaProviderOptions) {
    this.api = new AlpacaDataApi(opts);
    this.feed = opts.feed ?? 'iex';
    this.now = opts.now ?? Date.now;
  }

  async fetchBars(req: HistoricalBarRequest): Promise<HistoricalBars> {
    const label = `alpaca ${req.symbol}`;
    const tf = parseTimeframe(req.timeframe);
    const timeframe = tf === null ? null : alpacaTimeframe(tf);
    if (tf === null || timeframe === null) {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', `${label}: timeframe ${JSON.stringify(req.timeframe)} is not offered by Alpaca (1m-59m, 1h-23h, 1d, 1w, 1M, 2M, 3M, 4M, 6M, 12M)`);
    }
    if (req.to < req.from) throw new Pi5Error('PI5_ERR_BAD_USAGE', `${label}: --to ${new Date(req.to).toISOString()} is before --from`);
    const pad = timeframe.endsWith('Min') || timeframe.endsWith('Hour') ? 0 : DAY_MS;
    const start = req.from - pad;
    const end = Math.min(req.to + pad, this.now());
    const empty = { series: mapRestBars([], { label, symbol: req.symbol, timeframe: tf, from: req.from, to: req.to }), corporateActions: [], skippedRows: 0 };
    if (end < start) return empty;
    const bars = await this.api.bars({ symbol: req.symbol, timeframe, start, end, feed: this.feed });
    // Ex-dates are days: those of the requested range, not of the widened one.
    const actions = await this.api.corporateActions({ symbol: req.symbol, start: req.from, end: Math.min(req.to, this.now()) });
    const corporateActions = actions.filter((a) => a.ts >= Math.floor(req.from / DAY_MS) * DAY_MS && a.ts <= req.to);
    return { ...empty, series: mapRestBars(bars, { label, symbol: req.symbol, timeframe: tf, from: req.from, to: req.to }), corporateActions };
  }
}

export const ALPACA_DEFAULT_RATE_PER_MIN = 200;

/**
 * The shared budget of APCA_RATE_PER_MIN requests a minute (0: unlimited), counted in `cache` (Redis when
 * REDIS_URL is set, so every process of one account draws on one budget).
 */
export function alpacaLimiter(env: NodeJS.ProcessEnv, cache: Cache = new MemoryCache()): SharedRateLimiter {
  const perMin = nonNegativeInt(env, 'APCA_RATE_PER_MIN', ALPACA_DEFAULT_RATE_PER_MIN);
  return new SharedRateLimiter(cache, { key: 'ratelimit:alpaca', budgets: perMinuteAndDay(perMin, 0) });
}

/**
 * Configured by the environment (DESIGN.md §13): APCA_API_KEY_ID, APCA_API_SECRET_KEY, APCA_API_DATA_URL,
 * APCA_RATE_PER_MIN; `cache` holds the request budget.
 */
export function alpacaFromEnv(env: NodeJS.ProcessEnv = process.env, feed?: AlpacaFeed, cache?: Cache): AlpacaProvider {
  const base = env.APCA_API_DATA_URL;
  return new AlpacaProvider({
    credentials: credentialsFromEnv(env),
    limiter: alpacaLimiter(env, cache),
    ...(base === undefined || base === '' ? {} : { baseUrl: base }),
    ...(feed === undefined ? {} : { feed }),
  });
}
