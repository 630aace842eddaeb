// Trading over the API, through real HTTP and real WebSocket clients: the paper session's portfolio, orders,
// strategies and risk controls, and the event stream. One suite, run on the embedded defaults (PGlite, memory
// cache) and on PostgreSQL + Redis.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';
import { WAIT_BUDGET_MS, waitUntil } from '../../helpers/budget.js';

export function tradingSuite(label: string, setup: () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>): void {
describe(`trading over the API (${label})`, () => {
let s: TestServer;
let admin: string;
let trader: string;
let viewer: string;
let cleanup: () => Promise<void> = async () => undefined;
beforeAll(async () => {
  const e = await setup();
  cleanup = e.cleanup;
  s = await startTestServer(e.env);
  admin = await s.adminToken();
  trader = await s.userToken('trader1', 'trader');
  viewer = await s.userToken('viewer1', 'viewer');
}); // the default safety budget (vitest.config.ts): the server start took over 60 s at load 40
afterAll(async () => {
  await s?.close();
  await cleanup();
});

interface WsClient {
  readonly ws: WebSocket;
  readonly messages: Record<string, unknown>[];
  next(pred: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

async function connect(token: string | null): Promise<WsClient> {
  const ws = new WebSocket(`${s.url.replace('http', 'ws')}/ws`);
  const messages: Record<string, unknown>[] = [];
  const waiters: { pred: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  ws.on('message', (d: Buffer) => {
    const m = JSON.parse(d.toString()) as Record<string, unknown>;
    messages.push(m);
    for (const w of [...waiters]) if (w.pred(m)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  const next: WsClient['next'] = (pred, timeoutMs = WAIT_BUDGET_MS) =>
    new Promise((resolve, reject) => {
      const seen = messages.find(pred);
      if (seen) return resolve(seen);
      const t = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(messages.slice(-5))}`)), timeoutMs);
      waiters.push({ pred, resolve: (m) => { clearTimeout(t); resolve(m); } });
    });
  if (token !== null) {
    ws.send(JSON.stringify({ type: 'auth', token }));
    await next((m) => m.type === 'welcome');
  }
  return { ws, messages, next };
}

describe('portfolio and positions', () => {
  it('moves as the session replays: equity, positions, history, performance', async () => {
    const p0 = await s.request('GET', '/api/v1/portfolio', { token: viewer });
    expect(p0.status).toBe(200);
    expect(p0.body).toMatchObject({ cash: 100_000, equity: 100_000, step: 0 });
    await s.session.advance(120);
    const p = (await s.request('GET', '/api/v1/portfolio', { token: viewer })).body;
    expect(p.step).toBe(120);
    expect(p.equity).toBeCloseTo(p.cash + p.positionsValue, 6);
    const orders = await s.request('GET', '/api/v1/orders?strategy=sma-demo&limit=5', { token: viewer });
    expect(orders.body.total).toBeGreaterThan(0);
    expect(orders.body.items.length).toBeLessThanOrEqual(5);
    const hist = await s.request('GET', '/api/v1/portfolio/history?points=50', { token: viewer });
    expect(hist.body.points.length).toBeLessThanOrEqual(51);
    expect(hist.body.points.at(-1).equity).toBeCloseTo(p.equity, 6);
    const perf = await s.request('GET', '/api/v1/portfolio/performance', { token: viewer });
    expect(perf.body.metrics.finalEquity).toBeCloseTo(p.equity, 6);
    const positions = await s.request('GET', '/api/v1/positions', { token: viewer });
    expect(positions.body.items.map((x: { symbol: string }) => x.symbol)).toEqual(['DEMOA', 'DEMOB', 'DEMOC']);
    expect((await s.request('GET', '/api/v1/positions/DEMOA', { token: viewer })).status).toBe(200);
    expect((await s.request('GET', '/api/v1/positions/NOPE', { token: viewer })).status).toBe(404);
    const alloc = await s.request('GET', '/api/v1/portfolio/allocation', { token: viewer });
    expect(alloc.body.byStrategy.map((x: { strategy: string }) => x.strategy)).toContain('sma-demo');
  });
});

describe('orders', () => {
  it('submits a bracket: the entry fills, its take-profit and stop-loss then work as an OCO pair', async () => {
    // Exits far from any price the demo data reaches: they stay working until canceled.
    const body = { symbol: 'DEMOA', side: 'buy', quantity: 2, bracket: { takeProfit: { limitPrice: 1_000_000 }, stopLoss: { stopPrice: 0.01 } } };
    const wrong = await s.request('POST', '/api/v1/orders', { token: trader, body: { ...body, bracket: { takeProfit: { limitPrice: 1 }, stopLoss: { stopPrice: 2 } } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('take-profit 1 of a buy must be above its stop-loss 2');
    const r = await s.request('POST', '/api/v1/orders', { token: trader, body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ symbol: 'DEMOA', side: 'buy', quantity: 2, role: 'entry' });
    await s.session.advance(1);
    const all = (await s.request('GET', '/api/v1/orders?limit=20', { token: viewer })).body.items as { id: number; parentId: number | null; role: string; status: string; type: string }[];
    const entry = all.find((o) => o.id === r.body.id);
    expect(entry?.status, JSON.stringify(entry)).toBe('filled');
    const exits = all.filter((o) => o.parentId === r.body.id);
    expect(exits.map((o) => [o.role, o.type]).sort()).toEqual([['stop-loss', 'stop'], ['take-profit', 'limit']]);
    expect(exits.every((o) => ['accepted', 'submitted'].includes(o.status))).toBe(true);
    for (const o of exits) await s.request('DELETE', `/api/v1/orders/${o.id}`, { token: trader });
  });

  it('submits a manual order that fills at the next bar, idempotently by client order id', async () => {
    const body = { symbol: 'DEMOB', side: 'buy', quantity: 5, clientOrderId: 'api-test-1' };
    const r = await s.request('POST', '/api/v1/orders', { token: trader, body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ symbol: 'DEMOB', side: 'buy', quantity: 5, clientOrderId: 'api-test-1', strategyId: null });
    const again = await s.request('POST', '/api/v1/orders', { token: trader, body });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(r.body.id);
    await s.session.advance(1);
    const o = await s.request('GET', '/api/v1/orders/api-test-1', { token: viewer });
    expect(o.body.status).toBe('filled');
    const stored = await s.db.query<{ status: string }>("select status from orders where client_order_id = 'api-test-1'");
    expect(stored[0]?.status).toBe('filled');
    const audit = await s.request('GET', '/api/v1/audit?action=order.submit', { token: admin });
    expect(audit.body.items[0]).toMatchObject({ action: 'order.submit', outcome: 'ok' });
  });

  it('GET /positions/by-strategy: the manual DEMOB buy survives the demo strategy\'s sell signals', async () => {
    type Row = { strategy: string; symbol: string; quantity: number };
    const manualDemob = (rows: Row[]): number | undefined => rows.find((r) => r.strategy === 'manual' && r.symbol === 'DEMOB')?.quantity;
    const before = await s.request('GET', '/api/v1/positions/by-strategy', { token: viewer });
    expect(before.status).toBe(200);
    expect(before.body.mode).toBe('strategy');
    expect(manualDemob(before.body.items)).toBe(5);
    const sellsOf = async (): Promise<number> => {
      const r = await s.request('GET', '/api/v1/orders?strategy=sma-demo&limit=500', { token: viewer });
      return r.body.items.filter((o: { symbol: string; side: string; status: string }) => o.symbol === 'DEMOB' && o.side === 'sell' && o.status === 'filled').length;
    };
    const sellsBefore = await sellsOf();
    await s.session.advance(300);
    expect(await sellsOf()).toBeGreaterThan(sellsBefore);
    const after = await s.request('GET', '/api/v1/positions/by-strategy', { token: viewer });
    expect(manualDemob(after.body.items)).toBe(5);
    const account = (await s.request('GET', '/api/v1/positions/DEMOB', { token: viewer })).body;
    const sum = after.body.items.filter((r: Row) => r.symbol === 'DEMOB').reduce((n: number, r: Row) => n + r.quantity, 0);
    expect(sum).toBe(account.quantity);
  });

  it('GET /trades?sort=pnl sorts across every page, not one', async () => {
    const all = (await s.request('GET', '/api/v1/trades?limit=1000', { token: viewer })).body.items as { pnl: number }[];
    expect(all.length).toBeGreaterThan(2);
    const first = await s.request('GET', '/api/v1/trades?limit=2&sort=pnl', { token: viewer });
    expect(first.body.items.map((t: { pnl: number }) => t.pnl)).toEqual(all.map((t) => t.pnl).sort((a, b) => a - b).slice(0, 2));
    const best = await s.request('GET', '/api/v1/trades?limit=1&sort=pnl&dir=desc', { token: viewer });
    expect(best.body.items[0].pnl).toBe(Math.max(...all.map((t) => t.pnl)));
    expect((await s.request('GET', '/api/v1/trades?sort=nope', { token: viewer })).status).toBe(400);
  });

  it('GET /orders?sort=quantity sorts across every page, missing limit prices last', async () => {
    const all = (await s.request('GET', '/api/v1/orders?limit=1000', { token: viewer })).body.items as { id: number; quantity: number; limitPrice: number | null }[];
    expect(all.length).toBeGreaterThan(2);
    const page2 = await s.request('GET', '/api/v1/orders?limit=2&offset=2&sort=quantity&dir=desc', { token: viewer });
    expect(page2.body.items.map((o: { quantity: number }) => o.quantity)).toEqual(all.map((o) => o.quantity).sort((a, b) => b - a).slice(2, 4));
    expect(page2.body.total).toBe(all.length);
    const byLimit = (await s.request('GET', '/api/v1/orders?limit=1000&sort=limitPrice', { token: viewer })).body.items as { limitPrice: number | null }[];
    const priced = byLimit.filter((o) => o.limitPrice !== null).map((o) => o.limitPrice as number);
    expect(byLimit.slice(0, priced.length).map((o) => o.limitPrice)).toEqual([...priced].sort((a, b) => a - b));
    expect(byLimit.slice(priced.length).every((o) => o.limitPrice === null)).toBe(true);
    expect((await s.request('GET', '/api/v1/orders?sort=nope', { token: viewer })).status).toBe(400);
  });

  it('cancels a working limit order, and answers 409 for a finished one', async () => {
    const r = await s.request('POST', '/api/v1/orders', { token: trader, body: { symbol: 'DEMOA', side: 'buy', quantity: 3, type: 'limit', limitPrice: 0.01 } });
    expect(r.status).toBe(201);
    const m = await s.request('PATCH', `/api/v1/orders/${r.body.id}`, { token: trader, body: { limitPrice: 0.02, quantity: 4 } });
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ limitPrice: 0.02, quantity: 4, status: 'accepted' });
    expect((await s.request('PATCH', `/api/v1/orders/${r.body.id}`, { token: trader, body: {} })).status).toBe(400);
    const c = await s.request('DELETE', `/api/v1/orders/${r.body.id}`, { token: trader });
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('canceled');
    expect((await s.request('DELETE', `/api/v1/orders/${r.body.id}`, { token: trader })).status).toBe(409);
    expect((await s.request('PATCH', `/api/v1/orders/${r.body.id}`, { token: trader, body: { quantity: 9 } })).status).toBe(409);
  });

  it('reports a risk refusal as a rejected order with the reason', async () => {
    const r = await s.request('POST', '/api/v1/orders', { token: trader, body: { symbol: 'DEMOA', side: 'buy', quantity: 10_000_000 } });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('rejected');
    expect(r.body.rejectReason).toMatch(/^RISK_/);
  });
});

describe('strategies', () => {
  it('lists the catalogue, creates, stops, restarts and re-parameterizes an instance', async () => {
    const avail = await s.request('GET', '/api/v1/strategies/available', { token: viewer });
    expect(avail.body.items.map((x: { id: string }) => x.id)).toContain('rsi-mean-reversion');
    expect(avail.body.items.find((x: { id: string }) => x.id === 'sma-cross').constraints).toEqual([{ params: ['fast', 'slow'], rule: 'fast < slow' }]);
    const bad = await s.request('POST', '/api/v1/strategies', { token: trader, body: { id: 'x1', strategy: 'no-such', symbols: ['DEMOA'] } });
    expect(bad.status).toBe(400);
    const created = await s.request('POST', '/api/v1/strategies', { token: trader, body: { id: 'hold-c', strategy: 'buy-and-hold', symbols: ['DEMOC'], size: '10' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'hold-c', running: true });
    await s.session.advance(3);
    expect((await s.request('GET', '/api/v1/strategies/hold-c/performance', { token: viewer })).body.fills).toBeGreaterThan(0);
    expect((await s.request('POST', '/api/v1/strategies/hold-c/stop', { token: trader })).body.running).toBe(false);
    expect((await s.request('POST', '/api/v1/strategies/hold-c/stop', { token: trader })).status).toBe(409);
    expect((await s.request('POST', '/api/v1/strategies/hold-c/start', { token: trader })).body.running).toBe(true);
    const badParams = await s.request('PUT', '/api/v1/strategies/sma-demo/params', { token: trader, body: { params: { fast: -3 } } });
    expect(badParams.status).toBe(400);
    expect((await s.request('GET', '/api/v1/strategies', { token: viewer })).body.items.find((x: { id: string }) => x.id === 'sma-demo').running).toBe(true);
    const ok = await s.request('PUT', '/api/v1/strategies/sma-demo/params', { token: trader, body: { params: { fast: 5, slow: 20 } } });
    expect(ok.status).toBe(200);
    expect(ok.body.params).toEqual({ fast: 5, slow: 20 });
  });
});

describe('risk', () => {
  it('trips the kill switch (orders refused) and only an admin resets it', async () => {
    const trip = await s.request('POST', '/api/v1/risk/kill-switch', { token: trader, body: { reason: 'test' } });
    expect(trip.status).toBe(200);
    expect(trip.body.tripped).toBe(true);
    const refused = await s.request('POST', '/api/v1/orders', { token: trader, body: { symbol: 'DEMOA', side: 'buy', quantity: 1 } });
    expect(refused.body.status).toBe('rejected');
    expect(refused.body.rejectReason).toMatch(/KILL_SWITCH/);
    expect((await s.request('GET', '/api/v1/risk/status', { token: viewer })).body.killSwitch.tripped).toBe(true);
    expect((await s.request('DELETE', '/api/v1/risk/kill-switch', { token: trader })).status).toBe(403);
    const reset = await s.request('DELETE', '/api/v1/risk/kill-switch', { token: admin });
    expect(reset.body.tripped).toBe(false);
    expect((await s.request('GET', '/api/v1/risk/limits', { token: viewer })).status).toBe(200);
  });
});

describe('WebSocket', () => {
  it('authenticates with Sec-WebSocket-Protocol: bearer, <token> (no first message needed)', async () => {
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/ws`, ['bearer', viewer]);
    const got: Record<string, unknown>[] = [];
    ws.on('message', (d: Buffer) => got.push(JSON.parse(d.toString()) as Record<string, unknown>));
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    expect(ws.protocol).toBe('bearer');
    ws.send(JSON.stringify({ type: 'subscribe', channels: ['status'] }));
    await waitUntil('the subscriptions', () => got.some((m) => m.type === 'subscriptions'));
    expect(got.map((m) => m.type)).toEqual(['welcome', 'subscriptions']);
    ws.close();
    const bad = new WebSocket(`${s.url.replace('http', 'ws')}/ws`, ['bearer', 'not.a.token']);
    const code = await new Promise<number>((r) => bad.once('close', (k: number) => r(k)));
    expect(code).toBe(4401);
  });

  it('refuses a client that does not authenticate', async () => {
    const c = await connect(null);
    c.ws.send(JSON.stringify({ type: 'subscribe', channels: ['orders'] }));
    const code = await new Promise<number>((r) => c.ws.once('close', (k: number) => r(k)));
    expect(code).toBe(4401);
  });

  it('streams subscribed channels only, as versioned JSON, and stops after unsubscribe', async () => {
    const c = await connect(viewer);
    c.ws.send(JSON.stringify({ type: 'subscribe', channels: ['portfolio', 'bars'] }));
    await c.next((m) => m.type === 'subscriptions');
    const denied = await (async () => {
      c.ws.send(JSON.stringify({ type: 'subscribe', channels: ['logs'] }));
      return c.next((m) => m.type === 'error');
    })();
    expect(denied.code).toBe('PI5_ERR_FORBIDDEN');
    await s.session.advance(2);
    const p = await c.next((m) => m.channel === 'portfolio');
    expect(p).toMatchObject({ v: 1, type: 'event', channel: 'portfolio' });
    expect(c.messages.some((m) => m.channel === 'orders')).toBe(false);
    c.ws.send(JSON.stringify({ type: 'unsubscribe', channels: ['portfolio', 'bars'] }));
    await c.next((m) => m.type === 'subscriptions' && Array.isArray(m.channels) && m.channels.length === 0);
    const n = c.messages.length;
    await s.session.advance(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.messages.length).toBe(n);
    c.ws.close();
  });

  it('drops a client that stops reading instead of buffering without bound', async () => {
    const c = await connect(viewer);
    c.ws.send(JSON.stringify({ type: 'subscribe', channels: ['bars', 'portfolio', 'orders', 'fills', 'positions'] }));
    await c.next((m) => m.type === 'subscriptions');
    // Stop reading: the server's send buffer for this client fills up.
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<number>((r) => c.ws.once('close', (k: number) => r(k)));
    for (let i = 0; i < 40 && s.hub.stats.dropped === 0; i++) {
      for (let j = 0; j < 2000; j++) s.hub.publish('bars', { filler: 'x'.repeat(2000), i, j });
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(s.hub.stats.dropped).toBeGreaterThan(0);
    (c.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(4008);
    expect(process.memoryUsage().rss).toBeLessThan(2 * 1024 ** 3);
  });
});

describe('limits and allocation changed at run time', () => {
  it('PUT /risk/limits (admin) tightens maxPositionQty and the next order is refused with the reason', async () => {
    expect((await s.request('PUT', '/api/v1/risk/limits', { token: trader, body: { global: { maxPositionQty: 5 } } })).status).toBe(403);
    const put = await s.request('PUT', '/api/v1/risk/limits', { token: admin, body: { global: { maxPositionQty: 5 } } });
    expect(put.status).toBe(200);
    expect(put.body.global.maxPositionQty).toBe(5);
    const held = (await s.request('GET', '/api/v1/positions/DEMOA', { token: viewer })).body.quantity as number;
    const side = held >= 0 ? 'buy' : 'sell';
    const refused = await s.request('POST', '/api/v1/orders', { token: trader, body: { symbol: 'DEMOA', side, quantity: 6 } });
    expect(refused.body.status).toBe('rejected');
    expect(refused.body.rejectReason).toMatch(/^RISK_MAX_POSITION_QTY: .*limit is 5$/);
    const bad = await s.request('PUT', '/api/v1/risk/limits', { token: admin, body: { global: { maxPositionQty: -1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('PI5_ERR_BAD_CONFIG');
    expect(bad.body.error.message).toMatch(/global\.maxPositionQty: Too small/);
    expect((await s.request('GET', '/api/v1/risk/limits', { token: viewer })).body.global.maxPositionQty).toBe(5);
    const audit = await s.request('GET', '/api/v1/audit?action=risk.limits.set', { token: admin });
    expect(audit.body.items.map((x: { outcome: string }) => x.outcome)).toEqual(['error', 'ok']);
    expect((await s.request('PUT', '/api/v1/risk/limits', { token: admin, body: {} })).body.global.maxPositionQty).toBeUndefined();
  });

  it('GET/PUT /portfolio/allocation/policy: targets per strategy, admins only, bad configs refused', async () => {
    const none = await s.request('GET', '/api/v1/portfolio/allocation/policy', { token: viewer });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ config: null, strategies: [], lastRebalance: null });
    const body = { policy: 'equal', cashReservePct: 20 };
    expect((await s.request('PUT', '/api/v1/portfolio/allocation/policy', { token: trader, body })).status).toBe(403);
    expect((await s.request('PUT', '/api/v1/portfolio/allocation/policy', { token: admin, body: { policy: 'best' } })).status).toBe(400);
    const put = await s.request('PUT', '/api/v1/portfolio/allocation/policy', { token: admin, body });
    expect(put.status).toBe(200);
    expect(put.body.config).toMatchObject({ policy: 'equal', cashReservePct: 20, lookback: 60 });
    const running = s.session.kernel.hosts.map((h) => h.strategyId);
    expect(put.body.strategies.map((x: { strategy: string }) => x.strategy)).toEqual(running);
    for (const x of put.body.strategies) expect(x.target).toBeCloseTo(0.8 / running.length, 12);
    expect(put.body.lastRebalance.reason).toBe('configured');
    await s.session.advance(2);
    const got = await s.request('GET', '/api/v1/portfolio/allocation/policy', { token: viewer });
    expect(got.body.strategies[0].capital).toBeCloseTo(got.body.equity * got.body.strategies[0].target, 6);
    const cleared = await s.request('DELETE', '/api/v1/portfolio/allocation/policy', { token: admin });
    expect(cleared.body).toMatchObject({ config: null, strategies: [] });
  });
});
});
}
