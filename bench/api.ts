// Load on the API server (`pi5 serve` in its own process) from this one: p99 latency at a fixed 2,000 req/s
// (openLoop.ts) and the most req/s (autocannon) for GET /api/v1/portfolio and GET /api/v1/bars (1,000 bars)
// with auth, and the server's RSS idle and under load. Baseline: a bare node:http server answering fixed JSON.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { generateSyntheticBars, writeBarsCsv } from '../src/data/synthetic.js';
import { cost, rate, type BenchRecord } from './measure.js';
import { openLoop, type OpenLoopResult } from './openLoop.js';

const BARE_SERVER = `
const small = JSON.stringify({ cash: 100000, equity: 100000, positionsValue: 0, dayPnl: 0 });
const bar = { ts: 1700000000000, open: 101.25, high: 102.5, low: 100.75, close: 101.5, volume: 1234567 };
const big = Buffer.from(JSON.stringify({ symbol: 'BENCH', timeframe: '1d', items: Array.from({ length: 1000 }, () => bar), count: 1000 }));
require('http').createServer((q, r) => { r.writeHead(200, { 'content-type': 'application/json' }); r.end(q.url === '/bars' ? big : small); })
  .listen(0, '127.0.0.1', function () { process.stderr.write('serving on http://127.0.0.1:' + this.address().port + '\\n'); });
`;

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** A node process started with `args`, once it prints "serving on <url>" on stderr (pi5 serve, a bare server). */
export function startProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving on (http:\/\/[\d.]+:\d+)/.exec(err);
      if (m) resolve({ child, url: m[1] as string });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

/** Flat out over 10 connections: the most requests per second the server answers. */
async function flatOut(url: string, headers: Record<string, string>): Promise<Result> {
  return autocannon({ url, connections: 10, duration: 8, headers });
}

export async function benchApi(cliPath: string): Promise<BenchRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pi5-bench-api-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PI5_DATA_DIR: dir, PI5_ADMIN_PASSWORD: 'bench-password-123', PI5_LOG_LEVEL: 'warn', PI5_LOGIN_RATE_PER_MIN: '1000' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const csv = join(dir, 'BENCH.csv');
  writeFileSync(csv, writeBarsCsv(generateSyntheticBars({ symbol: 'BENCH', bars: 1500, seed: 7 })));
  const importer = spawn(process.execPath, [cliPath, 'data', 'import', csv, '--symbol', 'BENCH', '--timeframe', '1d'], { env, stdio: 'ignore' });
  await new Promise((r) => importer.once('exit', r));
  const server = await startProcess([cliPath, 'serve', '--port', '0', '--paused'], env);
  const bare = await startProcess(['-e', BARE_SERVER], env);
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const idleRss = rssBytes(server.child.pid as number);
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-password-123' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const auth = { authorization: `Bearer ${accessToken}` };
    const barsUrl = `${server.url}/api/v1/bars?symbol=BENCH&timeframe=1d&limit=1000`;
    const probe = (await (await fetch(barsUrl, { headers: auth })).json()) as { items?: unknown[] };
    if ((probe.items?.length ?? 0) !== 1000) throw new Error(`GET /bars returned ${probe.items?.length ?? 0} bars, not 1000`);
    const base = await openLoop(bare.url, {}, 2000, 8000);
    const baseBars = await openLoop(`${bare.url}/bars`, {}, 2000, 8000);
    const portfolio = await openLoop(`${server.url}/api/v1/portfolio`, auth, 2000, 8000);
    const loadRss = rssBytes(server.child.pid as number);
    const bars = await openLoop(barsUrl, auth, 2000, 8000);
    const portfolioMax = await flatOut(`${server.url}/api/v1/portfolio`, auth);
    const bareMax = await flatOut(bare.url, {});
    const peakRss = Math.max(loadRss, rssBytes(server.child.pid as number));
    const stepping = await portfolioWhileStepping(cliPath, env);
    const checked = (r: OpenLoopResult, what: string): OpenLoopResult => {
      if (r.non2xx > 0 || r.answered < r.sent) throw new Error(`${what}: ${r.non2xx} non-2xx answers, ${r.sent - r.answered} unanswered`);
      return r;
    };
    checked(portfolio, 'portfolio');
    checked(bars, 'bars');
    const cmd = 'npm run bench -- api';
    return [
      { ...cost('api.portfolio.p99', checked(portfolio, 'portfolio').p99, base.p99, 'ms', `open loop at 2,000 req/s (${portfolio.rps.toFixed(0)} req/s served, p50 ${portfolio.p50.toFixed(2)} ms); baseline: bare node:http fixed JSON at the same rate`), command: cmd },
      { ...cost('api.bars1000.p99', bars.p99, baseBars.p99, 'ms', `GET /api/v1/bars 1,000 bars, open loop at 2,000 req/s (${bars.rps.toFixed(0)} req/s served); baseline: bare node:http sending a same-size body`), command: cmd },
      { ...cost('api.portfolio.stepping.p99', checked(stepping, 'portfolio while stepping').p99, portfolio.p99, 'ms', `open loop at 2,000 req/s while the session steps every 20 ms (each step writes to PGlite), p50 ${stepping.p50.toFixed(2)} ms, max ${stepping.max.toFixed(1)} ms; baseline: the same route with the session paused (issue 11 finding 8: goal p99 < 5 ms)`), command: cmd },
      { ...rate('api.portfolio.maxRps', portfolioMax.requests.average, bareMax.requests.average, 'req/s', `10 connections flat out, p99 ${portfolioMax.latency.p99} ms; baseline: bare node:http`), command: cmd },
      { ...cost('api.rss.idle', idleRss / 2 ** 20, 150, 'MB', 'server RSS 2 s after start, paused session; baseline: the 150 MB target'), command: cmd },
      { ...cost('api.rss.load', peakRss / 2 ** 20, 150, 'MB', 'server RSS under load; baseline: the 150 MB idle target'), command: cmd },
    ];
  } finally {
    server.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * GET /api/v1/portfolio at 2,000 req/s on a second server (its own data folder, embedded defaults: PGlite and the
 * in-memory cache) whose demo session steps every 20 ms: what per-step writes, serialization and logging cost
 * the request path.
 */
async function portfolioWhileStepping(cliPath: string, env: NodeJS.ProcessEnv): Promise<OpenLoopResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pi5-bench-step-'));
  const server = await startProcess([cliPath, 'serve', '--port', '0', '--step-interval', '20'], { ...env, PI5_DATA_DIR: dir, PI5_DEMO_BARS: '5000' });
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-password-123' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    return await openLoop(`${server.url}/api/v1/portfolio`, { authorization: `Bearer ${accessToken}` }, 2000, 8000);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
