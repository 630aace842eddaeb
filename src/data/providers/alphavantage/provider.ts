// Alpha Vantage historical bars: picks the TIME_SERIES_* function for our timeframe, asks for intraday history
// one month (US/Eastern) at a time, and shares the free tier's request budget (5/min, 25/day by default)
// through the cache, so concurrent processes on one REDIS_URL stay within it together.

import { MemoryCache } from '../../../cache/memoryCache.js';
import type { Cache } from '../../../cache/types.js';
import { Pi5Error } from '../../../core/errors.js';
import { zoneOffsetMs } from '../../../core/tz.js';
import { parseTimeframe, type TimeframeSpec } from '../../../model/timeframe.js';
import type { RetryPolicy } from '../http.js';
import { perMinuteAndDay, SharedRateLimiter, type RequestLimiter } from '../resilience/rateLimiter.js';
import { nonNegativeInt } from '../resilience/resilientProvider.js';
import type { HistoricalBarProvider, HistoricalBarRequest, HistoricalBars } from '../types.js';
import { AlphaVantageApi, type AvQuery } from './api.js';
import { mapSeries } from './mapper.js';
import { dailyAdjustedRowSchema, periodAdjustedRowSchema, plainRowSchema } from './schema.js';

const INTRADAY: Readonly<Record<string, string>> = { '1m': '1min', '5m': '5min', '15m': '15min', '30m': '30min', '1h': '60min' };
export const ALPHAVANTAGE_TIMEFRAMES = [...Object.keys(INTRADAY), '1d', '1w', '1M'];

/** Alpha Vantage's intraday month parameter and its stamps are in New York time. */
const EXCHANGE_ZONE = 'America/New_York';
/** `outputsize=compact` holds the latest 100 rows: enough when the range starts within ~130 calendar days. */
const COMPACT_SPAN_MS = 130 * 86_400_000;

export interface AlphaVantageProviderOptions {
  readonly apiKey?: string;
  readonly baseUrl?: string;
  /**
   * The _ADJUSTED series, which carry dividends (and, daily, splits). Default: the free endpoint that carries the
   * most, i.e. plain TIME_SERIES_DAILY (TIME_SERIES_DAILY_ADJUSTED is premium-only) and the adjusted weekly and
   * monthly series (free). true or false forces the choice for every period.
   */
  readonly adjusted?: boolean;
  readonly currency?: string;
  readonly limiter?: RequestLimiter;
  readonly policy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly throttleRetries?: number;
  readonly throttleWaitMs?: number;
  readonly now?: () => number;
}

export class AlphaVantageProvider implements HistoricalBarProvider {
  readonly name = 'alphavantage';
  private readonly api: AlphaVantageApi | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: AlphaVantageProviderOptions = {}) {
    const key = opts.apiKey?.trim() ?? '';
    this.api = key === '' ? undefined : new AlphaVantageApi({ ...opts, apiKey: key });
    this.now = opts.now ?? Date.now;
  }

  async fetchBars(req: HistoricalBarRequest): Promise<HistoricalBars> {
    const label = `alphavantage ${req.symbol}`;
    const tf = parseTimeframe(req.timeframe);
    if (tf === null || !ALPHAVANTAGE_TIMEFRAMES.includes(req.timeframe)) {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', `${label}: timeframe ${JSON.stringify(req.timeframe)} is not offered by Alpha Vantage (one of ${ALPHAVANTAGE_TIMEFRAMES.join(', ')})`);
    }
    if (req.to < req.from) throw new Pi5Error('PI5_ERR_BAD_USAGE', `${label}: --to ${new Date(req.to).toISOString()} is before --from`);
    if (this.api === undefined) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `${label}: ALPHAVANTAGE_API_KEY is not set (get a free key at https://www.alphavantage.co/support/#api-key)`);
    const interval = INTRADAY[req.timeframe];
    if (interval !== undefined) return this.intraday(this.api, req, tf, interval);
    const q = this.periodQuery(req, tf);
    return mapSeries(await this.api.series(q), this.mapOptions(req, tf, q));
  }

  actionsNote(timeframe: string): string | undefined {
    if (INTRADAY[timeframe] !== undefined) return 'Alpha Vantage intraday series carry no splits or dividends';
    if (this.usesAdjusted(parseTimeframe(timeframe)?.unit === 'd')) return undefined;
    return timeframe === '1d'
      ? 'TIME_SERIES_DAILY carries no splits or dividends (raw prices); get them with --provider yahoo or alpaca, or set ALPHAVANTAGE_ADJUSTED=true with a premium key'
      : 'ALPHAVANTAGE_ADJUSTED=false: the plain series carry no dividends';
  }

  private usesAdjusted(daily: boolean): boolean {
    return this.opts.adjusted ?? !daily;
  }

  private periodQuery(req: HistoricalBarRequest, tf: TimeframeSpec): AvQuery {
    const adjusted = this.usesAdjusted(tf.unit === 'd');
    if (tf.unit === 'd') {
      const outputsize = this.now() - req.from <= COMPACT_SPAN_MS ? 'compact' : 'full';
      const fn = adjusted ? 'TIME_SERIES_DAILY_ADJUSTED' : 'TIME_SERIES_DAILY';
      return { symbol: req.symbol, fn, params: { outputsize }, seriesKey: 'Time Series (Daily)', row: adjusted ? dailyAdjustedRowSchema : plainRowSchema };
    }
    const period = tf.unit === 'w' ? 'Weekly' : 'Monthly';
    const fn = `TIME_SERIES_${period.toUpperCase()}${adjusted ? '_ADJUSTED' : ''}`;
    const seriesKey = adjusted ? `${period} Adjusted Time Series` : `${period} Time Series`;
    return { symbol: req.symbol, fn, params: {}, seriesKey, row: adjusted ? periodAdjustedRowSchema : plainRowSchema };
  }

  /** One request per New York calendar month in the range; the months' bars are joined in order. */
  private async intraday(api: AlphaVantageApi, req: HistoricalBarRequest, tf: TimeframeSpec, interval: string): Promise<HistoricalBars> {
    const parts: HistoricalBars[] = [];
    for (const month of monthsBetween(req.from, req.to)) {
      const q: AvQuery = {
        symbol: req.symbol,
        fn: 'TIME_SERIES_INTRADAY',
        // Raw prices and the regular session only, like the Yahoo provider.
        params: { interval, month, outputsize: 'full', adjusted: 'false', extended_hours: 'false' },
        seriesKey: `Time Series (${interval})`,
        row: plainRowSchema,
      };
      parts.push(mapSeries(await api.series(q), this.mapOptions(req, tf, q)));
    }
    return concat(parts, req, tf);
  }

  private mapOptions(req: HistoricalBarRequest, tf: TimeframeSpec, q: AvQuery) {
    return { label: `alphavantage ${req.symbol}`, request: req, timeframe: tf, seriesKey: q.seriesKey, currency: this.opts.currency ?? 'USD' };
  }
}

