// WebSocket /ws: authenticated clients subscribe to channels and receive versioned JSON events. Events go
// through the cache's pub/sub (Redis when configured), so every server instance serves the same stream.
// A client that reads too slowly is skipped while its send buffer is full and dropped if it stays full:
// a slow client never makes the server's memory grow without bound.

import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Cache } from '../cache/types.js';
import { isPi5Error } from '../core/errors.js';
import { hasRole, type AccessIdentity, type AuthService, type Role } from '../auth/index.js';

export const WS_VERSION = 1;
export const CHANNELS = ['quotes', 'bars', 'orders', 'fills', 'positions', 'portfolio', 'risk', 'logs', 'backtests', 'optimizations', 'status'] as const;
export type Channel = (typeof CHANNELS)[number];
const CHANNEL_ROLE: Record<Channel, Role> = {
  quotes: 'viewer', bars: 'viewer', orders: 'viewer', fills: 'viewer', positions: 'viewer', portfolio: 'viewer',
  risk: 'viewer', logs: 'admin', backtests: 'viewer', optimizations: 'viewer', status: 'viewer',
};
const FANOUT_CHANNEL = 'pi5:ws:events';

export interface WsOptions {
  /** Bytes buffered for one client above which its events are skipped. */
  readonly softLimitBytes?: number;
  /** Skipped events in a row after which the client is disconnected (close code 4008). */
  readonly maxSkipped?: number;
  /** Milliseconds a new connection has to authenticate. */
  readonly authTimeoutMs?: number;
}

interface Client {
  readonly socket: WebSocket;
  identity: AccessIdentity | null;
  readonly channels: Set<Channel>;
  skipped: number;
}

export interface WsStats {
  clients: number;
  sent: number;
  skipped: number;
  dropped: number;
}

/**
 * The token offered as `Sec-WebSocket-Protocol: bearer, <accessToken>` (browsers cannot set an Authorization
 * header on a WebSocket); the server answers with the `bearer` protocol. Null when not offered that way.
 */
export function protocolToken(header: string | string[] | undefined): string | null {
  const list = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((x) => x.trim());
  return list[0] === 'bearer' && list[1] !== undefined && list[1] !== '' ? list[1] : null;
}

/** ws asks which offered subprotocol to answer with: `bearer` when the token comes that way. */
export function selectProtocol(protocols: Set<string>): string | false {
  return protocols.has('bearer') ? 'bearer' : false;
}

type ClientMessage = { type: 'auth'; token: string } | { type: 'subscribe' | 'unsubscribe'; channels: string[] } | { type: 'ping' };

function parseMessage(raw: string): ClientMessage | null {
  try {
    const m = JSON.parse(raw) as Record<string, unknown>;
    if (m.type === 'auth' && typeof m.token === 'string') return { type: 'auth', token: m.token };
    if ((m.type === 'subscribe' || m.type === 'unsubscribe') && Array.isArray(m.channels) && m.channels.every((c) => typeof c === 'string')) {
      return { type: m.type, channels: m.channels as string[] };
    }
    if (m.type === 'ping') return { type: 'ping' };
    return null;
  } catch {
    return null;
  }
}

