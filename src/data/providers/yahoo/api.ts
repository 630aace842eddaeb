// Yahoo Finance's v8 chart endpoint over plain HTTP: URL building, the retrying GET, and turning its error
// payloads, non-JSON bodies and schema violations into coded errors naming the symbol and the field.

import { Pi5Error } from '../../../core/errors.js';
import { getJson, seedOf, type RetryPolicy } from '../http.js';
import { chartPayloadSchema, describeIssue, type ChartResult } from './schema.js';

export const YAHOO_DEFAULT_BASE_URL = 'https://query1.finance.yahoo.com';

export interface ChartQuery {
  readonly symbol: string;
  /** Yahoo's interval text: 1m … 90m, 1h, 1d, 1wk, 1mo, 3mo. */
  readonly interval: string;
  /** Epoch seconds; period2 is exclusive on Yahoo's side. */
  readonly period1: number;
  readonly period2: number;
  /** 'div,splits' for bars; 'splits' for the events-only look-ahead. */
  readonly events: string;
}

export interface YahooApiOptions {
  readonly baseUrl?: string;
  readonly policy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class YahooChartApi {
  private readonly baseUrl: string;

  constructor(private readonly opts: YahooApiOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? YAHOO_DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  url(q: ChartQuery): string {
    const params = new URLSearchParams({
      period1: String(q.period1),
      period2: String(q.period2),
      interval: q.interval,
      events: q.events,
      includeAdjustedClose: 'true',
    });
    return `${this.baseUrl}/v8/finance/chart/${encodeURIComponent(q.symbol)}?${params.toString()}`;
  }

  /** The chart result of one symbol, validated; throws a coded error for anything else. */
  chart(q: ChartQuery): Promise<ChartResult> {
    return this.get(this.url(q), q.symbol);
  }

  /**
   * Today's chart of one symbol, for its `meta`: the last price (`regularMarketPrice`) and its time. The live
   * quote feed polls this because the v7 quote endpoint wants a cookie and crumb since 2023.
   */
  latest(symbol: string): Promise<ChartResult> {
    return this.recent(symbol, '1d', '1d');
  }

  /** The latest `range` of one symbol's chart at `interval` (what the polled bar feed reads), meta included. */
  recent(symbol: string, interval: string, range: string): Promise<ChartResult> {
    const params = new URLSearchParams({ range, interval });
    return this.get(`${this.baseUrl}/v8/finance/chart/${encodeURIComponent(symbol)}?${params.toString()}`, symbol);
  }

  private async get(url: string, symbol: string): Promise<ChartResult> {
    const label = `yahoo ${symbol}`;
    const res = await getJson(url, {
      label,
      seed: seedOf(symbol),
      // Yahoo refuses some requests without a browser-like agent; it asks for no key.
      headers: { 'User-Agent': 'Mozilla/5.0 (compatible; pi5-trading)', Accept: 'application/json' },
      ...(this.opts.policy === undefined ? {} : { policy: this.opts.policy }),
      ...(this.opts.sleep === undefined ? {} : { sleep: this.opts.sleep }),
    });
    if (res.json === undefined) {
      const code = res.status >= 200 && res.status < 300 ? 'PI5_ERR_PROVIDER_PAYLOAD' : 'PI5_ERR_PROVIDER';
      throw new Pi5Error(code, `${label}: HTTP ${res.status} body is not JSON: ${JSON.stringify(res.text.slice(0, 80))}`, { url });
    }
    const parsed = chartPayloadSchema.safeParse(res.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const what = issue === undefined ? 'payload does not match the chart schema' : describeIssue(issue, res.json);
      throw new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `${label}: ${what}`, { url, status: res.status });
    }
    const { result, error } = parsed.data.chart;
    if (error != null) {
      const text = `${label}: Yahoo error ${error.code}: ${error.description ?? '(no description)'}`;
      throw new Pi5Error(error.code === 'Not Found' ? 'PI5_ERR_UNKNOWN_SYMBOL' : 'PI5_ERR_PROVIDER', text, { url, status: res.status });
    }
    const first = result?.[0];
    if (res.status >= 300 || first === undefined) {
      throw new Pi5Error('PI5_ERR_PROVIDER', `${label}: HTTP ${res.status} without a chart result`, { url, status: res.status });
    }
    return first;
  }
}
