// Dashboard speed (issue 13 "Speed") in headless Debian chromium through playwright-core, against `pi5 serve` on
// embedded defaults: first contentful paint of `/`, JavaScript shipped (gzipped bytes on the wire) for the first
// page and for every page, a 100k-bar candlestick + volume chart's load time and pan frame rate, and the
// overview's frame rate while its equity curve follows the session at the fastest replay pace. Frame rates are
// requestAnimationFrame callbacks per second; their baseline is the same count on an idle page in the same browser.
// The Markets page itself is measured on a stored symbol of HISTORY_BARS 1m bars: time until all of them are on
// its chart (first page, then "Load the whole history"; the chart is handed them at its level of detail, not one
// point per bar) and its pan frame rate, against lightweight-charts alone.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { generateSyntheticBars, writeBarsCsv } from '../src/data/synthetic.js';
import { startProcess } from './api.js';
import { cost, rate, type BenchRecord } from './measure.js';

const PASSWORD = 'bench-password-123';
const CMD = 'npm run bench -- dashboard';
/** Every route of the dashboard (web/src/router.ts), visited to load each page's code. */
const ROUTES = ['#/', '#/markets', '#/strategies', '#/orders', '#/backtests', '#/optimization', '#/risk', '#/admin'];
/** Bars of the stored symbol the Markets page is measured on (more than 100k: the goal's chart and then some). */
const HISTORY_BARS = 120_000;

/** Serves a blank page (the paint baseline) and, for the chart measurements, lightweight-charts' standalone build. */
const BARE_SERVER = (lwcPath: string): string => `
const lwc = require('fs').readFileSync(${JSON.stringify(lwcPath)});
const blank = '<!doctype html><html><head><meta charset="utf-8"><title>blank</title></head><body><p>pi5</p></body></html>';
const chart = '<!doctype html><html><head><meta charset="utf-8"><script src="/lwc.js"></script></head><body style="margin:0"><div id="c" style="width:1200px;height:600px"></div></body></html>';
require('http').createServer((q, r) => {
  if (q.url === '/lwc.js') { r.writeHead(200, { 'content-type': 'text/javascript' }); return r.end(lwc); }
  r.writeHead(200, { 'content-type': 'text/html' }); r.end(q.url === '/chart' ? chart : blank);
}).listen(0, '127.0.0.1', function () { process.stderr.write('serving on http://127.0.0.1:' + this.address().port + '\\n'); });
`;

function chromiumPath(): string {
  const p = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((x) => x !== undefined && existsSync(x));
  if (p === undefined) throw new Error('bench dashboard: chromium not found (apt-get install -y chromium)');
  return p;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Median first contentful paint (ms) of `url` over `runs` fresh browser contexts (no cache). */
async function firstPaintMs(browser: Browser, url: string, runs: number): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(url, { waitUntil: 'load' });
    // Polled: the entry is queued after the first paint, which may come after 'load'.
    let fcp = -1;
    for (let t = 0; t < 100 && fcp < 0; t++) {
      fcp = await page.evaluate<number>("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1");
      if (fcp < 0) await page.waitForTimeout(50);
    }
    if (fcp < 0) throw new Error(`bench dashboard: no first-contentful-paint entry for ${url}`);
    out.push(fcp);
    await ctx.close();
  }
  return median(out);
}

/** requestAnimationFrame callbacks per second over `ms`, while `during` (a page expression run each frame) runs. */
async function framesPerSecond(page: Page, ms: number, during = ''): Promise<number> {
  return page.evaluate<number>(`new Promise((done) => {
    let frames = 0;
    const t0 = performance.now();
    const tick = (now) => {
      ${during}
      frames++;
      if (now - t0 < ${ms}) requestAnimationFrame(tick);
      else done(frames / ((now - t0) / 1000));
    };
    requestAnimationFrame(tick);
  })`);
}

