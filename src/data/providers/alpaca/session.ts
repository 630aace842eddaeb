// One WebSocket connection to Alpaca's stock stream: wait for `connected`, authenticate with a message,
// subscribe, then hand data messages on. Every frame is validated; a malformed one is reported naming the
// field and the connection carries on. Control answers are awaited one request at a time.

import WebSocket from 'ws';
import { Pi5Error } from '../../../core/errors.js';
import type { Bar, Quote, Trade } from '../../../model/types.js';
import type { AlpacaCredentials } from './api.js';
import { streamBar, streamDailyBar, streamQuote, streamTrade } from './mapper.js';
import { describeIssue, STREAM_SCHEMAS, type StreamControl } from './schema.js';

export type StreamItem =
  | { readonly kind: 'bar'; readonly bar: Bar }
  /** A minute bar sent again, corrected (updatedBars). */
  | { readonly kind: 'updatedBar'; readonly bar: Bar }
  | { readonly kind: 'dailyBar'; readonly bar: Bar }
  | { readonly kind: 'quote'; readonly quote: Quote } | { readonly kind: 'trade'; readonly trade: Trade };

export interface Channels {
  /** Minute bars; their corrections (updatedBars) come with them. */
  readonly bars: readonly string[];
  readonly dailyBars: readonly string[];
  readonly quotes: readonly string[];
  readonly trades: readonly string[];
}

export interface SessionOptions {
  readonly url: string;
  readonly credentials: AlpacaCredentials;
  /** Subscribed right after authentication (the whole set again after a reconnect). */
  readonly channels: Channels;
  /** How long to wait for each control answer (Alpaca itself allows 10 s to authenticate). */
  readonly controlTimeoutMs: number;
  readonly onData: (items: readonly StreamItem[]) => void;
  /** A malformed frame or an unsolicited error message; the connection stays up. */
  readonly onProblem: (error: Pi5Error) => void;
  /** The connection ended after open() resolved, not through close(). */
  readonly onDropped: (reason: string) => void;
}

/** Alpaca's stream error codes with what the user can do about them (from Alpaca's stream docs). */
const HINTS: Readonly<Record<number, string>> = {
  402: ' (check APCA_API_KEY_ID / APCA_API_SECRET_KEY)',
  404: ' (authentication was not completed in time)',
  405: ' (your plan limits the symbols per channel: 30 trades/quotes on iex); subscribe to fewer symbols',
  406: ' (another connection uses these credentials; most plans allow one per feed)',
  407: ' (this client read too slowly)',
  409: ' (your plan does not include this feed; iex is the free one)',
};

export function streamError(code: number, msg: string): Pi5Error {
  return new Pi5Error('PI5_ERR_PROVIDER', `alpaca stream: error ${code} ${msg}${HINTS[code] ?? ''}`, { alpacaCode: code });
}

export function alpacaCodeOf(e: Pi5Error): number | undefined {
  const c = e.details.alpacaCode;
  return typeof c === 'number' ? c : undefined;
}

const isEmpty = (c: Channels): boolean => c.bars.length + c.dailyBars.length + c.quotes.length + c.trades.length === 0;

interface Waiter {
  resolve(c: StreamControl): void;
  reject(e: Pi5Error): void;
}

export class StreamSession {
  private readonly ws: WebSocket;
  private waiter: Waiter | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private open = false;
  private closedReason: string | null = null;
  private closedByUs = false;
  private socketError = '';
  /** Data that came with the handshake (one TCP read can carry the subscription answer and data), held until deliver(). */
  private early: StreamItem[] | null = [];

  private constructor(private readonly o: SessionOptions) {
    this.ws = new WebSocket(o.url, { handshakeTimeout: o.controlTimeoutMs });
    this.ws.on('message', (data) => this.onFrame(String(data)));
    // 'error' is always followed by 'close'; keep its text for the close reason.
    this.ws.on('error', (e) => (this.socketError = e.message));
    this.ws.on('close', (code) => this.onClose(code));
  }

  /** True once handshake() succeeded: requests may be sent. */
  get ready(): boolean {
    return this.open && this.closedReason === null;
  }

  /** Starts connecting; `handshake()` then waits until the session is usable. */
  static start(o: SessionOptions): StreamSession {
    return new StreamSession(o);
  }

  /** Connected, authenticated and subscribed; rejects (and drops the socket) otherwise. */
  async handshake(): Promise<void> {
    try {
      await this.expectSuccess('connected');
      this.ws.send(JSON.stringify({ action: 'auth', key: this.o.credentials.keyId, secret: this.o.credentials.secretKey }));
      await this.expectSuccess('authenticated');
      if (!isEmpty(this.o.channels)) await this.request('subscribe', this.o.channels);
    } catch (e) {
      this.ws.terminate();
      throw e;
    }
    this.open = true;
  }

