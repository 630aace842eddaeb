// A local stand-in for query1.finance.yahoo.com: node:http on 127.0.0.1 and a random port, answering
// /v8/finance/chart/{symbol} (bars, and `range=1d` for the polled quotes) through a handler the test swaps,
// and recording every request. /v7/finance/quote answers as Yahoo does without a cookie and crumb: 401.

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

export interface ChartRequest {
  readonly symbol: string;
  readonly params: URLSearchParams;
}

export type FakeHandler = (req: ChartRequest, n: number) => FakeReply;

export interface FakeYahoo {
  readonly baseUrl: string;
  readonly requests: ChartRequest[];
  handle(h: FakeHandler): void;
  close(): Promise<void>;
}

export async function startFakeYahoo(): Promise<FakeYahoo> {
  let handler: FakeHandler = () => ({ status: 500, body: 'no handler' });
  const requests: ChartRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/v7/finance/quote') {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } }));
      return;
    }
    const m = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
    if (m === null) {
      res.writeHead(404).end('not found');
      return;
    }
    const r: ChartRequest = { symbol: decodeURIComponent(m[1] as string), params: url.searchParams };
    requests.push(r);
    const reply = handler(r, requests.length);
    if (reply.hang) return;
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null);
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers }).end(body);
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
