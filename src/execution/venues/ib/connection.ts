// One API connection to TWS / IB Gateway: the handshake, startApi with our client id, the next valid order id,
// paced sends, a round-trip probe, and reconnection with exponential backoff when the socket drops.

import { Socket } from 'node:net';
import { IN, nextValidId } from './incoming.js';
import { IB_SERVER_VERSION, reqCurrentTime, startApi } from './outgoing.js';
import { MessagePacer, REAL_TIMERS, type PacerTimers } from './pacer.js';
import { FrameReader, frame, handshake, type WireField } from './wire.js';

export interface IbConnectionOptions {
  readonly host: string;
  readonly port: number;
  /** TWS allows one connection per client id; orders are owned by the client id that placed them. */
  readonly clientId: number;
  /** Give up on one connect attempt after this long. */
  readonly connectTimeoutMs?: number;
  /** IB's limit is 50 messages a second; we stay under it. */
  readonly maxMessagesPerSecond?: number;
  /** First reconnect delay; it doubles on each failure up to `reconnectMaxMs`. 0 turns reconnecting off. */
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
  readonly timers?: PacerTimers;
}

export type IbLinkState = 'disconnected' | 'connecting' | 'connected';

export interface IbConnectionEvents {
  /** Every message after the handshake, as fields. */
  message(fields: string[]): void;
  /** The API is usable (after nextValidId); `reconnected` is true after a drop. */
  ready(reconnected: boolean): void;
  /** The socket closed; `reason` says why. */
  down(reason: string): void;
}

export class IbConnection {
  private socket: Socket | null = null;
  private pacer: MessagePacer | null = null;
  private stateNow: IbLinkState = 'disconnected';
  private everReady = false;
  private closing = false;
  private backoffMs: number;
  private cancelRetry: (() => void) | null = null;
  private nextId = 0;
  private readonly syncs: { resolve: (ms: number) => void; reject: (e: Error) => void; sentAt: number }[] = [];
  private readonly listeners: { [K in keyof IbConnectionEvents]: IbConnectionEvents[K][] } = { message: [], ready: [], down: [] };
  private readonly timers: PacerTimers;
  /** Wall time of the last message from TWS: how the health monitor sees a stream that went quiet. */
  lastMessageAtMs: number | null = null;
  accounts: readonly string[] = [];
  /** TWS said it lost its own connection to IB's servers (error 1100) and has not said it is back (1101/1102). */
  private serverLinkLost = false;
  /** What the opening of the current socket has brought so far. */
  private handshake = { id: false, accounts: false, ready: false };

  constructor(private readonly opts: IbConnectionOptions) {
    this.timers = opts.timers ?? REAL_TIMERS;
    this.backoffMs = opts.reconnectInitialMs ?? 500;
  }

  get state(): IbLinkState {
    return this.stateNow;
  }

  on<K extends keyof IbConnectionEvents>(event: K, fn: IbConnectionEvents[K]): void {
    this.listeners[event].push(fn);
  }

  /** Connects and resolves once TWS has given the next valid order id; rejects on refusal or time-out. */
  connect(): Promise<void> {
    this.closing = false;
    return new Promise((resolve, reject) => {
      let settled = false;
      const done = (e?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (e === undefined) resolve();
        else reject(e);
      };
      const timer = setTimeout(() => {
        done(new Error(`IB ${this.where()}: no answer to the API handshake within ${this.opts.connectTimeoutMs ?? 10_000} ms`));
        this.socket?.destroy();
      }, this.opts.connectTimeoutMs ?? 10_000);
      this.open(done);
    });
  }

  /** Takes an order id for a new order: TWS requires ids above every id used before on this account. */
  takeOrderId(): number {
    return this.nextId++;
  }

  send(fields: readonly WireField[]): void {
    if (this.stateNow !== 'connected' || this.pacer === null) throw new Error(`IB ${this.where()}: not connected`);
    this.pacer.push(frame(fields));
  }

