// The rest of /api/v1 through real HTTP: account statistics, rebalancing, trades, session controls, system
// routes, user administration, logout and password change.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../helpers/apiServer.js';
import { waitUntil } from '../../helpers/budget.js';

let s: TestServer;
let admin: string;
let trader: string;
let viewer: string;
beforeAll(async () => {
  s = await startTestServer();
  admin = await s.adminToken();
  trader = await s.userToken('rita', 'trader');
  viewer = await s.userToken('vic', 'viewer');
});
afterAll(async () => s?.close());

describe('portfolio', () => {
  it('rebalances to target weights with market orders that fill at the next bar', async () => {
    expect((await s.request('POST', '/api/v1/portfolio/rebalance', { token: trader, body: { weights: { DEMOA: 0.2 } } })).status).toBe(409);
    await s.session.advance(40);
    const stop = await s.request('POST', '/api/v1/strategies/sma-demo/stop', { token: trader });
    expect(stop.status).toBe(200);
    const r = await s.request('POST', '/api/v1/portfolio/rebalance', { token: trader, body: { weights: { DEMOA: 0.2, DEMOC: 0 } } });
    expect(r.status).toBe(200);
    await s.session.advance(1);
    const p = (await s.request('GET', '/api/v1/portfolio', { token: viewer })).body;
    const a = (await s.request('GET', '/api/v1/positions/DEMOA', { token: viewer })).body;
    expect(a.quantity).toBeGreaterThan(0);
    // Whole shares sized at the previous close, filled at the next open: within a few percent of the target.
    expect(Math.abs(a.marketValue / p.equity - 0.2)).toBeLessThan(0.03);
    expect((await s.request('GET', '/api/v1/positions/DEMOC', { token: viewer })).body.quantity).toBe(0);
    expect((await s.request('POST', '/api/v1/portfolio/rebalance', { token: viewer, body: { weights: { DEMOA: 0 } } })).status).toBe(403);
    expect((await s.request('POST', '/api/v1/portfolio/rebalance', { token: trader, body: { weights: { NOPE: 0.1 } } })).status).toBe(400);
  });

  it('answers trade statistics, closed trades and the latest risk snapshot', async () => {
    await s.request('POST', '/api/v1/portfolio/rebalance', { token: trader, body: { weights: { DEMOA: 0 } } });
    await s.session.advance(2);
    const trades = await s.request('GET', '/api/v1/trades?limit=5', { token: viewer });
    expect(trades.status).toBe(200);
    expect(trades.body.total).toBeGreaterThan(0);
    expect(trades.body.items[0]).toHaveProperty('pnl');
    const stats = (await s.request('GET', '/api/v1/portfolio/stats', { token: viewer })).body;
    // The statistics are those of the closed trades the API lists, summed here oldest first as METRICS.md defines them.
    const all = (await s.request('GET', '/api/v1/trades?limit=1000', { token: viewer })).body;
    const pnls = (all.items as { pnl: number }[]).map((t) => t.pnl).reverse();
    expect(all.total).toBe(pnls.length);
    const wins = pnls.filter((p) => p > 0);
    const losses = pnls.filter((p) => p < 0);
    expect(stats).toMatchObject({
      tradeCount: pnls.length,
      winRate: wins.length / pnls.length,
      grossProfit: wins.reduce((a, b) => a + b, 0),
      grossLoss: losses.reduce((a, b) => a + b, 0),
      largestWin: Math.max(0, ...wins),
      largestLoss: Math.min(0, ...losses),
    });
    expect(stats).not.toHaveProperty('trades');
    const risk = await s.request('GET', '/api/v1/portfolio/risk', { token: viewer });
    expect(risk.body.snapshot).toMatchObject({ equity: expect.any(Number), drawdown: expect.any(Number) });
  });
});

