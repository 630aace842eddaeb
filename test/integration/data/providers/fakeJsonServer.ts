// The shared body of the fake provider servers: node:http on 127.0.0.1 and a random port, a route that turns a
// URL into a typed request (or null for 404), fixed answers for paths a fake always answers the same way, and
// a handler the test swaps; every routed request is recorded.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeReply {
  readonly status?: number;
  /** An object is sent as JSON; a string as is (for malformed bodies). */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Never answer (for timeouts). */
  readonly hang?: boolean;
}

export interface FakeServer<R> {
  readonly baseUrl: string;
  readonly requests: R[];
  handle(h: (req: R, n: number) => FakeReply): void;
  close(): Promise<void>;
}

export interface FakeRoutes<R> {
  route(url: URL): R | null;
  fixed?(url: URL): FakeReply | undefined;
}

function send(res: import('node:http').ServerResponse, reply: FakeReply): void {
  const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null);
  res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers }).end(body);
}

export async function startFakeJsonServer<R>(routes: FakeRoutes<R>): Promise<FakeServer<R>> {
  let handler: (req: R, n: number) => FakeReply = () => ({ status: 500, body: 'no handler' });
  const requests: R[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const fixed = routes.fixed?.(url);
    if (fixed !== undefined) return send(res, fixed);
    const r = routes.route(url);
    if (r === null) {
      res.writeHead(404).end('not found');
      return undefined;
    }
    requests.push(r);
    const reply = handler(r, requests.length);
    if (reply.hang) return undefined;
    return send(res, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    handle: (h) => {
      handler = h;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
