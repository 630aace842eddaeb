// Issue 11, findings 1 (edge half), 4 and 5 through the real server: bad numbers, bad ids and text with NUL or
// control characters are refused with 400 naming the parameter, never 5xx; nothing refused is stored; and a
// database failure answers a generic message with the request id, never SQL or the database's own text.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type HttpResult, type TestServer } from '../../helpers/apiServer.js';

let s: TestServer;
let admin: string;
beforeAll(async () => {
  s = await startTestServer({ PI5_ORDER_RATE_PER_MIN: '1000' });
  admin = await s.adminToken();
});
afterAll(async () => s?.close());

const SQL = /select |insert |update |delete from|sqlstate|invalid input syntax|out of range for type|encoding "UTF8"|\bat .*\.(ts|js):\d+/i;

function expect400(r: HttpResult, param: string): void {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.error.code).toMatch(/^PI5_ERR_BAD_REQUEST$/);
  expect(r.body.error.message).toContain(param);
  expect(JSON.stringify(r.body)).not.toMatch(SQL);
}

describe('bad numbers in query and path (finding 4)', () => {
  it.each([
    ['/api/v1/orders?limit=1e309', 'limit'],
    ['/api/v1/orders?limit=Infinity', 'limit'],
    ['/api/v1/orders?limit=-Infinity', 'limit'],
    ['/api/v1/orders?offset=1e309', 'offset'],
    ['/api/v1/orders?offset=NaN', 'offset'],
    ['/api/v1/trades?limit=1e309', 'limit'],
    ['/api/v1/trades?limit=Infinity', 'limit'],
    ['/api/v1/trades?offset=1e309', 'offset'],
    ['/api/v1/orders?offset=99999999999999999999', 'offset'],
    ['/api/v1/portfolio/history?points=1e309', 'points'],
    ['/api/v1/market/symbols?limit=Infinity', 'limit'],
    ['/api/v1/system/logs?limit=1e309', 'limit'],
  ])('GET %s → 400 naming %s', async (path, param) => {
    expect400(await s.request('GET', path, { token: admin }), param);
  });
});

describe('bad ids (finding 5)', () => {
  it.each([
    ['GET', '/api/v1/backtests/99999999999999999999', 'id'],
    ['GET', '/api/v1/backtests/99999999999999999999/result', 'id'],
    ['GET', '/api/v1/backtests/99999999999999999999/report', 'id'],
    ['DELETE', '/api/v1/backtests/99999999999999999999', 'id'],
    ['GET', '/api/v1/backtests/1e309', 'id'],
    ['GET', '/api/v1/backtests?limit=1e309', 'limit'],
    ['GET', '/api/v1/audit?beforeId=1e309', 'beforeId'],
    ['GET', '/api/v1/audit?userId=99999999999999999999', 'userId'],
    ['POST', '/api/v1/users/%00/disable', 'username'],
    ['POST', '/api/v1/users/a%01b/enable', 'username'],
    ['DELETE', '/api/v1/orders?symbol=%00', 'symbol'],
    ['GET', '/api/v1/orders/%00', 'id'],
    ['GET', '/api/v1/audit?action=%1b%5b31m', 'action'],
    ['GET', `/api/v1/orders?symbol=${'A'.repeat(100)}`, 'symbol'],
  ])('%s %s → 400 naming %s', async (method, path, param) => {
    expect400(await s.request(method, path, { token: admin }), param);
  });

  it('a valid id that is not there is still a 404', async () => {
    expect((await s.request('GET', '/api/v1/backtests/9007199254740991', { token: admin })).status).toBe(404);
  });
});

