// Alpha Vantage's /query endpoint over plain HTTP: URL building (the API key never appears in messages), a
// rate-limit slot before every attempt, and its HTTP 200 non-data answers turned into coded errors: "Note" /
// "Information" throttle replies (waited out and retried a few times), "Error Message", premium-only notices.

import { Pi5Error } from '../../../core/errors.js';
import { getJson, seedOf, type RetryPolicy } from '../http.js';
import type { RequestLimiter } from '../resilience/rateLimiter.js';
import { noticeSchema, parseSeries, type AvNotice, type AvRow, type AvSeries } from './schema.js';
import type { z } from 'zod';

export const ALPHAVANTAGE_DEFAULT_BASE_URL = 'https://www.alphavantage.co';

export interface AvQuery {
  readonly symbol: string;
  /** TIME_SERIES_DAILY, TIME_SERIES_INTRADAY, ... */
  readonly fn: string;
  /** Further query parameters: outputsize, interval, month, adjusted, extended_hours. */
  readonly params: Readonly<Record<string, string>>;
  /** The payload's series key: "Time Series (Daily)", "Weekly Adjusted Time Series", "Time Series (5min)". */
  readonly seriesKey: string;
  readonly row: z.ZodType<AvRow>;
}

export interface AlphaVantageApiOptions {
  readonly apiKey: string;
  readonly baseUrl?: string;
  readonly policy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Awaited before every HTTP attempt (retries too): the shared request budget. */
  readonly limiter?: RequestLimiter;
  /** Extra tries after a throttle reply; default 2. */
  readonly throttleRetries?: number;
  /** Wait before retrying after a throttle reply; default 60 s (the free tier's window). */
  readonly throttleWaitMs?: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Alpha Vantage's "Information" also says a function or parameter is premium-only; waiting cannot help. */
const PREMIUM = /\bis a premium (endpoint|feature)\b|premium (endpoint|feature) only/i;
const BAD_KEY = /apikey is invalid|invalid api ?key|api ?key is (missing|invalid)/i;

export class AlphaVantageApi {
  private readonly baseUrl: string;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: AlphaVantageApiOptions) {
    this.baseUrl = (opts.baseUrl ?? ALPHAVANTAGE_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.sleep = opts.sleep ?? defaultSleep;
  }

  /** The request URL; with `forDisplay` the API key is masked, for messages and logs. */
  url(q: AvQuery, forDisplay = false): string {
    const params = new URLSearchParams({ function: q.fn, symbol: q.symbol, ...q.params, datatype: 'json' });
    params.set('apikey', forDisplay ? '***' : this.opts.apiKey);
    return `${this.baseUrl}/query?${params.toString()}`;
  }

  /** The validated series; waits out throttle replies up to throttleRetries times, then PI5_ERR_RATE_LIMITED. */
  async series(q: AvQuery): Promise<AvSeries> {
    const retries = this.opts.throttleRetries ?? 2;
    for (let n = 0; ; n++) {
      try {
        return await this.once(q);
      } catch (e) {
        const throttled = e instanceof Pi5Error && e.code === 'PI5_ERR_RATE_LIMITED' && e.details.notice === true;
        if (!throttled || n >= retries) throw e;
        await this.sleep(this.opts.throttleWaitMs ?? 60_000);
      }
    }
  }

  private async once(q: AvQuery): Promise<AvSeries> {
    const label = `alphavantage ${q.symbol}`;
    const shown = this.url(q, true);
    const limiter = this.opts.limiter;
    const res = await getJson(this.url(q), {
      label,
      seed: seedOf(q.symbol),
      displayUrl: shown,
      headers: { Accept: 'application/json' },
      ...(limiter === undefined ? {} : { beforeAttempt: () => limiter.acquire(label) }),
      ...(this.opts.policy === undefined ? {} : { policy: this.opts.policy }),
      ...(this.opts.sleep === undefined ? {} : { sleep: this.opts.sleep }),
    });
    if (res.json === undefined) {
      const code = res.status >= 200 && res.status < 300 ? 'PI5_ERR_PROVIDER_PAYLOAD' : 'PI5_ERR_PROVIDER';
      throw new Pi5Error(code, `${label}: HTTP ${res.status} body is not JSON: ${JSON.stringify(res.text.slice(0, 80))}`, { url: shown });
    }
    const notice = noticeSchema.safeParse(res.json);
    if (notice.success) throw noticeError(notice.data, label, q.fn, shown);
    if (res.status >= 300) throw new Pi5Error('PI5_ERR_PROVIDER', `${label}: HTTP ${res.status} (${shown})`, { url: shown, status: res.status });
    const parsed = parseSeries(res.json, q.seriesKey, q.row);
    if (typeof parsed === 'string') throw new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `${label}: ${q.fn}: ${parsed}`, { url: shown });
    return parsed;
  }
}

/** One line on what to change when the service refuses a premium-only function. */
function premiumAdvice(fn: string): string {
  if (fn.endsWith('_ADJUSTED')) return `set ALPHAVANTAGE_ADJUSTED=false (or leave it unset for daily bars) to use the free ${fn.slice(0, -'_ADJUSTED'.length)}, or use a premium key`;
  return 'use a premium key, or fetch this series with --provider yahoo or alpaca';
}

function noticeError(n: AvNotice, label: string, fn: string, url: string): Pi5Error {
  if ('Error Message' in n) {
    // Alpha Vantage answers an unknown symbol and a malformed request alike: "Invalid API call".
    return new Pi5Error('PI5_ERR_UNKNOWN_SYMBOL', `${label}: Alpha Vantage error for ${fn} (unknown symbol or bad request): ${n['Error Message']}`, { url });
  }
  const text = 'Note' in n ? n.Note : n.Information;
  if (BAD_KEY.test(text)) return new Pi5Error('PI5_ERR_BAD_CONFIG', `${label}: ALPHAVANTAGE_API_KEY was refused: ${text}`, { url });
  if ('Information' in n && PREMIUM.test(text)) {
    return new Pi5Error('PI5_ERR_PROVIDER', `${label}: ${fn} is premium-only for this API key; ${premiumAdvice(fn)}`, { url, notice: text });
  }
  return new Pi5Error('PI5_ERR_RATE_LIMITED', `${label}: Alpha Vantage throttled ${fn}: ${text}`, { url, notice: true });
}
