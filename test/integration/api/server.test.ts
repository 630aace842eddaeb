// The API server through real HTTP: auth and roles, token rotation, errors, limits, security headers,
// health, metrics and the OpenAPI document.

import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedRoutes } from '../../../src/api/authGuard.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../helpers/apiServer.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ PI5_LOGIN_RATE_PER_MIN: '5', PI5_ORDER_RATE_PER_MIN: '1000' });
});
afterAll(async () => s?.close());

describe('auth', () => {
  it('logs in with the first-run admin, answers /auth/me, and refuses bad credentials with the error shape', async () => {
    const t = await s.login('admin', ADMIN_PASSWORD);
    expect(t.expiresIn).toBe(900);
    const me = await s.request('GET', '/api/v1/auth/me', { token: t.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    expect(me.body.user.passwordHash).toBeUndefined();
    const bad = await s.request('POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'wrong-password-xx' } });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toMatchObject({ code: 'PI5_ERR_UNAUTHENTICATED' });
    expect(typeof bad.body.error.message).toBe('string');
  });

  it('answers 401 without a token or with a forged one, and 403 when the role is too low', async () => {
    expect((await s.request('GET', '/api/v1/portfolio')).status).toBe(401);
    expect((await s.request('GET', '/api/v1/portfolio', { token: 'a.b.c' })).status).toBe(401);
    const viewer = await s.userToken('vera', 'viewer');
    expect((await s.request('GET', '/api/v1/portfolio', { token: viewer })).status).toBe(200);
    const post = await s.request('POST', '/api/v1/orders', { token: viewer, body: { symbol: 'DEMOA', side: 'buy', quantity: 1 } });
    expect(post.status).toBe(403);
    expect(post.body.error.code).toBe('PI5_ERR_FORBIDDEN');
    const trader = await s.userToken('tom', 'trader');
    expect((await s.request('DELETE', '/api/v1/risk/kill-switch', { token: trader })).status).toBe(403);
    expect((await s.request('GET', '/api/v1/audit', { token: trader })).status).toBe(403);
  });

  it('rotates refresh tokens and revokes the family when a spent one is presented again', async () => {
    const first = await s.login('admin', ADMIN_PASSWORD);
    const second = await s.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    const reuse = await s.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(reuse.status).toBe(401);
    // The whole family is gone: the token issued by the rotation is refused too.
    const after = await s.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: second.body.refreshToken } });
    expect(after.status).toBe(401);
    const audit = await s.request('GET', '/api/v1/audit?action=auth.refresh_reuse', { token: await s.adminToken() });
    expect(audit.body.items.length).toBeGreaterThan(0);
  });

  it('rate-limits login attempts with 429 and Retry-After', async () => {
    let last = 0;
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const r = await s.request('POST', '/api/v1/auth/login', { body: { username: 'mallory', password: 'guess-guess-guess' } });
      last = r.status;
      retryAfter = r.headers.get('retry-after');
    }
    expect(last).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe('every guarded route', () => {
  it('answers 401 without a token and 403 to every role below its own', async () => {
    const routes = guardedRoutes(s.app);
    expect(routes.length).toBeGreaterThan(45);
    const viewer = await s.userToken('walker-v', 'viewer');
    const trader = await s.userToken('walker-t', 'trader');
    const below = { viewer: [], trader: [viewer], admin: [viewer, trader] } as const;
    for (const r of routes) {
      const path = r.url.replace(/:[A-Za-z]+/g, '1');
      const anon = await s.request(r.method, path);
      expect(anon.status, `${r.method} ${r.url} without a token`).toBe(401);
      expect(anon.body.error.code).toBe('PI5_ERR_UNAUTHENTICATED');
      for (const token of below[r.role]) {
        const denied = await s.request(r.method, path, { token });
        expect(denied.status, `${r.method} ${r.url} below ${r.role}`).toBe(403);
      }
    }
    const audit = await s.request('GET', '/api/v1/audit?action=http.DELETE%20/api/v1/risk/kill-switch', { token: await s.adminToken() });
    expect(audit.body.items.length).toBeGreaterThan(0);
    expect(audit.body.items[0].outcome).toBe('denied');
  });
});

describe('bad input', () => {
  it('answers malformed JSON, unknown fields and wrong types with 400 and stores nothing', async () => {
    const token = await s.adminToken();
    const before = (await s.request('GET', '/api/v1/orders', { token })).body.total;
    const malformed = await s.request('POST', '/api/v1/orders', { token, rawBody: '{"symbol": "DEMOA",', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('PI5_ERR_BAD_REQUEST');
    const unknown = await s.request('POST', '/api/v1/orders', { token, body: { symbol: 'DEMOA', side: 'buy', quantity: 1, qty: 5 } });
    expect(unknown.status).toBe(400);
    const wrongType = await s.request('POST', '/api/v1/orders', { token, body: { symbol: 'DEMOA', side: 'hold', quantity: -1 } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toMatch(/side|quantity/);
    expect((await s.request('GET', '/api/v1/orders', { token })).body.total).toBe(before);
  });

  it('answers an oversized body with 413', async () => {
    const token = await s.adminToken();
    const r = await s.request('POST', '/api/v1/orders', { token, body: { symbol: 'DEMOA', side: 'buy', quantity: 1, tag: 'x'.repeat(100_000) } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PI5_ERR_TOO_LARGE');
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const r = await s.request('GET', '/api/v1/nope', { token: await s.adminToken() });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('PI5_ERR_NOT_FOUND');
  });
});

describe('operations', () => {
  it('sends security headers and no CORS header by default', async () => {
    const r = await s.request('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('x-request-id')).toBeTruthy();
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('reports readiness of database, cache, broker and feed', async () => {
    const r = await s.request('GET', '/ready');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.checks).sort()).toEqual(['broker', 'cache', 'database', 'feed']);
    expect(r.body.checks.database).toMatchObject({ ok: true, detail: 'pglite' });
  });

  it('exposes Prometheus metrics that a Prometheus text parser reads', async () => {
    await s.request('GET', '/api/v1/portfolio', { token: await s.adminToken() });
    await s.session.advance(40);
    const r = await s.request('GET', '/metrics');
    expect(r.status).toBe(200);
    const families = parsePrometheusTextFormat(String(r.body));
    const byName = new Map(families.map((f) => [f.name, f]));
    const http = byName.get('pi5_http_request_duration_seconds');
    expect(http?.type).toBe('HISTOGRAM');
    expect(http?.metrics.length).toBeGreaterThan(0);
    // This parser drops a histogram's labels when `le` comes first (as prom-client writes it): check the text.
    expect(String(r.body)).toMatch(/pi5_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/portfolio"/);
    expect(Number(byName.get('pi5_session_step')?.metrics[0]?.value)).toBeGreaterThanOrEqual(40);
    expect(Number(byName.get('pi5_equity')?.metrics[0]?.value)).toBeGreaterThan(0);
    for (const name of ['pi5_orders', 'pi5_fills_total', 'pi5_risk_rejections_total', 'pi5_feed_lag_seconds', 'pi5_drawdown_ratio', 'pi5_process_resident_memory_bytes']) {
      expect(byName.has(name), name).toBe(true);
    }
  });

  it('serves the OpenAPI document with every /api/v1 route, and the interactive docs', async () => {
    const doc = await s.request('GET', '/docs/json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    for (const p of ['/api/v1/auth/login', '/api/v1/portfolio', '/api/v1/orders', '/api/v1/orders/{id}', '/api/v1/risk/kill-switch', '/api/v1/strategies']) expect(paths).toContain(p);
    expect(doc.body.paths['/api/v1/orders'].post.requestBody).toBeDefined();
    const ui = await s.request('GET', '/docs/');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toMatch(/swagger/i);
  });

  it('serves the status page and hides secrets in /system/config', async () => {
    const page = await s.request('GET', '/');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(String(page.body)).toContain('pi5-trading');
    const cfg = await s.request('GET', '/api/v1/system/config', { token: await s.adminToken() });
    expect(cfg.status).toBe(200);
    expect(JSON.stringify(cfg.body)).not.toContain(ADMIN_PASSWORD);
    const logs = await s.request('GET', '/api/v1/system/logs', { token: await s.adminToken() });
    expect(logs.status).toBe(200);
    expect(JSON.stringify(logs.body)).not.toMatch(/Bearer [A-Za-z0-9]/);
  });
});