describe('text at the edge (finding 1)', () => {
  it('refuses an order whose tag holds a NUL byte, stores nothing, and the session keeps running', async () => {
    const before = (await s.request('GET', '/api/v1/orders', { token: admin })).body.total as number;
    const r = await s.request('POST', '/api/v1/orders', { token: admin, body: { symbol: 'DEMOA', side: 'buy', quantity: 1, type: 'limit', limitPrice: 1, tag: 'a\u0000b' } });
    expect400(r, 'tag');
    const after = await s.request('GET', '/api/v1/orders', { token: admin });
    expect(after.body.total).toBe(before);
    expect(s.session.status().state).not.toBe('failed');
  });

  it.each([
    ['a control character in a body string', { symbol: 'DEMOA', side: 'buy', quantity: 1, tag: 'x\u0007' }, 'tag'],
    ['an unpaired surrogate', { symbol: 'DEMO\ud800', side: 'buy', quantity: 1 }, 'symbol'],
    ['an over-long tag', { symbol: 'DEMOA', side: 'buy', quantity: 1, tag: 't'.repeat(65) }, 'tag'],
  ])('refuses %s', async (_what, body, param) => {
    expect400(await s.request('POST', '/api/v1/orders', { token: admin, body }), param);
  });

  it('refuses a number too large for JSON doubles in a body (1e309 parses to Infinity)', async () => {
    const r = await s.request('POST', '/api/v1/orders', { token: admin, rawBody: '{"symbol":"DEMOA","side":"buy","quantity":1e309}', headers: { 'content-type': 'application/json' } });
    expect400(r, 'quantity');
  });

  it('refuses a body nested deeper than the guard walks, and NUL inside a free-form object', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const r = await s.request('PUT', '/api/v1/risk/limits', { token: admin, body: deep });
    expect400(r, 'nested deeper');
    expect400(await s.request('PUT', '/api/v1/risk/limits', { token: admin, body: { maxOrderNotional: 'x\u0000' } }), 'body/maxOrderNotional');
  });

  it('refuses NUL in strategy parameters, user names and kill-switch reasons', async () => {
    expect400(await s.request('PUT', '/api/v1/strategies/none/params', { token: admin, body: { params: { fast: 'a\u0000' } } }), 'params');
    expect400(await s.request('POST', '/api/v1/users', { token: admin, body: { username: 'nul\u0000user', role: 'viewer', password: 'long-enough-password-1' } }), 'username');
    expect400(await s.request('POST', '/api/v1/risk/kill-switch', { token: admin, body: { reason: 'stop\u0000' } }), 'reason');
    expect(s.session.status().state).not.toBe('failed');
  });
});

describe('database errors never reach the client (finding 5)', () => {
  it('answers a generic 503 with the request id, and logs the detail under that id', async () => {
    // A real database failure: the table the route reads is gone for the length of one request.
    await s.db.query('alter table audit_log rename to audit_log_away');
    try {
      const r = await s.request('GET', '/api/v1/audit', { token: admin });
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('PI5_ERR_DB');
      expect(JSON.stringify(r.body)).not.toMatch(/audit_log|relation|does not exist|42P01|select/);
      const id = r.headers.get('x-request-id');
      expect(id).toBeTruthy();
      expect(r.body.error.details.requestId).toBe(id);
      expect(r.body.error.message).toContain(String(id));
      const logs = await s.request('GET', '/api/v1/system/logs?limit=50', { token: admin });
      const logged = (logs.body.items as { level: number; reqId?: string; msg?: string }[]).filter((e) => e.level >= 50 && e.reqId === id);
      expect(logged.map((e) => e.msg).join(' ')).toMatch(/audit_log/);
    } finally {
      await s.db.query('alter table audit_log_away rename to audit_log');
    }
  });
});

describe('every parameter has a bounded schema (the class of bug, not one instance)', () => {
  interface Schema { type?: string | string[]; enum?: unknown[]; minimum?: number; maximum?: number; maxLength?: number; pattern?: string; allOf?: Schema[] }
  interface Param { name: string; in: string; schema?: Schema }

  it('the OpenAPI document gives every path and query number a min and max, and every free text a length limit and the no-control-character pattern', async () => {
    const doc = (await s.request('GET', '/docs/json')).body as { paths: Record<string, Record<string, { parameters?: Param[] }>> };
    const unbounded: string[] = [];
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const p of op.parameters ?? []) {
          if (p.in !== 'query' && p.in !== 'path') continue;
          const sc = p.schema ?? {};
          const where = `${method.toUpperCase()} ${path} ${p.in}:${p.name}`;
          checked++;
          if (sc.type === 'integer' || sc.type === 'number') {
            if (sc.minimum === undefined || sc.maximum === undefined) unbounded.push(`${where} (no min/max)`);
          } else if (sc.type === 'string' && sc.enum === undefined) {
            const patterns = [sc.pattern, ...(sc.allOf ?? []).map((a) => a.pattern)];
            if (sc.maxLength === undefined || !patterns.some((x) => x?.includes('\\u0000'))) unbounded.push(`${where} (no length limit or control-character rule)`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(unbounded).toEqual([]);
  });
});
