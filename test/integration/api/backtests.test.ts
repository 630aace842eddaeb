// /api/v1/backtests through the real HTTP server (startApp on PGlite): a demo run polled to done with its result
// JSON and HTML report, cancel of a long run, roles (viewer reads, trader starts and cancels), coded 4xx errors
// and the audit trail.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toResultJson } from '../../../src/backtest/report/json.js';
import { createLogger } from '../../../src/core/log.js';
import { readBarsCsv } from '../../../src/data/csv/index.js';
import { runBacktest } from '../../../src/engine/backtestRunner.js';
import { parseTradingSpecs } from '../../../src/engine/specs.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { smaCross } from '../../../src/strategy/builtin/smaCross.js';
import { startTestServer, type HttpResult, type TestServer } from '../../helpers/apiServer.js';
import { sharedData } from '../../helpers/shared.js';
import { WAIT_BUDGET_MS } from '../../helpers/budget.js';

let srv: TestServer;
let trader: string;
let viewer: string;

beforeAll(async () => {
  srv = await startTestServer();
  trader = await srv.userToken('tess', 'trader');
  viewer = await srv.userToken('vera', 'viewer');
});

afterAll(async () => {
  await srv?.close();
});

const demoRun = { strategy: 'sma-cross', params: { fast: 5, slow: 20 }, symbols: ['AAA', 'BBB'], source: 'demo', demoBars: 400, size: '10%' };
const longRun = { ...demoRun, symbols: ['L1', 'L2', 'L3'], timeframe: '1m', demoBars: 1_000_000 };

async function until(id: number, done: (b: { status: string; progress: number }) => boolean, timeoutMs = WAIT_BUDGET_MS): Promise<HttpResult> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await srv.request('GET', `/api/v1/backtests/${id}`, { token: viewer });
    if (r.status !== 200 || done(r.body) || Date.now() > end) return r;
    await new Promise((res) => setTimeout(res, 25));
  }
}

