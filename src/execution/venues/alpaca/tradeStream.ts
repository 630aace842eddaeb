// Alpaca's trading stream (`/stream` beside the REST base URL): authenticate with a message, listen to
// trade_updates, hand each order event on. A dropped connection is retried with seeded, jittered exponential
// backoff; each new connection authenticates and listens again, then `onReconnected` runs so the venue catches up
// over REST on what it missed. Alpaca sends binary frames on paper and text frames on live: both are read.

import WebSocket from 'ws';
import { Pi5Error } from '../../../core/errors.js';
import { SeededRng } from '../../../core/rng.js';
import { WakeableDelay } from '../../../core/wakeableDelay.js';
import type { AlpacaTradingCredentials } from './api.js';
import { authorizationSchema, listeningSchema, streamFrameSchema, tradeUpdateSchema, type TradeUpdate } from './schema.js';

export interface TradeStreamOptions {
  readonly url: string;
  readonly credentials: AlpacaTradingCredentials;
  readonly onUpdate: (u: TradeUpdate) => void;
  /** A malformed frame; the connection stays up. */
  readonly onProblem: (e: Pi5Error) => void;
  /** Called after every connection but the first is authenticated and listening. */
  readonly onReconnected: () => Promise<void> | void;
  readonly onState?: (state: 'up' | 'down', detail: string) => void;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly seed?: number;
  readonly controlTimeoutMs?: number;
}

/** The trading stream URL of a REST base URL: https://paper-api.alpaca.markets → wss://paper-api.alpaca.markets/stream. */
export function streamUrlOf(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/stream`;
}

export class AlpacaTradeStream {
  private ws: WebSocket | null = null;
  private closing = false;
  private readonly rng: SeededRng;
  private readonly delay = new WakeableDelay();
  private reconnecting: Promise<void> | null = null;
  /** Connections opened and authenticated so far. */
  connections = 0;

  constructor(private readonly o: TradeStreamOptions) {
    this.rng = new SeededRng(o.seed ?? 1);
  }

  /** Opens the first connection; fails fast (bad URL or keys should surface at once). */
  async connect(): Promise<void> {
    await this.open();
  }

  get up(): boolean {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  /** Resolves once every frame the server sent before now has been handed on (a ping's pong comes after them). */
  flush(): Promise<void> {
    const ws = this.ws;
    if (ws === null || ws.readyState !== WebSocket.OPEN) return this.reconnecting ?? Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        ws.off('pong', done);
        ws.off('close', done);
        resolve();
      };
      ws.on('pong', done);
      ws.on('close', done);
      ws.ping();
    });
  }

  close(): void {
    this.closing = true;
    this.delay.wake();
    this.ws?.close();
    this.ws = null;
  }

  private open(): Promise<void> {
    const ws = new WebSocket(this.o.url);
    return new Promise<void>((resolve, reject) => {
      let stage: 'auth' | 'listen' | 'ready' = 'auth';
      const timer = setTimeout(() => fail(`no authorization within ${this.o.controlTimeoutMs ?? 10_000} ms`), this.o.controlTimeoutMs ?? 10_000);
      // fatal: trying again cannot help (the keys are refused), so a start fails at once instead of retrying.
      const fail = (why: string, fatal = false): void => {
        clearTimeout(timer);
        ws.terminate();
        reject(new Pi5Error('PI5_ERR_BROKER', `alpaca trading stream ${this.o.url}: ${why}`, fatal ? { fatal } : {}));
      };
      ws.on('open', () => ws.send(JSON.stringify({ action: 'auth', key: this.o.credentials.keyId, secret: this.o.credentials.secretKey })));
      ws.on('error', (e) => {
        if (stage !== 'ready') fail(e.message);
      });
      ws.on('message', (raw: WebSocket.RawData) => {
        const frame = this.parse(raw);
        if (frame === null) return;
        if (stage === 'auth' && frame.stream === 'authorization') {
          const a = authorizationSchema.safeParse(frame.data);
          if (!a.success || a.data.status !== 'authorized') return fail('authorization refused (check APCA_API_KEY_ID / APCA_API_SECRET_KEY)', true);
          stage = 'listen';
          ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
        } else if (stage === 'listen' && frame.stream === 'listening') {
          const l = listeningSchema.safeParse(frame.data);
          if (!l.success || !l.data.streams.includes('trade_updates')) return fail('the server did not listen to trade_updates');
          stage = 'ready';
          clearTimeout(timer);
          this.ws = ws;
          this.connections++;
          this.o.onState?.('up', this.o.url);
          resolve();
        } else if (frame.stream === 'trade_updates') {
          const u = tradeUpdateSchema.safeParse(frame.data);
          if (!u.success) {
            const i = u.error.issues[0];
            this.o.onProblem(new Pi5Error('PI5_ERR_BROKER', `alpaca trade_updates: ${i === undefined ? 'bad frame' : `${i.path.join('.')}: ${i.message}`}`));
            return;
          }
          this.o.onUpdate(u.data);
        }
      });
      ws.on('close', () => {
        if (stage !== 'ready') return fail('the connection closed before it was listening');
        if (this.ws === ws) this.ws = null;
        if (!this.closing) this.reconnecting = this.reconnect();
      });
    });
  }

  private parse(raw: WebSocket.RawData): { stream: string; data: unknown } | null {
    const text = Array.isArray(raw) ? Buffer.concat(raw).toString('utf8') : Buffer.from(raw as ArrayBuffer).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.o.onProblem(new Pi5Error('PI5_ERR_BROKER', `alpaca trading stream: a frame is not JSON: ${JSON.stringify(text.slice(0, 60))}`));
      return null;
    }
    const f = streamFrameSchema.safeParse(json);
    if (!f.success) {
      this.o.onProblem(new Pi5Error('PI5_ERR_BROKER', 'alpaca trading stream: a frame has no `stream`'));
      return null;
    }
    return f.data;
  }

  private async reconnect(): Promise<void> {
    this.o.onState?.('down', 'trading stream dropped');
    const base = this.o.baseDelayMs ?? 250;
    for (let n = 0; !this.closing; n++) {
      await this.delay.sleep(Math.min(this.o.maxDelayMs ?? 30_000, base * 2 ** Math.min(n, 16) * (0.5 + this.rng.next())));
      if (this.closing) return;
      try {
        await this.open();
        await this.o.onReconnected();
        this.reconnecting = null;
        return;
      } catch (e) {
        this.o.onProblem(e instanceof Pi5Error ? e : new Pi5Error('PI5_ERR_BROKER', `alpaca trading stream: ${(e as Error).message}`));
      }
    }
  }
}