export class WsHub {
  readonly stats: WsStats = { clients: 0, sent: 0, skipped: 0, dropped: 0 };
  private readonly clients = new Set<Client>();
  private readonly softLimit: number;
  private readonly maxSkipped: number;
  private readonly authTimeoutMs: number;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly cache: Cache,
    private readonly auth: AuthService,
    opts: WsOptions = {},
  ) {
    this.softLimit = opts.softLimitBytes ?? 1 << 20;
    this.maxSkipped = opts.maxSkipped ?? 1000;
    this.authTimeoutMs = opts.authTimeoutMs ?? 10_000;
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.cache.subscribe(FANOUT_CHANNEL, (message) => this.deliver(message));
  }

  async close(): Promise<void> {
    await this.unsubscribe?.();
    for (const c of this.clients) c.socket.close(1001, 'server shutting down');
  }

  /** Publishes an event to every instance's subscribers of the channel. */
  publish(channel: Channel, data: unknown): void {
    if (this.clients.size === 0 && this.cache.health() !== 'up') return;
    const message = JSON.stringify({ v: WS_VERSION, type: 'event', channel, ts: Date.now(), data });
    void this.cache.publish(FANOUT_CHANNEL, message).catch(() => undefined);
  }

  private deliver(message: string): void {
    // The channel sits at a fixed place in our own serialization, so routing needs no parse.
    const m = /^\{"v":\d+,"type":"event","channel":"([a-z]+)"/.exec(message);
    if (!m) return;
    const channel = m[1] as Channel;
    for (const c of this.clients) {
      if (!c.channels.has(channel)) continue;
      if (c.socket.bufferedAmount > this.softLimit) {
        this.stats.skipped++;
        if (++c.skipped >= this.maxSkipped) this.drop(c);
        continue;
      }
      c.skipped = 0;
      this.stats.sent++;
      c.socket.send(message);
    }
  }

  private drop(c: Client): void {
    this.stats.dropped++;
    this.send(c, { type: 'error', code: 'PI5_ERR_SLOW_CONSUMER', message: 'disconnected: this client did not keep up with its subscriptions' });
    c.socket.close(4008, 'slow consumer');
    this.remove(c);
  }

  private remove(c: Client): void {
    if (this.clients.delete(c)) this.stats.clients = this.clients.size;
  }

  private send(c: Client, body: Record<string, unknown>): void {
    c.socket.send(JSON.stringify({ v: WS_VERSION, ...body }));
  }

  register(app: FastifyInstance): void {
    app.get('/ws', { websocket: true, schema: { hide: true } as Record<string, unknown> }, (socket, req) => this.accept(socket, protocolToken(req.headers['sec-websocket-protocol'])));
  }

  private accept(socket: WebSocket, token: string | null): void {
    const c: Client = { socket, identity: null, channels: new Set(), skipped: 0 };
    this.clients.add(c);
    this.stats.clients = this.clients.size;
    const timer = setTimeout(() => {
      if (c.identity === null) socket.close(4401, 'authenticate first: {"type":"auth","token":"<accessToken>"}');
    }, this.authTimeoutMs);
    socket.on('close', () => {
      clearTimeout(timer);
      this.remove(c);
    });
    // One message at a time per client: a subscribe sent right behind the auth waits for the auth's answer.
    let pending: Promise<void> = token === null ? Promise.resolve() : this.authenticate(c, token);
    socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      pending = pending.then(() => this.onMessage(c, text));
    });
  }

  private async authenticate(c: Client, token: string): Promise<void> {
    try {
      c.identity = await this.auth.verifyAccess(token);
      this.send(c, { type: 'welcome', user: c.identity.username, role: c.identity.role, channels: CHANNELS });
    } catch (e) {
      this.send(c, { type: 'error', code: isPi5Error(e) ? e.code : 'PI5_ERR_UNAUTHENTICATED', message: 'authentication failed' });
      c.socket.close(4401, 'authentication failed');
    }
  }

  private async onMessage(c: Client, raw: string): Promise<void> {
    const m = raw.length > 65_536 ? null : parseMessage(raw);
    if (m === null) return this.send(c, { type: 'error', code: 'PI5_ERR_BAD_REQUEST', message: 'unreadable message: send {"type":"auth"|"subscribe"|"unsubscribe"|"ping", ...}' });
    if (m.type === 'auth') return this.authenticate(c, m.token);
    if (c.identity === null) {
      this.send(c, { type: 'error', code: 'PI5_ERR_UNAUTHENTICATED', message: 'authenticate first: {"type":"auth","token":"<accessToken>"}' });
      c.socket.close(4401, 'not authenticated');
      return undefined;
    }
    if (m.type === 'ping') return this.send(c, { type: 'pong' });
    const known = m.channels.filter((ch): ch is Channel => (CHANNELS as readonly string[]).includes(ch));
    const unknown = m.channels.filter((ch) => !(CHANNELS as readonly string[]).includes(ch));
    if (unknown.length > 0) return this.send(c, { type: 'error', code: 'PI5_ERR_BAD_REQUEST', message: `unknown channels: ${unknown.join(', ')}; known: ${CHANNELS.join(', ')}` });
    const role = c.identity.role;
    const denied = known.filter((ch) => !hasRole(role, CHANNEL_ROLE[ch]));
    if (denied.length > 0) return this.send(c, { type: 'error', code: 'PI5_ERR_FORBIDDEN', message: `channels ${denied.join(', ')} need a higher role than ${role}` });
    for (const ch of known) {
      if (m.type === 'subscribe') c.channels.add(ch);
      else c.channels.delete(ch);
    }
    return this.send(c, { type: 'subscriptions', channels: [...c.channels] });
  }
}
