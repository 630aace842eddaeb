// /api/v1/optimizations through the real HTTP server, on PGlite and on PostgreSQL: a grid search on stored bars
// followed over the WebSocket to done, whose best params and metrics equal `pi5 optimize --json` of the same
// inputs and whose trials (one per grid point, every metric) are stored and served sorted and paged; a
// walk-forward's windows, diagnostics and verdict equal the CLI's; cancel stops a run and keeps its trials; bad
// requests are 400s naming the field; a viewer reads but cannot start or cancel; `pi5 optimize --store` runs are
// listed beside the API's.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readBarsCsv } from '../../../src/data/csv/index.js';
import { BarStore } from '../../../src/persistence/barStore.js';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';
import { pi5InProcess } from '../../helpers/cli.js';
import { STORE_BACKENDS } from '../../helpers/services.js';
import { sharedData } from '../../helpers/shared.js';

const NVDA = sharedData('NVDA-1999-2014.csv');
const tmp = mkdtempSync(join(tmpdir(), 'pi5-optapi-'));
const RANGE = { from: '2004-01-01', to: '2009-12-31' };
const GRID = { fast: '5:20:5', slow: '30:60:10' };
const search = { strategy: 'sma-cross', symbols: ['NVDA'], timeframe: '1d', ...RANGE, size: '100', commission: 'per-share:0.005:min=1', grid: GRID, objective: 'sharpe', constraints: ['tradeCount >= 5'] };

/**
 * `pi5 optimize --json` of the same inputs as `search` (plus `extra`): the document the API's results must equal.
 * Run once per file for both stores (it reads the CSV, not a store), by the built program in this process.
 */
const cliRuns = new Map<string, Promise<unknown>>();
function cliOptimize(extra: readonly string[]): Promise<unknown> {
  const key = extra.join(' ');
  let run = cliRuns.get(key);
  if (run === undefined) {
    const out = join(tmp, `cli-${cliRuns.size}.json`);
    run = pi5InProcess(['optimize', '--data', NVDA, '--strategy', 'sma-cross', '--from', RANGE.from, '--to', RANGE.to, '--size', '100', '--commission', 'per-share:0.005:min=1',
      '--grid', `fast=${GRID.fast}`, '--grid', `slow=${GRID.slow}`, '--objective', 'sharpe', '--constraint', 'tradeCount >= 5', ...extra, '--json', out, '--quiet', '--no-progress']).then((cli) => {
      expect(cli.code, cli.stderr).toBe(0);
      return JSON.parse(readFileSync(out, 'utf8')) as unknown;
    });
    cliRuns.set(key, run);
  }
  return run;
}