  /** Sends subscribe/unsubscribe and resolves with Alpaca's answer (the full current subscription). */
  request(action: 'subscribe' | 'unsubscribe', c: Channels): Promise<StreamControl> {
    const run = async (): Promise<StreamControl> => {
      this.ws.send(JSON.stringify({ action, trades: c.trades, quotes: c.quotes, bars: c.bars, updatedBars: c.bars, dailyBars: c.dailyBars }));
      const answer = await this.nextControl();
      if (answer.T !== 'subscription') throw new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `alpaca stream: expected a subscription answer to ${action}, got ${JSON.stringify(answer).slice(0, 80)}`);
      return answer;
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    this.closedByUs = true;
    if (this.closedReason !== null) return;
    // Still handshaking: nothing to say goodbye to, and a pending handshake() then rejects at once.
    if (!this.open) {
      this.ws.terminate();
      return;
    }
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.ws.close(1000);
    const timer = setTimeout(() => this.ws.terminate(), 2_000);
    await closed;
    clearTimeout(timer);
  }

  /** For tests and the feed: drop the connection as a network failure would. */
  terminate(): void {
    this.ws.terminate();
  }

  private async expectSuccess(msg: string): Promise<void> {
    const c = await this.nextControl();
    if (c.T === 'success' && c.msg === msg) return;
    throw new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `alpaca stream: expected ${JSON.stringify(msg)}, got ${JSON.stringify(c).slice(0, 80)}`);
  }

  private nextControl(): Promise<StreamControl> {
    if (this.closedReason !== null) return Promise.reject(this.closedError());
    return new Promise<StreamControl>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Pi5Error('PI5_ERR_PROVIDER', `alpaca stream: no answer within ${this.o.controlTimeoutMs} ms (${this.o.url})`));
      }, this.o.controlTimeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiter = null;
      };
      this.waiter = {
        resolve: (c) => {
          done();
          if (c.T === 'error') reject(streamError(c.code, c.msg));
          else resolve(c);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      };
    });
  }

  private closedError(): Pi5Error {
    return new Pi5Error('PI5_ERR_PROVIDER', `alpaca stream: connection closed (${this.closedReason ?? ''}) (${this.o.url})`);
  }

  private onClose(code: number): void {
    this.closedReason = `code ${code}${this.socketError === '' ? '' : `, ${this.socketError}`}`;
    this.waiter?.reject(this.closedError());
    if (this.open && !this.closedByUs) this.o.onDropped(this.closedReason);
  }

  private onFrame(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.o.onProblem(new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `alpaca stream: message is not JSON: ${JSON.stringify(text.slice(0, 80))}`));
      return;
    }
    if (!Array.isArray(frame)) {
      this.o.onProblem(new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `alpaca stream: message is not an array: ${JSON.stringify(text.slice(0, 80))}`));
      return;
    }
    const items: StreamItem[] = [];
    frame.forEach((m: unknown, i) => this.onElement(m, i, items));
    if (items.length === 0) return;
    if (this.early !== null) this.early.push(...items);
    else this.o.onData(items);
  }

  /** Hands on the data held since the handshake and everything after it as it comes. */
  deliver(): void {
    const held = this.early ?? [];
    this.early = null;
    if (held.length > 0) this.o.onData(held);
  }

  private onElement(m: unknown, i: number, items: StreamItem[]): void {
    const type = m !== null && typeof m === 'object' ? (m as Record<string, unknown>).T : undefined;
    if (typeof type !== 'string') {
      this.o.onProblem(new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `alpaca stream: [${i}].T is missing (got ${JSON.stringify(m)?.slice(0, 60) ?? String(m)})`));
      return;
    }
    // Corrections, cancels, statuses, LULDs ... arrive with some subscriptions and are not used yet.
    if (!Object.hasOwn(STREAM_SCHEMAS, type)) return;
    const parsed = STREAM_SCHEMAS[type as keyof typeof STREAM_SCHEMAS].safeParse(m);
    if (!parsed.success) {
      const sym = (m as Record<string, unknown>).S;
      const where = typeof sym === 'string' ? `alpaca stream ${sym}` : 'alpaca stream';
      const issue = parsed.error.issues[0];
      const what = issue === undefined ? `[${i}] does not match the ${type} schema` : describeIssue(issue, m, [i]);
      this.o.onProblem(new Pi5Error('PI5_ERR_PROVIDER_PAYLOAD', `${where}: ${what}`));
      return;
    }
    const d = parsed.data;
    if (d.T === 'b') items.push({ kind: 'bar', bar: streamBar(d) });
    else if (d.T === 'u') items.push({ kind: 'updatedBar', bar: streamBar(d) });
    else if (d.T === 'd') items.push({ kind: 'dailyBar', bar: streamDailyBar(d) });
    else if (d.T === 'q') items.push({ kind: 'quote', quote: streamQuote(d) });
    else if (d.T === 't') items.push({ kind: 'trade', trade: streamTrade(d) });
    else if (this.waiter !== null) this.waiter.resolve(d);
    else if (d.T === 'error') this.o.onProblem(streamError(d.code, d.msg));
  }
}
