// Alpaca's Trading API v2 over plain HTTP: orders (submit, replace, cancel, cancel all, list, by client id),
// account, positions and FILL activities. Reads are retried with jittered backoff; an order submit is retried
// only on answers that prove it was not taken (429), because a timeout leaves its outcome unknown and the caller
// must look the order up by client id before sending it again. Keys travel only in headers.

import { Pi5Error } from '../../../core/errors.js';
import { SeededRng } from '../../../core/rng.js';
import type { z } from 'zod';
import { refusalReason, type BrokerRefusalCode } from '../brokerRefusals.js';
import {
  alpacaAccountSchema,
  alpacaErrorSchema,
  alpacaFillActivitiesSchema,
  alpacaOrderSchema,
  alpacaOrdersSchema,
  alpacaPositionsSchema,
  type AlpacaAccount,
  type AlpacaFillActivity,
  type AlpacaOrder,
  type AlpacaPosition,
} from './schema.js';

export const ALPACA_PAPER_URL = 'https://paper-api.alpaca.markets';
export const ALPACA_LIVE_URL = 'https://api.alpaca.markets';

export interface AlpacaTradingCredentials {
  readonly keyId: string;
  readonly secretKey: string;
}

export interface AlpacaTradingOptions {
  /** APCA_API_BASE_URL: the paper or the live endpoint. */
  readonly baseUrl: string;
  readonly credentials: AlpacaTradingCredentials;
  readonly timeoutMs?: number;
  /** Attempts for reads and for throttled (429) writes, the first included. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly seed?: number;
}

/** The order body of POST /v2/orders (decimals as strings, as Alpaca documents them). */
export type AlpacaOrderRequest = Readonly<Record<string, string | boolean | Readonly<Record<string, string>>>>;

/** A refusal by Alpaca (a 4xx answer): the coded reason and the HTTP status. */
export class AlpacaRefusal extends Pi5Error {
  constructor(
    readonly refusal: BrokerRefusalCode,
    readonly status: number,
    message: string,
  ) {
    super('PI5_ERR_BROKER', refusalReason(refusal, message), { status, refusal });
  }
}

/** The request may or may not have reached Alpaca (timeout, dropped connection, 5xx): look it up before resending. */
export class AlpacaUnknownOutcome extends Pi5Error {
  constructor(message: string) {
    super('PI5_ERR_BROKER', message, { unknownOutcome: true });
  }
}

export function refusalOf(status: number, message: string): BrokerRefusalCode {
  if (status === 429) return 'RATE_LIMITED';
  if (/buying power|insufficient (qty|quantity|shares)/i.test(message)) return 'INSUFFICIENT_BUYING_POWER';
  if (/pattern day|\bPDT\b/i.test(message)) return 'PATTERN_DAY_TRADER';
  if (/wash trade/i.test(message)) return 'WASH_TRADE';
  if (status === 404) return 'UNKNOWN_ORDER';
  if (status === 422 && /not cancelable|not replaceable|already/i.test(message)) return 'NOT_CANCELABLE';
  if (status === 422 || status === 400) return 'INVALID_ORDER';
  if (status === 403 || status === 401) return 'FORBIDDEN';
  return 'BROKER_ERROR';
}

interface Answer {
  readonly status: number;
  readonly json: unknown;
  readonly text: string;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class AlpacaTradingApi {
  readonly baseUrl: string;
  private readonly rng: SeededRng;

  constructor(private readonly o: AlpacaTradingOptions) {
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
    this.rng = new SeededRng(o.seed ?? 1);
  }

  /** Places an order. Throws AlpacaRefusal (4xx) or AlpacaUnknownOutcome (no answer, 5xx). */
  submitOrder(body: AlpacaOrderRequest): Promise<AlpacaOrder> {
    return this.call('POST', '/v2/orders', alpacaOrderSchema, body, false);
  }

  /** PATCH /v2/orders/{id}: Alpaca answers with the replacing order (a new id; the old one becomes `replaced`). */
  replaceOrder(brokerOrderId: string, body: AlpacaOrderRequest): Promise<AlpacaOrder> {
    return this.call('PATCH', `/v2/orders/${encodeURIComponent(brokerOrderId)}`, alpacaOrderSchema, body, false);
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    await this.call('DELETE', `/v2/orders/${encodeURIComponent(brokerOrderId)}`, null, undefined, false);
  }

  async cancelAllOrders(): Promise<void> {
    await this.call('DELETE', '/v2/orders', null, undefined, false);
  }

  /** Open orders (status=open) or every order after `afterMs` (status=all), oldest first, up to 500. */
  orders(status: 'open' | 'all', afterMs?: number): Promise<AlpacaOrder[]> {
    const q = new URLSearchParams({ status, limit: '500', direction: 'asc', nested: 'false' });
    if (afterMs !== undefined) q.set('after', new Date(afterMs).toISOString());
    return this.call('GET', `/v2/orders?${q.toString()}`, alpacaOrdersSchema, undefined, true);
  }

  /** The order with this client order id, or null when Alpaca has none. */
  async orderByClientId(clientOrderId: string): Promise<AlpacaOrder | null> {
    try {
      return await this.call('GET', `/v2/orders:by_client_order_id?client_order_id=${encodeURIComponent(clientOrderId)}`, alpacaOrderSchema, undefined, true);
    } catch (e) {
      if (e instanceof AlpacaRefusal && e.status === 404) return null;
      throw e;
    }
  }

  /**
   * One order by Alpaca's id, or null when Alpaca has none. `nested`: an OCO or bracket parent comes with its legs
   * (which carry Alpaca's client ids, not ours: this is how a leg is found again after a restart).
   */
  async orderById(brokerOrderId: string, nested: boolean): Promise<AlpacaOrder | null> {
    try {
      return await this.call('GET', `/v2/orders/${encodeURIComponent(brokerOrderId)}?nested=${String(nested)}`, alpacaOrderSchema, undefined, true);
    } catch (e) {
      if (e instanceof AlpacaRefusal && e.status === 404) return null;
      throw e;
    }
  }

  account(): Promise<AlpacaAccount> {
    return this.call('GET', '/v2/account', alpacaAccountSchema, undefined, true);
  }

  positions(): Promise<AlpacaPosition[]> {
    return this.call('GET', '/v2/positions', alpacaPositionsSchema, undefined, true);
  }

  /** FILL activities after `afterMs`, oldest first, every page followed. */
  async fillActivities(afterMs?: number): Promise<AlpacaFillActivity[]> {
    const out: AlpacaFillActivity[] = [];
    let token: string | undefined;
    for (let page = 0; page < 1_000; page++) {
      const q = new URLSearchParams({ direction: 'asc', page_size: '100' });
      if (afterMs !== undefined) q.set('after', new Date(afterMs).toISOString());
      if (token !== undefined) q.set('page_token', token);
      const batch = await this.call('GET', `/v2/account/activities/FILL?${q.toString()}`, alpacaFillActivitiesSchema, undefined, true);
      out.push(...batch);
      const last = batch[batch.length - 1];
      if (batch.length < 100 || last === undefined) return out;
      token = last.id;
    }
    throw new Pi5Error('PI5_ERR_BROKER', 'alpaca FILL activities: paging exceeds 1000 pages');
  }

  private async call<T>(method: string, path: string, schema: z.ZodType<T> | null, body: unknown, idempotent: boolean): Promise<T> {
    const label = `alpaca ${method} ${path.split('?')[0] ?? path}`;
    const attempts = this.o.maxAttempts ?? 4;
    let failure = '';
    for (let n = 1; n <= attempts; n++) {
      const a = await this.attempt(method, path, body);
      if (typeof a === 'string') {
        failure = a;
        if (!idempotent) throw new AlpacaUnknownOutcome(`${label}: ${a}; the outcome is unknown`);
      } else if (a.status === 429 || (a.status >= 500 && idempotent)) {
        failure = `HTTP ${a.status}`;
      } else if (a.status >= 500) {
        throw new AlpacaUnknownOutcome(`${label}: HTTP ${a.status}; the outcome is unknown`);
      } else {
        return this.read(label, a, schema);
      }
      if (n < attempts) await (this.o.sleep ?? defaultSleep)((this.o.baseDelayMs ?? 250) * 2 ** (n - 1) * (0.5 + this.rng.next()));
    }
    if (failure.startsWith('HTTP 429')) throw new AlpacaRefusal('RATE_LIMITED', 429, `${label}: HTTP 429 after ${attempts} attempts`);
    throw new Pi5Error('PI5_ERR_BROKER', `${label}: ${failure} after ${attempts} attempts (${this.baseUrl})`, { attempts });
  }

  private read<T>(label: string, a: Answer, schema: z.ZodType<T> | null): T {
    if (a.status >= 400) {
      const e = alpacaErrorSchema.safeParse(a.json);
      const message = e.success ? e.data.message : a.text.slice(0, 120).trim() || '(empty body)';
      throw new AlpacaRefusal(refusalOf(a.status, message), a.status, `${label}: HTTP ${a.status} ${message}`);
    }
    if (schema === null) return undefined as T;
    const parsed = schema.safeParse(a.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined ? '' : `${issue.path.join('.')}: ${issue.message}`;
      throw new Pi5Error('PI5_ERR_BROKER', `${label}: the answer does not match Alpaca's schema (${where})`, { status: a.status });
    }
    return parsed.data;
  }

  /** One request: the answer, or why there was none. */
  private async attempt(method: string, path: string, body: unknown): Promise<Answer | string> {
    const timeoutMs = this.o.timeoutMs ?? 10_000;
    try {
      const r = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          'APCA-API-KEY-ID': this.o.credentials.keyId,
          'APCA-API-SECRET-KEY': this.o.credentials.secretKey,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await r.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: r.status, json, text };
    } catch (e) {
      const err = e as Error;
      return err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `network error: ${err.message}`;
    }
  }
}
