// Alpaca's market data REST API over plain HTTP: credentials from the environment, the bars URL, the
// retrying GET, following next_page_token, and turning error bodies and schema violations into coded
// errors. The key and secret travel only in headers, so URLs in messages carry no secret.

import { Pi5Error } from '../../../core/errors.js';
import { getJson, seedOf, type RetryPolicy } from '../http.js';
import type { RequestLimiter } from '../resilience/rateLimiter.js';
import type { z } from 'zod';
import type { CorporateAction } from '../types.js';
import { actionsPageSchema, actionsUrl, mapActions, type ActionsQuery } from './corporateActions.js';
import { barsPageSchema, describeIssue, restErrorSchema, type BarsPage, type RestBar } from './schema.js';

export const ALPACA_DEFAULT_DATA_URL = 'https://data.alpaca.markets';
export const ALPACA_FEEDS = ['iex', 'sip'] as const;
export type AlpacaFeed = (typeof ALPACA_FEEDS)[number];
/** Alpaca's maximum page size. */
const PAGE_LIMIT = 10_000;

export interface AlpacaCredentials {
  readonly keyId: string;
  readonly secretKey: string;
}

/** APCA_API_KEY_ID / APCA_API_SECRET_KEY, the names Alpaca's own SDKs read. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): AlpacaCredentials {
  const keyId = env.APCA_API_KEY_ID ?? '';
  const secretKey = env.APCA_API_SECRET_KEY ?? '';
  const missing = [keyId === '' ? 'APCA_API_KEY_ID' : '', secretKey === '' ? 'APCA_API_SECRET_KEY' : ''].filter((x) => x !== '');
  if (missing.length > 0) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `alpaca: ${missing.join(' and ')} must be set (Alpaca API key; free paper accounts have one)`, { missing });
  return { keyId, secretKey };
}

export function parseFeed(text: string): AlpacaFeed {
  const f = text.trim().toLowerCase();
  if ((ALPACA_FEEDS as readonly string[]).includes(f)) return f as AlpacaFeed;
  throw new Pi5Error('PI5_ERR_BAD_USAGE', `--feed ${JSON.stringify(text)} is not an Alpaca stock feed (${ALPACA_FEEDS.join(', ')})`);
}

export interface BarsQuery {
  readonly symbol: string;
  /** Alpaca's timeframe text: 1Min, 5Min, 1Hour, 1Day, 1Week, 1Month ... */
  readonly timeframe: string;
  /** Inclusive bounds, epoch ms. */
  readonly start: number;
  readonly end: number;
  readonly feed: AlpacaFeed;
}

export interface AlpacaApiOptions {
  readonly baseUrl?: string;
  readonly credentials: AlpacaCredentials;
  readonly policy?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Guard against a server that never stops paging. */
  readonly maxPages?: number;
  /** Shared request budget (Alpaca's 200 a minute on Basic plans); each attempt takes a slot. */
  readonly limiter?: RequestLimiter;
}

export class AlpacaDataApi {
  private readonly baseUrl: string;

  constructor(private readonly opts: AlpacaApiOptions) {
    this.baseUrl = (opts.baseUrl ?? ALPACA_DEFAULT_DATA_URL).replace(/\/+$/, '');
  }

  url(q: BarsQuery, pageToken?: string): string {
    const params = new URLSearchParams({
      timeframe: q.timeframe,
      start: new Date(q.start).toISOString(),
      end: new Date(q.end).toISOString(),
      limit: String(PAGE_LIMIT),
      // We store raw prices (DESIGN.md §8); adjusted series are derived on read.
      adjustment: 'raw',
      feed: q.feed,
      sort: 'asc',
    });
    if (pageToken !== undefined) params.set('page_token', pageToken);
    return `${this.baseUrl}/v2/stocks/${encodeURIComponent(q.symbol)}/bars?${params.toString()}`;
  }

