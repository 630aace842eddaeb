// HTTP connection limits, so no client can hold the server's sockets: how long a request may take to arrive
// (headers, then the whole request), how long an idle keep-alive connection stays open, and how many
// connections one IP address may hold at once (the ones over the cap are closed at once, before any parsing).

import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Whole request (headers and body) must arrive within this; then 408 and the connection is closed. */
  readonly requestTimeoutMs: number;
  /** Headers must arrive within this (capped at requestTimeoutMs). */
  readonly headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections per client IP address; one more is closed on accept. */
  readonly maxConnectionsPerIp: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnectionsPerIp: 128 };

/** Fastify constructor options for the timeouts. Node checks request and header deadlines on an interval
 * (30 s by default), far too coarse for a 10 s deadline: the interval follows the shortest deadline. */
export function timeoutOptions(l: ConnectionLimits): { requestTimeout: number; keepAliveTimeout: number; http: { headersTimeout: number; connectionsCheckingInterval: number } } {
  const headersTimeout = Math.min(l.headersTimeoutMs, l.requestTimeoutMs);
  const connectionsCheckingInterval = Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4)));
  return { requestTimeout: l.requestTimeoutMs, keepAliveTimeout: l.keepAliveTimeoutMs, http: { headersTimeout, connectionsCheckingInterval } };
}

/** Closes a connection on accept when its IP address already holds `max`; counts the others until they close. */
export function capConnectionsPerIp(server: Server, max: number): void {
  const open = new Map<string, number>();
  // Prepended: runs before the HTTP parser is attached, so a refused socket costs nothing more.
  server.prependListener('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? 'unknown';
    const n = (open.get(ip) ?? 0) + 1;
    if (n > max) {
      socket.destroy();
      return;
    }
    open.set(ip, n);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left <= 0) open.delete(ip);
      else open.set(ip, left);
    });
  });
}
