// A local stand-in for Alpaca market data on one port: node:http answers /v2/stocks/{symbol}/bars and
// /v1/corporate-actions (none unless a test sets some) through handlers the test swaps (recording each request), and a ws WebSocketServer on /v2/{feed}
// speaks the real stream protocol (connected → auth → subscribe → data) with scriptable data and drops.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeReply {
  readonly status?: number;
  /** An object is sent as JSON; a string as is. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface BarsRequest {
  readonly symbol: string;
  readonly params: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

export type BarsHandler = (req: BarsRequest, n: number) => FakeReply;

export interface WireBar {
  readonly t: string;
  readonly o: number;
  readonly h: number;
  readonly l: number;
  readonly c: number;
  readonly v: number;
  readonly n?: number;
  readonly vw?: number;
}

export interface Subscriptions {
  bars: string[];
  updatedBars: string[];
  dailyBars: string[];
  quotes: string[];
  trades: string[];
}

export const FAKE_KEY = 'PKTESTKEY123';
export const FAKE_SECRET = 'sEcReT-do-not-print-42';

export interface FakeAlpaca {
  readonly baseUrl: string;
  /** ws://…/v2/iex */
  readonly streamUrl: string;
  readonly barRequests: BarsRequest[];
  /** Requests of /v1/corporate-actions (their `symbols` in `symbol`). */
  readonly actionRequests: BarsRequest[];
  /** Every message clients sent, parsed, in order (auth messages included). */
  readonly received: Array<Record<string, unknown>>;
  /** Connections accepted so far. */
  connections(): number;
  handleBars(h: BarsHandler): void;
  /** Answers /v1/corporate-actions; by default (and after each handleBars) an empty `corporate_actions` object. */
  handleActions(h: BarsHandler): void;
  /** Called after each successful subscribe with the socket's send and its subscriptions. */
  onSubscribed(hook: ((send: (frame: unknown) => void, subs: Subscriptions, connection: number) => void) | null): void;
  /** Sends a frame (an array as JSON; a string as is) to every authenticated client. */
  send(frame: unknown): void;
  /** New connections get this stream error code (406: connection limit) and are closed; null to accept again. */
  refuseWith(code: number | null): void;
  /** Subscriptions that would hold more than n symbols in one channel are refused with error 405, as Alpaca's plans do; null: no limit. */
  limitSymbols(n: number | null): void;
  /** Cuts every connection without a close frame, as a network failure would. */
  dropAll(): void;
  close(): Promise<void>;
}

/** Serves bars from `table` (by symbol), filtered to [start, end] and paged `pageSize` at a time with tokens. */
export function barsFrom(table: Record<string, readonly WireBar[]>, pageSize = 10_000): BarsHandler {
  return (r) => {
    const start = Date.parse(r.params.get('start') ?? '');
    const end = Date.parse(r.params.get('end') ?? '');
    const all = (table[r.symbol] ?? []).filter((b) => Date.parse(b.t) >= start && Date.parse(b.t) <= end);
    const from = Number((r.params.get('page_token') ?? 'page-0').slice(5));
    const page = all.slice(from, from + pageSize);
    const next = from + pageSize < all.length ? `page-${from + pageSize}` : null;
    return { body: { bars: page.length === 0 ? null : page, symbol: r.symbol, next_page_token: next } };
  };
}

export async function startFakeAlpaca(): Promise<FakeAlpaca> {
  let handler: BarsHandler = () => ({ status: 500, body: { message: 'no handler' } });
  let hook: ((send: (frame: unknown) => void, subs: Subscriptions, connection: number) => void) | null = null;
  const barRequests: BarsRequest[] = [];
  const actionRequests: BarsRequest[] = [];
  const noActions: BarsHandler = () => ({ body: { corporate_actions: {}, next_page_token: null } });
  let actionsHandler = noActions;
  const received: Array<Record<string, unknown>> = [];
  const authed = new Set<WebSocket>();
  let connections = 0;
  let refusal: number | null = null;
  let symbolLimit: number | null = null;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/v1/corporate-actions') {
      const r: BarsRequest = { symbol: url.searchParams.get('symbols') ?? '', params: url.searchParams, headers: req.headers };
      actionRequests.push(r);
      const reply = actionsHandler(r, actionRequests.length);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers }).end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null));
      return;
    }
    const m = /^\/v2\/stocks\/([^/]+)\/bars$/.exec(url.pathname);
    if (m === null) {
      res.writeHead(404).end('{"message":"not found"}');
      return;
    }
    const r: BarsRequest = { symbol: decodeURIComponent(m[1] as string), params: url.searchParams, headers: req.headers };
    barRequests.push(r);
    const reply = handler(r, barRequests.length);
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null);
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers }).end(body);
  });
  const wss = new WebSocketServer({ server, path: '/v2/iex' });
  wss.on('connection', (ws) => {
    const n = ++connections;
    const subs: Subscriptions = { bars: [], updatedBars: [], dailyBars: [], quotes: [], trades: [] };
    const send = (frame: unknown): void => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    if (refusal !== null) {
      send([{ T: 'error', code: refusal, msg: refusal === 406 ? 'connection limit exceeded' : 'internal error' }]);
      ws.close();
      return;
    }
    send([{ T: 'success', msg: 'connected' }]);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      received.push(msg);
      if (msg.action === 'auth') {
        if (msg.key === FAKE_KEY && msg.secret === FAKE_SECRET) {
          authed.add(ws);
          send([{ T: 'success', msg: 'authenticated' }]);
        } else {
          send([{ T: 'error', code: 402, msg: 'auth failed' }]);
          ws.close();
        }
        return;
      }
      if (!authed.has(ws)) return send([{ T: 'error', code: 401, msg: 'not authenticated' }]);
      const add = msg.action === 'subscribe';
      const next = { ...subs };
      for (const ch of ['bars', 'updatedBars', 'dailyBars', 'quotes', 'trades'] as const) {
        const list = (msg[ch] as string[] | undefined) ?? [];
        next[ch] = add ? [...new Set([...subs[ch], ...list])] : subs[ch].filter((s) => !list.includes(s));
      }
      // Alpaca refuses the whole request and keeps the previous subscription.
      const limit = symbolLimit;
      if (limit !== null && Object.values(next).some((l) => l.length > limit)) return send([{ T: 'error', code: 405, msg: 'symbol limit exceeded' }]);
      Object.assign(subs, next);
      send([{ T: 'subscription', trades: subs.trades, quotes: subs.quotes, bars: subs.bars, updatedBars: subs.updatedBars, dailyBars: subs.dailyBars, statuses: [], lulds: [], corrections: subs.trades, cancelErrors: subs.trades }]);
      if (add) hook?.(send, subs, n);
    });
    ws.on('close', () => authed.delete(ws));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    streamUrl: `ws://127.0.0.1:${port}/v2/iex`,
    barRequests,
    actionRequests,
    received,
    connections: () => connections,
    handleBars: (h) => {
      handler = h;
      barRequests.length = 0;
      actionsHandler = noActions;
      actionRequests.length = 0;
    },
    handleActions: (h) => {
      actionsHandler = h;
      actionRequests.length = 0;
    },
    onSubscribed: (h) => (hook = h),
    refuseWith: (code) => (refusal = code),
    limitSymbols: (n) => (symbolLimit = n),
    send: (frame) => {
      for (const ws of authed) ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    dropAll: () => {
      for (const ws of wss.clients) ws.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
