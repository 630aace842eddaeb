// A local stand-in for Alpaca's Trading API v2 on one port: node:http answers the real REST paths (orders,
// replace, cancel, cancel all, by client id, account, positions, FILL activities) and a ws server on /stream speaks
// the trading stream (auth → listen → trade_updates). An OCO's legs come under their parent in the POST answer and
// where a read asks for `nested=true`; elsewhere each leg is an order of its own (with Alpaca's client id). Its matching engine trades on bars the test hands it, under
// the venue contract's liquidity rule (at most half a bar's volume fills per bar). Tests can inject refusals,
// held acknowledgements, lost responses, dropped streams, fills while nobody listens and orders we never sent.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Bar } from '../../src/model/types.js';
import { FakeMatcher, type FakeOrder } from './fakeAlpacaMatcher.js';

export const TRADING_KEY = 'PKTRADEKEY1';
export const TRADING_SECRET = 'trading-sEcReT-77';

export interface Refusal {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

export interface FakeAlpacaTrading {
  readonly baseUrl: string;
  readonly streamUrl: string;
  readonly matcher: FakeMatcher;
  /** Every client order id POSTed, in order, refused ones included (duplicates show up here). */
  readonly posted: string[];
  /** The next order POSTs are refused with these answers, one each. */
  refuseNext(...r: Refusal[]): void;
  /** The next order POST is carried out, but its connection is destroyed before the answer (outcome unknown). */
  loseNextAnswer(): void;
  /** Closes every trading stream connection (clients reconnect); events meanwhile are lost, as at Alpaca. */
  dropStreams(): void;
  /** Refuses new stream connections (true) until called with false. */
  refuseStreams(on: boolean): void;
  /** Stream connections authenticated so far. */
  streamConnections(): number;
  /** A bar trades: fills, then DAY orders of a daily bar's symbol expire. */
  trade(bar: Bar): void;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
};

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

export interface FakeOptions {
  readonly binaryFrames?: boolean;
  /** Fills every market order in full as soon as it is placed, at this price (a market with no bars of its own). */
  readonly fillMarketAt?: number;
}

export async function startFakeAlpacaTrading(opts: FakeOptions = {}): Promise<FakeAlpacaTrading> {
  const sockets = new Set<WebSocket>();
  const send = (event: string, order: FakeOrder, extra: Record<string, unknown> = {}): void => {
    const frame = JSON.stringify({ stream: 'trade_updates', data: { event, timestamp: new Date().toISOString(), order: matcher.wire(order), ...extra } });
    for (const ws of sockets) ws.send(opts.binaryFrames === true ? Buffer.from(frame) : frame);
  };
  const matcher = new FakeMatcher(send);
  const posted: string[] = [];
  const refusals: Refusal[] = [];
  let loseAnswer = false;
  let refuseStreams = false;
  let connections = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.headers['apca-api-key-id'] !== TRADING_KEY || req.headers['apca-api-secret-key'] !== TRADING_SECRET) {
      return json(res, 401, { code: 40110000, message: 'request is not authorized' });
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const m = /^\/v2\/orders\/([^/:]+)$/.exec(path);
    if (req.method === 'POST' && path === '/v2/orders') {
      const body = await bodyOf(req);
      posted.push(String(body.client_order_id ?? ''));
      const refusal = refusals.shift();
      if (refusal !== undefined) return json(res, refusal.status, { code: refusal.code, message: refusal.message });
      const r = matcher.place(body);
      if (typeof r === 'string') return json(res, 422, { code: 40010001, message: r });
      if (opts.fillMarketAt !== undefined && r.type === 'market') matcher.fill(r, r.qty, opts.fillMarketAt);
      if (loseAnswer) {
        loseAnswer = false;
        res.socket?.destroy();
        return;
      }
      return json(res, 200, matcher.wire(r));
    }
    if (req.method === 'GET' && path === '/v2/orders') {
      const nested = url.searchParams.get('nested') === 'true';
      // Nested: legs under their parent only; otherwise every order on its own line, legs too.
      const list = matcher.list(url.searchParams.get('status') ?? 'open', url.searchParams.get('after')).filter((o) => !nested || !matcher.isLeg(o));
      return json(res, 200, list.map((o) => matcher.wire(o, nested)));
    }
    if (req.method === 'GET' && path === '/v2/orders:by_client_order_id') {
      const o = matcher.byClientId(url.searchParams.get('client_order_id') ?? '');
      return o === undefined ? json(res, 404, { code: 40410000, message: 'order not found' }) : json(res, 200, matcher.wire(o, false));
    }
    if (req.method === 'DELETE' && path === '/v2/orders') {
      return json(res, 207, matcher.cancelAll().map((o) => ({ id: o.id, status: 200, body: matcher.wire(o) })));
    }
    if (m !== null && req.method === 'DELETE') {
      const r = matcher.cancel(m[1] ?? '');
      return r === null ? json(res, 204, undefined) : json(res, r.status, { code: r.status * 100_000 + 10_000, message: r.message });
    }
    if (m !== null && req.method === 'PATCH') {
      const r = matcher.replace(m[1] ?? '', await bodyOf(req));
      return typeof r === 'string' ? json(res, 422, { code: 42210000, message: r }) : json(res, 200, matcher.wire(r));
    }
    if (m !== null && req.method === 'GET') {
      const o = matcher.get(m[1] ?? '');
      return o === undefined ? json(res, 404, { code: 40410000, message: 'order not found' }) : json(res, 200, matcher.wire(o, url.searchParams.get('nested') === 'true'));
    }
    if (req.method === 'GET' && path === '/v2/account') return json(res, 200, matcher.account());
    if (req.method === 'GET' && path === '/v2/positions') return json(res, 200, matcher.positions());
    if (req.method === 'GET' && path === '/v2/account/activities/FILL') {
      return json(res, 200, matcher.activities(url.searchParams.get('after'), url.searchParams.get('page_token'), Number(url.searchParams.get('page_size') ?? 100)));
    }
    return json(res, 404, { code: 40400000, message: `no route ${req.method ?? ''} ${path}` });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => json(res, 500, { code: 50000000, message: (e as Error).message }));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (req.url !== '/stream' || refuseStreams) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (raw) => {
        const msg = JSON.parse(String(raw)) as { action?: string; key?: string; secret?: string; data?: { streams?: string[] } };
        const reply = (stream: string, data: unknown): void => ws.send(JSON.stringify({ stream, data }));
        if (msg.action === 'auth') {
          const ok = msg.key === TRADING_KEY && msg.secret === TRADING_SECRET;
          reply('authorization', { action: 'authenticate', status: ok ? 'authorized' : 'unauthorized' });
          if (!ok) ws.close();
        } else if (msg.action === 'listen') {
          connections++;
          sockets.add(ws);
          reply('listening', { streams: msg.data?.streams ?? [] });
        }
      });
      ws.on('close', () => sockets.delete(ws));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    streamUrl: `ws://127.0.0.1:${port}/stream`,
    matcher,
    posted,
    refuseNext: (...r) => void refusals.push(...r),
    loseNextAnswer: () => void (loseAnswer = true),
    dropStreams: () => {
      for (const ws of sockets) ws.terminate();
      sockets.clear();
    },
    refuseStreams: (on) => void (refuseStreams = on),
    streamConnections: () => connections,
    trade: (bar) => matcher.trade(bar),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