describe('session controls', () => {
  it('pauses, resumes and changes the pace of the replay', async () => {
    expect((await s.request('PUT', '/api/v1/session/pace', { token: viewer, body: { stepIntervalMs: 1 } })).status).toBe(403);
    const pace = await s.request('PUT', '/api/v1/session/pace', { token: trader, body: { stepIntervalMs: 1 } });
    expect(pace.body.stepIntervalMs).toBe(1);
    const resumed = await s.request('POST', '/api/v1/session/resume', { token: trader });
    expect(resumed.body.state).toBe('running');
    const before = resumed.body.step as number;
    // Waits for the session's own progress rather than a fixed time a loaded machine may not step in.
    await waitUntil('a step after resuming', async () => (await s.request('GET', '/api/v1/session', { token: viewer })).body.step !== before);
    const paused = await s.request('POST', '/api/v1/session/pause', { token: trader });
    expect(paused.body.state).toBe('paused');
    expect(paused.body.step).toBeGreaterThan(before);
    const step = paused.body.step as number;
    await new Promise((r) => setTimeout(r, 50));
    expect((await s.request('GET', '/api/v1/session', { token: viewer })).body.step).toBe(step);
  });
});

describe('system', () => {
  it('answers version, status and breaker states; restart is for admins', async () => {
    const v = await s.request('GET', '/api/v1/system/version', { token: viewer });
    expect(v.body.version).toMatch(/^\d+\.\d+\.\d+/);
    const st = await s.request('GET', '/api/v1/system/status', { token: viewer });
    expect(st.body).toMatchObject({ database: { engine: 'pglite', timescale: false }, cache: 'up' });
    expect(st.body.memory.rssBytes).toBeGreaterThan(0);
    expect((await s.request('GET', '/api/v1/system/breakers', { token: viewer })).body.items).toEqual(expect.any(Array));
    expect((await s.request('POST', '/api/v1/system/restart', { token: trader })).status).toBe(403);
    expect((await s.request('POST', '/api/v1/system/restart', { token: admin })).status).toBe(202);
  });
});

describe('users and sessions', () => {
  it('lets an admin disable and enable a user; a disabled user is refused at once', async () => {
    const token = await s.userToken('dora', 'viewer');
    expect((await s.request('GET', '/api/v1/portfolio', { token })).status).toBe(200);
    expect((await s.request('POST', '/api/v1/users/dora/disable', { token: viewer })).status).toBe(403);
    const off = await s.request('POST', '/api/v1/users/dora/disable', { token: admin });
    expect(off.body.disabledAt).not.toBeNull();
    expect((await s.request('GET', '/api/v1/portfolio', { token })).status).toBe(401);
    const on = await s.request('POST', '/api/v1/users/dora/enable', { token: admin });
    expect(on.body.disabledAt).toBeNull();
    expect((await s.login('dora', 'dora-password-123')).accessToken).toBeTruthy();
    const list = await s.request('GET', '/api/v1/users', { token: admin });
    expect(list.body.items.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['admin', 'dora', 'rita', 'vic']));
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt/);
  });

  it('creates a user with a one-time password that must be changed first', async () => {
    const created = await s.request('POST', '/api/v1/users', { token: admin, body: { username: 'otto', role: 'trader' } });
    expect(created.status).toBe(201);
    const otp = created.body.oneTimePassword as string;
    const t = await s.login('otto', otp);
    expect((await s.request('GET', '/api/v1/orders', { token: t.accessToken })).status).toBe(403);
    const weak = await s.request('POST', '/api/v1/auth/password', { token: t.accessToken, body: { oldPassword: otp, newPassword: 'short' } });
    expect(weak.status).toBe(400);
    const changed = await s.request('POST', '/api/v1/auth/password', { token: t.accessToken, body: { oldPassword: otp, newPassword: 'otto-new-password-42' } });
    expect(changed.status).toBe(200);
    expect((await s.request('GET', '/api/v1/orders', { token: changed.body.accessToken })).status).toBe(200);
    // The old session (refresh token) is revoked by the change.
    expect((await s.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: t.refreshToken } })).status).toBe(401);
  });

  it('logs out: the refresh token stops working', async () => {
    const t = await s.login('admin', ADMIN_PASSWORD);
    expect((await s.request('POST', '/api/v1/auth/logout', { body: { refreshToken: t.refreshToken } })).status).toBe(200);
    expect((await s.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: t.refreshToken } })).status).toBe(401);
  });
});