/** 'YYYY-MM' of every New York calendar month from `from` to `to`. */
export function monthsBetween(from: number, to: number): string[] {
  const ym = (ts: number): number => {
    const d = new Date(ts + zoneOffsetMs(ts, EXCHANGE_ZONE));
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  };
  const out: string[] = [];
  for (let m = ym(from); m <= ym(to); m++) out.push(`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`);
  return out;
}

function concat(parts: readonly HistoricalBars[], req: HistoricalBarRequest, tf: TimeframeSpec): HistoricalBars {
  const first = parts[0];
  if (parts.length === 1 && first !== undefined) return first;
  const n = parts.reduce((k, p) => k + p.series.length, 0);
  const decimals = Math.max(2, ...parts.map((p) => p.series.priceDecimals));
  const s = { symbol: req.symbol, timeframe: tf.text, priceDecimals: decimals, length: n, ts: new Float64Array(n), open: new Float64Array(n), high: new Float64Array(n), low: new Float64Array(n), close: new Float64Array(n), volume: new Float64Array(n) };
  let at = 0;
  for (const p of parts) {
    for (const c of ['ts', 'open', 'high', 'low', 'close', 'volume'] as const) s[c].set(p.series[c], at);
    at += p.series.length;
  }
  return { series: s, corporateActions: parts.flatMap((p) => p.corporateActions), skippedRows: parts.reduce((k, p) => k + p.skippedRows, 0) };
}

export interface AlphaVantageEnvDeps {
  /** Holds the shared request budget; a process-local MemoryCache when absent. */
  readonly cache?: Cache;
}

/** The provider as configured by the environment (docs/providers.md, "Alpha Vantage"). */
export function alphaVantageFromEnv(env: NodeJS.ProcessEnv = process.env, deps: AlphaVantageEnvDeps = {}): AlphaVantageProvider {
  const perMin = nonNegativeInt(env, 'ALPHAVANTAGE_RATE_PER_MIN', 5);
  const perDay = nonNegativeInt(env, 'ALPHAVANTAGE_RATE_PER_DAY', 25);
  const limiter = new SharedRateLimiter(deps.cache ?? new MemoryCache(), { key: 'ratelimit:alphavantage', budgets: perMinuteAndDay(perMin, perDay) });
  const base = env.ALPHAVANTAGE_BASE_URL;
  const adjusted = env.ALPHAVANTAGE_ADJUSTED;
  return new AlphaVantageProvider({
    limiter,
    throttleWaitMs: nonNegativeInt(env, 'ALPHAVANTAGE_THROTTLE_WAIT_MS', 60_000),
    ...(env.ALPHAVANTAGE_API_KEY === undefined ? {} : { apiKey: env.ALPHAVANTAGE_API_KEY }),
    ...(base === undefined || base === '' ? {} : { baseUrl: base }),
    ...(adjusted === undefined || adjusted === '' ? {} : { adjusted: !/^(0|false|no|off)$/i.test(adjusted.trim()) }),
  });
}