// The CLI runs and the API's runs take minutes on a loaded 2-core machine: the budgets are for safety, nothing is timed.
describe.each(STORE_BACKENDS)('/api/v1/optimizations on $name', { timeout: 300_000 }, (backend) => {
  let srv: TestServer;
  let trader: string;
  let viewer: string;
  let cleanup: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const b = await backend.env();
    cleanup = b.cleanup;
    srv = await startTestServer(b.env);
    trader = await srv.userToken('otto', 'trader');
    viewer = await srv.userToken('vic', 'viewer');
    await new BarStore(srv.db).ingest([await readBarsCsv(NVDA)]);
  }, 300_000);

  afterAll(async () => {
    await srv?.close();
    await cleanup();
  });

  async function settle(id: number): Promise<{ status: string; progress: number; trials: number; error: string | null }> {
    for (;;) {
      const r = await srv.request('GET', `/api/v1/optimizations/${id}`, { token: viewer });
      expect(r.status).toBe(200);
      if (!['queued', 'running'].includes(r.body.status as string)) return r.body;
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  it('runs a grid search to done with progress on the WebSocket; best params and metrics equal pi5 optimize --json; every trial is stored', async () => {
    const events: { id: number; status: string; progress: number; trials: number }[] = [];
    const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/ws`, ['bearer', viewer]);
    let subscribed = (): void => undefined;
    const ready = new Promise<void>((res) => (subscribed = res));
    ws.on('message', (raw: Buffer) => {
      const m = JSON.parse(raw.toString()) as { type: string; channel?: string; data?: { id: number; status: string; progress: number; trials: number } };
      if (m.type === 'subscriptions') subscribed();
      if (m.channel === 'optimizations' && m.data !== undefined) events.push(m.data);
    });
    await new Promise((res, rej) => {
      ws.once('open', res);
      ws.once('error', rej);
    });
    ws.send(JSON.stringify({ type: 'subscribe', channels: ['optimizations'] }));
    await ready;

    // On the run's own thread: the pool of threads is the walk-forward test's below (and cliOptimize's, for a grid).
    const post = await srv.request('POST', '/api/v1/optimizations', { token: trader, body: search });
    expect(post.status, JSON.stringify(post.body)).toBe(202);
    expect(post.body).toMatchObject({ strategy: 'sma-cross', method: 'grid', objective: 'sharpe', origin: 'api', status: 'queued', trialsPlanned: 16 });
    const id = post.body.id as number;
    const done = await settle(id);
    expect(done).toMatchObject({ status: 'done', progress: 1, trials: 16, error: null });
    ws.close();
    const mine = events.filter((e) => e.id === id);
    expect(mine.map((e) => e.status)).toEqual(expect.arrayContaining(['running', 'done']));
    const running = mine.filter((e) => e.status === 'running' && e.trials > 0);
    expect(running.length).toBeGreaterThan(0);
    for (let i = 1; i < running.length; i++) expect(running[i]?.trials).toBeGreaterThanOrEqual(running[i - 1]?.trials ?? 0);

    const local = (await cliOptimize([])) as { best: { params: unknown; objective: number; metrics: unknown }; trials: { id: number; params: unknown; metrics: unknown }[]; stats: { trials: number } };

    const result = await srv.request('GET', `/api/v1/optimizations/${id}/result`, { token: viewer });
    expect(result.status).toBe(200);
    expect(result.body.best).toEqual(local.best);
    expect(result.body.stats.trials).toBe(16);
    expect(result.body.diagnostics.verdict).toEqual(expect.any(String));

    const trials = await srv.request('GET', `/api/v1/optimizations/${id}/trials?limit=100`, { token: viewer });
    expect(trials.status).toBe(200);
    expect(trials.body.total).toBe(16);
    expect(trials.body.items.map((t: { id: number }) => t.id)).toEqual(local.trials.map((t) => t.id));
    // Every trial with all its metrics, the numbers of the CLI's trial list.
    expect(trials.body.items.map((t: { params: unknown; metrics: unknown }) => [t.params, t.metrics])).toEqual(local.trials.map((t) => [t.params, t.metrics]));

    const bySharpe = await srv.request('GET', `/api/v1/optimizations/${id}/trials?sort=sharpe&dir=desc&limit=3&offset=1&feasible=true`, { token: viewer });
    expect(bySharpe.status).toBe(200);
    const sharpes = (bySharpe.body.items as { metrics: { sharpe: number } }[]).map((t) => t.metrics.sharpe);
    const expected = local.trials.map((t) => (t.metrics as { sharpe: number | null; tradeCount: number })).filter((m) => m.tradeCount >= 5).map((m) => m.sharpe ?? -Infinity).sort((a, b) => b - a).slice(1, 4);
    expect(sharpes).toEqual(expected);

    // The heatmap is aggregated over every stored trial: a cell per (fast, slow) with that trial's objective, and
    // over one parameter the best feasible objective of its trials (null where none met the constraint).
    type Cell = { x: number; y: number; objective: number | null; trials: number };
    const feasibleObjective = (t: (typeof local.trials)[number]): number | null => ((t.metrics as { tradeCount: number }).tradeCount >= 5 ? (t.metrics as { sharpe: number }).sharpe : null);
    const point = (t: (typeof local.trials)[number]): { fast: number; slow: number } => t.params as { fast: number; slow: number };
    const heat = await srv.request('GET', `/api/v1/optimizations/${id}/heatmap?x=fast&y=slow`, { token: viewer });
    expect(heat.status).toBe(200);
    expect(heat.body.trials).toBe(16);
    const byPair = new Map((heat.body.cells as Cell[]).map((c) => [`${c.x}/${c.y}`, c]));
    expect(byPair.size).toBe(16);
    for (const t of local.trials) expect(byPair.get(`${point(t).fast}/${point(t).slow}`)).toEqual({ x: point(t).fast, y: point(t).slow, objective: feasibleObjective(t), trials: 1 });
    const byFast = (await srv.request('GET', `/api/v1/optimizations/${id}/heatmap?x=fast&y=fast`, { token: viewer })).body.cells as Cell[];
    const want = [5, 10, 15, 20].map((f) => {
      const objs = local.trials.filter((t) => point(t).fast === f).map(feasibleObjective).filter((o): o is number => o !== null);
      return { x: f, y: f, objective: objs.length === 0 ? null : Math.max(...objs), trials: 4 };
    });
    expect(byFast).toEqual(want);
    expect((await srv.request('GET', `/api/v1/optimizations/${id}/heatmap?x=fast`, { token: viewer })).status).toBe(400);
    expect((await srv.request('GET', '/api/v1/optimizations/99999/heatmap?x=fast&y=slow', { token: viewer })).status).toBe(404);

    const report = await srv.request('GET', `/api/v1/optimizations/${id}/report`, { token: viewer });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(report.body).toMatch(/Heatmap: fast × slow/);

    const list = await srv.request('GET', '/api/v1/optimizations?status=done', { token: viewer });
    expect(list.body.items.map((r: { id: number }) => r.id)).toContain(id);
  });

  it('runs a walk-forward on 2 threads whose windows, diagnostics and verdict equal pi5 optimize --walk-forward --json', async () => {
    const post = await srv.request('POST', '/api/v1/optimizations', { token: trader, body: { ...search, walkForward: 'is=2y,oos=1y', workers: 2 } });
    expect(post.status, JSON.stringify(post.body)).toBe(202);
    const id = post.body.id as number;
    expect(await settle(id)).toMatchObject({ status: 'done', error: null });
    const local = (await cliOptimize(['--walk-forward', 'is=2y,oos=1y'])) as { walkForward: { windows: { diagnostics: unknown }[]; diagnostics: { verdict: string } } };
    expect(local.walkForward.windows.length).toBe(4);
    const result = await srv.request('GET', `/api/v1/optimizations/${id}/result`, { token: viewer });
    expect(result.status).toBe(200);
    // The pool's diagnostics replays on each window's cut give the one-thread CLI's numbers.
    expect(result.body.walkForward).toEqual(local.walkForward);
    expect(local.walkForward.diagnostics.verdict).toMatch(/^(Likely genuine|Inconclusive|Likely overfit|No verdict)/);
    const report = await srv.request('GET', `/api/v1/optimizations/${id}/report`, { token: viewer });
    expect(report.body).toContain('<section id="verdict">');
  });

  it('cancels a long run: its thread stops, the trials run so far stay, a second cancel is 409', async () => {
    const post = await srv.request('POST', '/api/v1/optimizations', {
      token: trader,
      body: { strategy: 'sma-cross', symbols: ['LONG'], source: 'demo', demoBars: 20_000, grid: { fast: '2:60:1', slow: '61:200:1' } },
    });
    expect(post.status, JSON.stringify(post.body)).toBe(202);
    const id = post.body.id as number;
    const del = await srv.request('DELETE', `/api/v1/optimizations/${id}`, { token: trader });
    expect(del.status).toBe(200);
    expect(del.body.status).toBe('canceled');
    const kept = (await srv.request('GET', `/api/v1/optimizations/${id}/trials?limit=1`, { token: viewer })).body.total as number;
    expect(kept).toBeLessThan(59 * 140);
    expect(del.body.trials).toBe(kept);
    // Nothing more arrives once canceled: a later look finds the same trials.
    await new Promise((res) => setTimeout(res, 500));
    expect((await srv.request('GET', `/api/v1/optimizations/${id}/trials?limit=1`, { token: viewer })).body.total).toBe(kept);
    expect((await srv.request('GET', `/api/v1/optimizations/${id}`, { token: viewer })).body.status).toBe('canceled');
    expect((await srv.request('DELETE', `/api/v1/optimizations/${id}`, { token: trader })).status).toBe(409);
    expect((await srv.request('GET', `/api/v1/optimizations/${id}/result`, { token: viewer })).status).toBe(409);
  });

  it('refuses bad requests with 400 naming the field; a viewer may read but not start or cancel', async () => {
    const bad = async (body: Record<string, unknown>): Promise<string> => {
      const r = await srv.request('POST', '/api/v1/optimizations', { token: trader, body });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      return r.body.error.message as string;
    };
    expect(await bad({ ...search, grid: { nope: '1:5' } })).toMatch(/grid: .*nope/);
    expect(await bad({ ...search, grid: { fast: '5:20:5', slow: 'x' } })).toMatch(/slow/);
    expect(await bad({ ...search, objective: 'sharpe +' })).toMatch(/^optimization request: objective/);
    expect(await bad({ ...search, constraints: ['bogusMetric > 1'] })).toMatch(/constraints\.0.*bogusMetric/);
    expect(await bad({ ...search, walkForward: 'is=2y' })).toMatch(/walkForward/);
    expect(await bad({ ...search, method: 'annealing' })).toMatch(/method/);
    expect(await bad({ ...search, grid: { fast: '1:500:1', slow: '2:500:1' } })).toMatch(/budget: .*more than/);
    const { grid: _grid, ...noGrid } = search;
    expect(await bad(noGrid)).toMatch(/grid/);
    const viewerPost = await srv.request('POST', '/api/v1/optimizations', { token: viewer, body: search });
    expect(viewerPost.status).toBe(403);
    expect((await srv.request('DELETE', '/api/v1/optimizations/1', { token: viewer })).status).toBe(403);
    expect((await srv.request('GET', '/api/v1/optimizations/999999', { token: viewer })).status).toBe(404);
    expect((await srv.request('GET', '/api/v1/optimizations/1/trials?sort=nonsense', { token: viewer })).status).toBe(400);
  });
});

describe('pi5 optimize --store', { timeout: 300_000 }, () => {
  it('stores the run and every trial where the API lists them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pi5-optstore-'));
    const cli = await pi5InProcess(['optimize', '--data', NVDA, '--strategy', 'sma-cross', '--from', RANGE.from, '--to', RANGE.to, '--grid', 'fast=5:15:5', '--grid', 'slow=30:40:10', '--store', '--no-progress', '--top', '1'], { env: { ...process.env, PI5_DATA_DIR: dataDir } });
    expect(cli.code, cli.stderr).toBe(0);
    const id = Number(/stored: optimization (\d+)/.exec(cli.stdout)?.[1]);
    expect(id).toBeGreaterThan(0);
    const srv = await startTestServer({}, { dataDir });
    try {
      const token = await srv.adminToken();
      const run = await srv.request('GET', `/api/v1/optimizations/${id}`, { token });
      expect(run.body).toMatchObject({ origin: 'cli', status: 'done', trials: 6, strategy: 'sma-cross', config: { grid: ['fast=5:15:5', 'slow=30:40:10'] } });
      const trials = await srv.request('GET', `/api/v1/optimizations/${id}/trials`, { token });
      expect(trials.body.total).toBe(6);
      const result = await srv.request('GET', `/api/v1/optimizations/${id}/result`, { token });
      const best = (trials.body.items as { objective: number | null; params: unknown }[]).reduce((a, b) => ((b.objective ?? -Infinity) > (a.objective ?? -Infinity) ? b : a));
      expect(result.body.best.params).toEqual(best.params);
    } finally {
      await srv.close();
    }
  });
});