describe('/api/v1/backtests', () => {
  it('starts a demo backtest (202), which runs to done; its result JSON and HTML report are served', async () => {
    const post = await srv.request('POST', '/api/v1/backtests', { token: trader, body: demoRun });
    expect(post.status).toBe(202);
    expect(post.body).toMatchObject({ strategy: 'sma-cross', status: 'queued', progress: 0, metrics: null, error: null });
    expect(post.body.config).toMatchObject({ symbols: ['AAA', 'BBB'], source: 'demo', params: { fast: 5, slow: 20 } });
    const id = post.body.id as number;

    const done = await until(id, (b) => b.status === 'done' || b.status === 'failed');
    expect(done.body).toMatchObject({ id, status: 'done', progress: 1, error: null });

    const result = await srv.request('GET', `/api/v1/backtests/${id}/result`, { token: viewer });
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^application\/json/);
    // The job's metrics are the result's metrics (non-finite values as null in both).
    expect(done.body.metrics).toEqual(result.body.metrics);
    expect(result.body.metrics.tradeCount).toBeGreaterThan(0);
    expect(result.body.trades).toHaveLength(result.body.metrics.tradeCount);
    expect(result.body.trades[0]).toEqual(expect.objectContaining({ symbol: expect.any(String), entryTime: expect.stringMatching(/Z$/), pnl: expect.any(Number) }));
    expect(result.body.config).toMatchObject({ strategy: 'sma-cross' });
    expect(result.body.equityCurve.length).toBeGreaterThan(300);

    const report = await srv.request('GET', `/api/v1/backtests/${id}/report`, { token: viewer });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(report.headers.get('content-security-policy')).toContain("style-src 'unsafe-inline'");
    expect(report.body).toMatch(/^<!DOCTYPE html>[\s\S]*Equity curve[\s\S]*<\/html>/);

    const list = await srv.request('GET', '/api/v1/backtests?status=done&limit=5', { token: viewer });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ limit: 5, offset: 0 });
    expect(list.body.items.map((j: { id: number }) => j.id)).toContain(id);
  });

  it('runs stored bars to exactly the metrics, trades and equity curve of the same config run through the runner directly', async () => {
    const nvda = await readBarsCsv(sharedData('NVDA-1999-2014.csv'));
    await new BarStore(srv.db).ingest([nvda]);
    const config = { strategy: 'sma-cross', params: { fast: 10, slow: 30 }, size: '100', cash: 100_000, commission: 'none', slippage: 'none' };
    const post = await srv.request('POST', '/api/v1/backtests', { token: trader, body: { ...config, symbols: ['NVDA'], timeframe: '1d', source: 'store' } });
    expect(post.status).toBe(202);
    const done = await until(post.body.id as number, (b) => b.status === 'done' || b.status === 'failed');
    expect(done.body).toMatchObject({ status: 'done', error: null });
    const served = (await srv.request('GET', `/api/v1/backtests/${post.body.id as number}/result`, { token: viewer })).body;

    const direct = runBacktest({ series: [nvda], strategy: smaCross, params: config.params, ...parseTradingSpecs(config), cash: config.cash, log: createLogger('silent') });
    const want = JSON.parse(JSON.stringify(toResultJson(direct))) as typeof served;
    expect(want.metrics.tradeCount).toBe(73);
    expect(served.metrics).toEqual(want.metrics);
    expect(done.body.metrics).toEqual(want.metrics);
    expect(served.trades).toEqual(want.trades);
    expect(served.openPositions).toEqual(want.openPositions);
    expect(served.equityCurve).toEqual(want.equityCurve);
    expect(served.finalCash).toBe(want.finalCash);
  });

  it('answers 409 for the result of a run that is not done, and cancels a long run (then 409 on a second cancel)', async () => {
    const post = await srv.request('POST', '/api/v1/backtests', { token: trader, body: longRun });
    expect(post.status).toBe(202);
    const id = post.body.id as number;
    const running = await until(id, (b) => b.status !== 'queued');
    expect(running.body.status).toBe('running');
    const early = await srv.request('GET', `/api/v1/backtests/${id}/result`, { token: viewer });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'PI5_ERR_CONFLICT', details: { status: 'running' } });

    const del = await srv.request('DELETE', `/api/v1/backtests/${id}`, { token: trader });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id, status: 'canceled' });
    expect((await srv.request('GET', `/api/v1/backtests/${id}`, { token: viewer })).body.status).toBe('canceled');
    const again = await srv.request('DELETE', `/api/v1/backtests/${id}`, { token: trader });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PI5_ERR_CONFLICT');
    expect((await srv.request('GET', `/api/v1/backtests/${id}/report`, { token: viewer })).status).toBe(409);
  });

  it('lets a viewer read but not start or cancel (403), and nobody in without a token (401)', async () => {
    const post = await srv.request('POST', '/api/v1/backtests', { token: viewer, body: demoRun });
    expect(post.status).toBe(403);
    expect(post.body.error.code).toBe('PI5_ERR_FORBIDDEN');
    expect((await srv.request('DELETE', '/api/v1/backtests/1', { token: viewer })).status).toBe(403);
    for (const [method, path] of [['POST', '/api/v1/backtests'], ['GET', '/api/v1/backtests'], ['GET', '/api/v1/backtests/1'], ['GET', '/api/v1/backtests/1/report']] as const) {
      const r = await srv.request(method, path, method === 'POST' ? { body: demoRun } : {});
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.body.error.code).toBe('PI5_ERR_UNAUTHENTICATED');
    }
  });

  it('refuses bad requests with 400 and the coded error body', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...demoRun, strategy: 'no-such-strategy' }, 'PI5_ERR_UNKNOWN_STRATEGY'],
      [{ ...demoRun, params: { fast: 'quick' } }, 'PI5_ERR_BAD_PARAM'],
      [{ ...demoRun, params: { fastest: 3 } }, 'PI5_ERR_BAD_PARAM'],
      [{ ...demoRun, slippage: 'lots' }, 'PI5_ERR_BAD_USAGE'],
      [{ ...demoRun, from: 'yesterday' }, 'PI5_ERR_BAD_USAGE'],
      [{ ...demoRun, timeframe: '7x' }, 'PI5_ERR_BAD_USAGE'],
      [{ strategy: 'sma-cross', symbols: ['NOT_STORED'] }, 'PI5_ERR_NO_DATA'],
      [{ ...demoRun, symbols: [] }, 'PI5_ERR_BAD_REQUEST'],
      [{ ...demoRun, colour: 'blue' }, 'PI5_ERR_BAD_REQUEST'],
      [{ ...demoRun, cash: -5 }, 'PI5_ERR_BAD_REQUEST'],
    ];
    for (const [body, code] of cases) {
      const r = await srv.request('POST', '/api/v1/backtests', { token: trader, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toEqual({ code, message: expect.any(String), details: expect.any(Object) });
    }
    expect((await srv.request('GET', '/api/v1/backtests/abc', { token: viewer })).status).toBe(400);
    expect((await srv.request('GET', '/api/v1/backtests?status=lost', { token: viewer })).status).toBe(400);
    const missing = await srv.request('GET', '/api/v1/backtests/999999', { token: viewer });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('PI5_ERR_NOT_FOUND');
  });

  it('writes every start and cancel to the audit log, refusals included', async () => {
    const rows = await srv.db.query<{ action: string; outcome: string }>(`select action, outcome from audit_log where action like 'backtest.%' order by id`);
    const seen = rows.map((r) => `${r.action}:${r.outcome}`);
    expect(seen).toEqual(expect.arrayContaining(['backtest.start:ok', 'backtest.cancel:ok', 'backtest.cancel:error', 'backtest.start:error']));
  });
});