  /** A round trip to TWS behind every request sent before it; resolves with its latency in ms. */
  sync(): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.stateNow !== 'connected') {
        reject(new Error(`IB ${this.where()}: not connected`));
        return;
      }
      this.syncs.push({ resolve, reject, sentAt: this.timers.now() });
      this.send(reqCurrentTime());
    });
  }

  /** The link as the broker health monitor reads it: up only when TWS is connected to IB's servers too. */
  link(): { connected(): boolean; lastMessageAtMs(): number | null; probe(): Promise<number> } {
    return {
      connected: () => this.stateNow === 'connected' && !this.serverLinkLost,
      lastMessageAtMs: () => this.lastMessageAtMs,
      probe: () => this.sync(),
    };
  }

  /** Closes for good: no reconnect. */
  close(): void {
    this.closing = true;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.socket?.destroy();
  }

  private where(): string {
    return `${this.opts.host}:${this.opts.port} client ${this.opts.clientId}`;
  }

  private open(done: (e?: Error) => void): void {
    this.stateNow = 'connecting';
    this.handshake = { id: false, accounts: false, ready: false };
    const socket = new Socket();
    this.socket = socket;
    const reader = new FrameReader();
    let handshaken = false;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let messages: string[][];
      try {
        messages = reader.push(chunk);
      } catch (e) {
        socket.destroy(e as Error);
        return;
      }
      this.lastMessageAtMs = this.timers.now();
      for (const fields of messages) {
        if (!handshaken) {
          handshaken = true;
          const version = Number(fields[0]);
          if (version !== IB_SERVER_VERSION) {
            done(new Error(`IB ${this.where()}: server chose protocol version ${fields[0] ?? '?'}, we speak ${IB_SERVER_VERSION}`));
            socket.destroy();
            return;
          }
          this.pacer = new MessagePacer(this.opts.maxMessagesPerSecond ?? 45, 1000, (b) => socket.write(b), this.timers);
          this.stateNow = 'connected';
          this.send(startApi(this.opts.clientId));
          continue;
        }
        this.dispatch(fields, done);
      }
    });
    socket.on('error', (e) => done(new Error(`IB ${this.where()}: ${e.message}`)));
    socket.on('close', () => this.onClose(socket, done));
    socket.connect(this.opts.port, this.opts.host, () => socket.write(handshake(IB_SERVER_VERSION, IB_SERVER_VERSION)));
  }

  private dispatch(fields: string[], done: (e?: Error) => void): void {
    const id = Number(fields[0]);
    if (id === IN.nextValidId) {
      this.nextId = Math.max(this.nextId, nextValidId(fields));
      this.handshake.id = true;
    }
    if (id === IN.managedAccounts) {
      this.accounts = (fields[2] ?? '').split(',').filter((a) => a !== '');
      this.handshake.accounts = true;
    }
    // TWS opens with the next valid id and the login's accounts, in either order: usable once both came.
    if ((id === IN.nextValidId || id === IN.managedAccounts) && this.handshake.id && this.handshake.accounts && !this.handshake.ready) {
      this.handshake.ready = true;
      const reconnected = this.everReady;
      this.everReady = true;
      this.backoffMs = this.opts.reconnectInitialMs ?? 500;
      done();
      for (const fn of this.listeners.ready) fn(reconnected);
      return;
    }
    if (id === IN.error) {
      const code = Number(fields[3]);
      // Refused at login (326: client id in use): say so rather than "connection closed".
      if (!this.handshake.ready && fields[2] === '-1' && code === 326) done(new Error(`IB ${this.where()}: ${fields[4] ?? 'client id in use'}`));
      if (code === 1100) this.serverLinkLost = true;
      if (code === 1101 || code === 1102) this.serverLinkLost = false;
    }
    if (id === IN.currentTime) {
      const s = this.syncs.shift();
      s?.resolve(this.timers.now() - s.sentAt);
      return;
    }
    for (const fn of this.listeners.message) fn(fields);
  }

  private onClose(socket: Socket, done: (e?: Error) => void): void {
    if (this.socket !== socket) return;
    const wasConnected = this.stateNow === 'connected';
    this.stateNow = 'disconnected';
    this.pacer?.clear();
    this.pacer = null;
    done(new Error(`IB ${this.where()}: connection closed during the handshake (client id in use?)`));
    for (const s of this.syncs.splice(0)) s.reject(new Error(`IB ${this.where()}: connection lost`));
    if (wasConnected) for (const fn of this.listeners.down) fn(this.closing ? 'closed' : 'connection lost');
    if (this.closing || !this.everReady || (this.opts.reconnectInitialMs ?? 500) === 0) return;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.reconnectMaxMs ?? 30_000);
    this.cancelRetry = this.timers.later(() => {
      this.cancelRetry = null;
      if (!this.closing) this.open(() => undefined);
    }, wait);
  }
}