  /** Every bar of the range, all pages followed, oldest first as Alpaca sends them. */
  async bars(q: BarsQuery): Promise<RestBar[]> {
    const out: RestBar[] = [];
    const seen = new Set<string>();
    const maxPages = this.opts.maxPages ?? 10_000;
    let token: string | undefined;
    for (let n = 1; ; n++) {
      const page = await this.page(q, token);
      out.push(...(page.bars ?? []));
      const next = page.next_page_token ?? null;
      if (next === null || next === '') return out;
      if (seen.has(next) || n >= maxPages) {
        throw new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `alpaca ${q.symbol}: next_page_token ${JSON.stringify(next.slice(0, 40))} repeats or paging exceeds ${maxPages} pages`, { url: this.url(q) });
      }
      seen.add(next);
      token = next;
    }
  }

  /** The symbol's splits and cash dividends going ex in the range, all pages followed, oldest first. */
  async corporateActions(q: ActionsQuery): Promise<CorporateAction[]> {
    const label = `alpaca ${q.symbol} corporate actions`;
    const out: CorporateAction[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    for (let n = 1; ; n++) {
      const url = actionsUrl(this.baseUrl, q, token);
      const page = await this.getChecked(url, label, `actions|${q.symbol}|${token ?? ''}`, actionsPageSchema, 'corporate actions');
      out.push(...mapActions(page, q.symbol));
      const next = page.next_page_token ?? null;
      if (next === null || next === '') return out.sort((a, b) => a.ts - b.ts);
      if (seen.has(next) || n >= (this.opts.maxPages ?? 10_000)) {
        throw new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `${label}: next_page_token ${JSON.stringify(next.slice(0, 40))} repeats or paging exceeds the page limit`, { url });
      }
      seen.add(next);
      token = next;
    }
  }

  private page(q: BarsQuery, token: string | undefined): Promise<BarsPage> {
    return this.getChecked(this.url(q, token), `alpaca ${q.symbol}`, `${q.symbol}|${token ?? ''}`, barsPageSchema, 'bars');
  }

  /** One GET on the shared budget, retried by getJson; the body checked against `schema` (`what` names it). */
  private async getChecked<T>(url: string, label: string, seedKey: string, schema: z.ZodType<T>, what: string): Promise<T> {
    const limiter = this.opts.limiter;
    const res = await getJson(url, {
      label,
      ...(limiter === undefined ? {} : { beforeAttempt: () => limiter.acquire(label) }),
      seed: seedOf(seedKey),
      headers: { 'APCA-API-KEY-ID': this.opts.credentials.keyId, 'APCA-API-SECRET-KEY': this.opts.credentials.secretKey, Accept: 'application/json' },
      ...(this.opts.policy === undefined ? {} : { policy: this.opts.policy }),
      ...(this.opts.sleep === undefined ? {} : { sleep: this.opts.sleep }),
    });
    const ok = res.status >= 200 && res.status < 300;
    if (!ok) throw httpError(label, res.status, res.json, res.text, url);
    if (res.json === undefined) {
      throw new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `${label}: HTTP ${res.status} body is not JSON: ${JSON.stringify(res.text.slice(0, 80))}`, { url });
    }
    const parsed = schema.safeParse(res.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const problem = issue === undefined ? `payload does not match the ${what} schema` : describeIssue(issue, res.json);
      throw new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `${label}: ${problem}`, { url, status: res.status });
    }
    return parsed.data;
  }
}

/** A 4xx answer (5xx and 429 were retried by getJson): Alpaca's own message when the body has one. */
function httpError(label: string, status: number, json: unknown, text: string, url: string): Pi5Error {
  const body = restErrorSchema.safeParse(json);
  const message = body.success ? body.data.message : text.slice(0, 80).trim() || '(empty body)';
  if (status === 401 || status === 403) {
    return new Pi5Error('PI5_ERR_PROVIDER', `${label}: HTTP ${status} ${message} (check APCA_API_KEY_ID / APCA_API_SECRET_KEY and the feed your plan includes)`, { url, status });
  }
  const code = /symbol/i.test(message) && status < 500 ? 'PI5_ERR_UNKNOWN_SYMBOL' : 'PI5_ERR_PROVIDER';
  return new Pi5Error(code, `${label}: HTTP ${status} ${message}`, { url, status });
}