/** Encoded (gzipped) script bytes of the first page, and of every page after visiting each route. */
async function scriptBytes(browser: Browser, url: string): Promise<{ first: number; all: number }> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = new Map<string, number>();
  page.on('requestfinished', (req) => {
    if (req.resourceType() !== 'script') return;
    // A script served again from the cache reports no body size (-1): keep what its first download carried.
    void req.sizes().then((s) => seen.set(req.url(), Math.max(seen.get(req.url()) ?? 0, s.responseBodySize)));
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const sum = (): number => [...seen.values()].reduce((a, b) => a + b, 0);
  const first = sum();
  await signIn(page, url);
  for (const r of ROUTES) {
    await page.goto(`${url}/${r}`, { waitUntil: 'networkidle' });
  }
  const all = sum();
  await ctx.close();
  return { first, all };
}

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.fill('#username', 'admin');
  await page.fill('#password', PASSWORD);
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('#nav');
}

/**
 * A meter of the page renderer's main-thread busy time (ms, Chromium's TaskDuration, counted from the meter's
 * start): `wall`, the wall time of its tasks without the idle waits between them (for the server, the network),
 * which load inflates; `cpu`, the same tasks' thread CPU time (Chromium's thread ticks), what to read under load.
 */
async function busyMeter(page: Page): Promise<() => Promise<{ wall: number; cpu: number }>> {
  const wall = await page.context().newCDPSession(page);
  await wall.send('Performance.enable', { timeDomain: 'timeTicks' });
  const cpu = await page.context().newCDPSession(page);
  await cpu.send('Performance.enable', { timeDomain: 'threadTicks' });
  const read = async (s: typeof wall): Promise<number> => ((await s.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN) * 1000;
  return async () => ({ wall: await read(wall), cpu: await read(cpu) });
}

/** CPU time (ms, user + system, every thread) a process has used so far. */
function processCpuMs(pid: number): number {
  // /proc/<pid>/stat: the fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

/** Load time (ms) of a candlestick + volume chart of `bars` generated bars, as the Markets page draws them, up to its first frame. */
async function chartLoad(page: Page, bars: number): Promise<number> {
  return page.evaluate<number>(`new Promise((done) => {
    const el = document.getElementById('c');
    el.innerHTML = '';
    const data = [], vol = [];
    let p = 100, seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < ${bars}; i++) {
      const o = p, c = Math.max(1, o * (1 + (rnd() - 0.5) * 0.02));
      const time = 946684800 + i * 60;
      data.push({ time, open: o, high: Math.max(o, c) * 1.002, low: Math.min(o, c) * 0.998, close: c });
      vol.push({ time, value: 1000 + Math.floor(rnd() * 9000) });
      p = c;
    }
    const t0 = performance.now();
    const L = LightweightCharts;
    const chart = L.createChart(el, { width: 1200, height: 600, timeScale: { timeVisible: true } });
    chart.addSeries(L.CandlestickSeries, {}).setData(data);
    chart.addSeries(L.HistogramSeries, { priceScaleId: 'vol', priceFormat: { type: 'volume' } }).setData(vol);
    window.benchChart = chart;
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
  })`);
}

/** Frame rate while the chart scrolls by a few bars every frame (what a drag does). */
async function chartPanFps(page: Page, ms: number): Promise<number> {
  await page.evaluate('window.benchPos = 0');
  return framesPerSecond(page, ms, 'window.benchPos -= 3; window.benchChart.timeScale().scrollToPosition(window.benchPos, false);');
}

export async function benchDashboard(cliPath: string): Promise<BenchRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pi5-bench-web-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PI5_DATA_DIR: dir, PI5_ADMIN_PASSWORD: PASSWORD, PI5_LOG_LEVEL: 'warn', PI5_LOGIN_RATE_PER_MIN: '1000' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const csv = join(dir, 'BIG.csv');
  writeFileSync(csv, writeBarsCsv(generateSyntheticBars({ symbol: 'BIG', bars: HISTORY_BARS, seed: 11, timeframe: '1m' })));
  const importer = spawn(process.execPath, [cliPath, 'data', 'import', csv, '--symbol', 'BIG', '--timeframe', '1m'], { env, stdio: 'inherit' });
  const imported = await new Promise((r) => importer.once('exit', r));
  if (imported !== 0) throw new Error(`bench dashboard: pi5 data import ${csv} exited with ${String(imported)}`);
  // The package exports no path to its standalone build: read from node_modules (this file runs from dist/bench).
  const lwc = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', 'lightweight-charts', 'dist', 'lightweight-charts.standalone.production.js');
  if (!existsSync(lwc)) throw new Error(`bench dashboard: ${lwc} is missing (npm install)`);
  const server = await startProcess([cliPath, 'serve', '--port', '0', '--paused'], env);
  const bare = await startProcess(['-e', BARE_SERVER(lwc)], env);
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const fcp = await firstPaintMs(browser, server.url, 5);
    const fcpBlank = await firstPaintMs(browser, bare.url, 5);
    const js = await scriptBytes(browser, server.url);

    const chartPage = await browser.newPage({ viewport: { width: 1200, height: 600 } });
    await chartPage.goto(`${bare.url}/chart`, { waitUntil: 'load' });
    const idleFps = await framesPerSecond(chartPage, 2000);
    const load10k = median([await chartLoad(chartPage, 10_000), await chartLoad(chartPage, 10_000), await chartLoad(chartPage, 10_000)]);
    const load100k = median([await chartLoad(chartPage, 100_000), await chartLoad(chartPage, 100_000), await chartLoad(chartPage, 100_000)]);
    // The busy baseline loads once in a fresh page, as the Markets page does: in the page above, warmed up by six
    // loads, the library runs compiled code on a grown heap and the same load costs a third less CPU (measured
    // for 120k bars: 0.5-0.6 s warm, 0.8-0.95 s on a page's first chart), which is not what a first chart costs.
    const coldPage = await browser.newPage({ viewport: { width: 1200, height: 600 } });
    await coldPage.goto(`${bare.url}/chart`, { waitUntil: 'load' });
    const chartBusy = await busyMeter(coldPage);
    const busy0 = await chartBusy();
    await chartLoad(coldPage, 100_000);
    const busy1 = await chartBusy();
    await coldPage.close();
    const load100kBusy = { wall: busy1.wall - busy0.wall, cpu: busy1.cpu - busy0.cpu };
    const panFps = await chartPanFps(chartPage, 3000);
    await chartPage.close();

    const markets = await marketsHistory(browser, server.url, server.child.pid as number);
    const equity = await equityFps(browser, server.url);
    const kb = (n: number): number => n / 1000;
    return [
      { ...cost('web.firstContentfulPaint', fcp, fcpBlank, 'ms', 'median of 5 fresh contexts of / (sign-in page); baseline: a blank HTML page from a bare node:http server (goal < 1,000 ms)'), command: CMD },
      { ...cost('web.js.firstPage', kb(js.first), 150, 'kB', 'gzipped script bytes on the wire for / ; baseline: the 150 kB budget'), command: CMD },
      { ...cost('web.js.allPages', kb(js.all), 400, 'kB', `gzipped script bytes after visiting ${ROUTES.length} routes; baseline: the 400 kB budget`), command: CMD },
      { ...cost('web.chart.load100k', load100k, load10k, 'ms', 'createChart + candlestick and volume setData of 100,000 bars to the second frame (lightweight-charts as the Markets page uses it); baseline: 10,000 bars, the most the page requests (goal < 1,000 ms)'), command: CMD },
      { ...rate('web.chart.pan100k', panFps, idleFps, 'fps', 'rAF callbacks/s while scrolling the 100k-bar chart 3 bars a frame; baseline: the idle page (goal 60)'), command: CMD },
      {
        ...cost('web.markets.history100k', markets.allMs, load100k, 'ms', `the Markets page opened on a stored symbol of ${HISTORY_BARS.toLocaleString('en-US')} 1m bars until all are on its chart (first ${markets.firstBars.toLocaleString('en-US')} after ${markets.firstMs.toFixed(0)} ms, then "Load the whole history": ${markets.requests} requests of format=columns; the view stays on the latest bars, so the chart is handed ${markets.points.toLocaleString('en-US')} points of ${markets.level} bar${markets.level === 1 ? '' : 's'} each: its level of detail); baseline: web.chart.load100k, lightweight-charts alone (goal < 1,000 ms)`),
        command: CMD,
      },
      {
        ...cost('web.markets.history100k.busy', markets.pageBusy.wall, load100kBusy.wall, 'ms', `the page's main thread busy during that load (Chromium TaskDuration: the wall time of its tasks, so load still inflates it, but not the waits between them); the server used ${markets.serverCpuMs.toFixed(0)} ms of CPU for it; baseline: the same for one web.chart.load100k, the first in a fresh page`),
        command: CMD,
      },
      {
        ...cost('web.markets.history100k.cpu', markets.pageBusy.cpu, load100kBusy.cpu, 'ms', `the CPU time of those main-thread tasks (Chromium thread ticks: what to read under load); ${markets.requests} requests, the server ${markets.serverCpuMs.toFixed(0)} ms of CPU; baseline: the same for one web.chart.load100k, the first in a fresh page`),
        command: CMD,
      },
      { ...rate('web.markets.pan100k', markets.panFps, panFps, 'fps', `rAF callbacks/s on the Markets page with ${HISTORY_BARS.toLocaleString('en-US')} bars loaded (${markets.points.toLocaleString('en-US')} points on the chart), scrolled by a wheel event every frame (idle page ${markets.idleFps.toFixed(1)}); baseline: web.chart.pan100k, lightweight-charts alone (goal 60)`), command: CMD },
      { ...rate('web.markets.zoom100k', markets.zoom.fps, markets.idleFps, 'fps', `rAF callbacks/s on that page zoomed out 3% a frame by a wheel event from its latest bars towards the whole history (${markets.zoom.swaps} swaps of the series on the way, to a coarser level or a moved window, ending at ${markets.zoom.level} bars a candle, ${markets.zoom.points.toLocaleString('en-US')} points); baseline: the idle page (goal 60)`), command: CMD },
      { ...rate('web.equity.fastestReplay', equity.fps, equity.idleFps, 'fps', `overview at step interval 0 (${equity.pointsPerSecond.toFixed(0)} equity points/s drawn); baseline: the same page with the session paused (goal ≥ 30)`), command: CMD },
    ];
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The overview's frame rate with the session paused, then stepping as fast as it can (step interval 0). */
async function equityFps(browser: Browser, url: string): Promise<{ fps: number; idleFps: number; pointsPerSecond: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, url);
  await page.waitForSelector('#equity-points');
  const token = await page.evaluate<string>("JSON.parse(sessionStorage.getItem('pi5.tokens') || '{}').accessToken");
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    const r = await fetch(`${url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!r.ok) throw new Error(`bench dashboard: ${method} ${path} answered ${r.status}`);
  };
  const idleFps = await framesPerSecond(page, 3000);
  await call('PUT', '/session/pace', { stepIntervalMs: 0 });
  await call('POST', '/session/resume');
  await page.waitForTimeout(1000);
  const points = async (): Promise<number> => Number(await page.getAttribute('#equity-points', 'data-points'));
  const before = await points();
  const t0 = performance.now();
  const fps = await framesPerSecond(page, 5000);
  const pointsPerSecond = ((await points()) - before) / ((performance.now() - t0) / 1000);
  await call('POST', '/session/pause');
  await page.close();
  if (!(pointsPerSecond > 0)) throw new Error('bench dashboard: the equity view received no points while the session stepped');
  return { fps, idleFps, pointsPerSecond };
}

/**
 * The Markets page on the stored symbol BIG: ms from opening it to its first page drawn, and to every stored bar
 * on the chart after "Load the whole history" is pressed as soon as it shows; then the pan frame rate with all of
 * them, and the frame rate while zooming out over them (the level of detail swapping on the way).
 * Measured in the page (a MutationObserver on the chart's count of bars, then two frames) so polling adds nothing.
 */
async function marketsHistory(browser: Browser, url: string, serverPid: number): Promise<{ firstMs: number; firstBars: number; allMs: number; requests: number; panFps: number; idleFps: number; pageBusy: { wall: number; cpu: number }; serverCpuMs: number; level: number; points: number; zoom: { fps: number; swaps: number; level: number; points: number } }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, url);
  let requests = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/bars?symbol=BIG')) requests++;
  });
  const busy = await busyMeter(page);
  const busy0 = await busy();
  const cpu0 = processCpuMs(serverPid);
  const timing = await page.evaluate<{ firstMs: number; firstBars: number; allMs: number }>(`new Promise((done, fail) => {
    const t0 = performance.now();
    let firstMs = -1, firstBars = 0;
    const frames = (fn) => requestAnimationFrame(() => requestAnimationFrame(fn));
    const check = () => {
      const el = document.getElementById('price-chart');
      const n = Number(el?.dataset.drawn ?? 0);
      if (n > 0 && firstMs < 0) {
        firstBars = n;
        firstMs = -2;
        frames(() => {
          firstMs = performance.now() - t0;
          const more = document.getElementById('load-history');
          if (more) more.click();
        });
      }
      if (n >= ${HISTORY_BARS}) {
        obs.disconnect();
        frames(() => done({ firstMs, firstBars, allMs: performance.now() - t0 }));
      }
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-drawn'] });
    setTimeout(() => fail(new Error('the Markets page did not draw ${HISTORY_BARS} bars within 120 s')), 120000);
    location.hash = '#/markets?symbol=BIG&tf=1m';
  })`);
  const serverCpuMs = processCpuMs(serverPid) - cpu0;
  const busy1 = await busy();
  // What the chart was handed for them (its level of detail): candles of `level` bars, `points` of them.
  const level = Number(await page.getAttribute('#price-chart', 'data-level'));
  const points = Number(await page.getAttribute('#price-chart', 'data-points'));
  const pageBusy = { wall: busy1.wall - busy0.wall, cpu: busy1.cpu - busy0.cpu };
  await page.waitForTimeout(500);
  const idleFps = await framesPerSecond(page, 2000);
  // A wheel event with deltaX < 0 scrolls lightweight-charts towards older bars (what a drag to the right does).
  const panFps = await framesPerSecond(page, 3000, "document.querySelector('#price-chart canvas').dispatchEvent(new WheelEvent('wheel', { deltaX: -20, bubbles: true, cancelable: true }));");
  // Zooming out every frame (3% a frame, about the chart's centre) from a few hundred bars towards the whole
  // history: the level of detail swaps to ever coarser candles on the way (swaps counted), and frames must not drop.
  await page.evaluate(`window.__swaps = 0; new MutationObserver(() => window.__swaps++).observe(document.getElementById('price-chart'), { attributes: true, attributeFilter: ['data-level'] })`);
  const zoomFps = await framesPerSecond(page, 3000, "const c = document.querySelector('#price-chart canvas'); const r = c.getBoundingClientRect(); c.dispatchEvent(new WheelEvent('wheel', { deltaY: 30, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));");
  await page.waitForTimeout(500);
  const zoom = { fps: zoomFps, swaps: await page.evaluate<number>('window.__swaps'), level: Number(await page.getAttribute('#price-chart', 'data-level')), points: Number(await page.getAttribute('#price-chart', 'data-points')) };
  await page.close();
  return { ...timing, requests, panFps, idleFps, pageBusy, serverCpuMs, level, points, zoom };
}
