// `pi5 optimize` through the built CLI: the best trial's numbers equal those of `pi5 backtest` with its
// parameters, and bad usage exits 2 with a coded message. A real process for the first search, a bad usage and
// Ctrl-C; the other runs use the same built program in this process (pi5InProcess), sparing a Node start and
// the CLI's modules per call: what they check is the command's results. Ctrl-C is sent to a real process.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trialBaseOf } from '../../../src/cli/commands/optimize.js';
import { returnsOfEquity } from '../../../src/optimize/barReturns.js';
import { diagnose, localReturns, type Diagnostics } from '../../../src/optimize/diagnostics.js';
import { parseObjective } from '../../../src/optimize/objective.js';
import { localEvaluator, optimize } from '../../../src/optimize/optimizer.js';
import { buildSpace } from '../../../src/optimize/space.js';
import { cutSeries } from '../../../src/optimize/walkForward.js';
import { diagnoseWalkForward, type WalkForwardFacts } from '../../../src/optimize/walkForwardDiagnostics.js';
import { smaCross } from '../../../src/strategy/builtin/smaCross.js';
import { pi5, pi5Async, pi5InProcess } from '../../helpers/cli.js';
import { sharedData } from '../../helpers/shared.js';

const NVDA = sharedData('NVDA-1999-2014.csv');
const tmp = mkdtempSync(join(tmpdir(), 'pi5-opt-'));
const common = ['--data', NVDA, '--strategy', 'sma-cross', '--from', '2004-01-01', '--to', '2013-12-31', '--size', '100', '--commission', 'per-share:0.005:min=1'];

interface OptJson {
  stats: { trials: number; feasible: number };
  best: { params: Record<string, unknown>; objective: number; metrics: Record<string, number | null> };
  trials: Array<{ id: number; params: Record<string, number>; objective: number | null; feasible: boolean }>;
}

// Each test spawns the CLI several times; on a loaded 2-core machine that takes minutes.
describe('pi5 optimize', { timeout: 240_000 }, () => {
  it('writes every trial, and a best that pi5 backtest reproduces number for number', async () => {
    const out = join(tmp, 'opt.json');
    const csv = join(tmp, 'opt.csv');
    const r = pi5(['optimize', ...common, '--grid', 'fast=5:30:5', '--grid', 'slow=20:80:20', '--where', 'fast < slow', '--objective', 'sharpe', '--constraint', 'tradeCount >= 10', '--json', out, '--csv', csv, '--report', join(tmp, 'opt.html'), '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(tmp, 'opt.html'), 'utf8')).toMatch(/<section id="heatmap"><h2>Heatmap: fast × slow/);
    expect(r.stdout).toMatch(/grid search of sma-cross: 21 trials/);
    const json = JSON.parse(readFileSync(out, 'utf8')) as OptJson;
    // 6 × 4 points less the three with fast >= slow (20/20, 25/20, 30/20).
    expect(json.trials).toHaveLength(21);
    expect(json.stats.trials).toBe(21);
    const best = json.trials.filter((t) => t.feasible).reduce((a, b) => ((b.objective ?? -Infinity) > (a.objective ?? -Infinity) ? b : a));
    expect(json.best.objective).toBe(best.objective);
    const bt = join(tmp, 'bt.json');
    const params = Object.entries(json.best.params).flatMap(([k, v]) => ['--param', `${k}=${String(v)}`]);
    const b = await pi5InProcess(['backtest', ...common, ...params, '--json', bt, '--quiet']);
    expect(b.code, b.stderr).toBe(0);
    const backtest = JSON.parse(readFileSync(bt, 'utf8')) as { metrics: Record<string, number | null>; config: { params: Record<string, unknown> } };
    expect(json.best.metrics).toEqual(backtest.metrics);
    expect(json.best.params).toEqual(backtest.config.params);
    expect(json.best.objective).toBe(backtest.metrics.sharpe);
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(22);
  });

  it('random search with a budget and a custom objective expression', async () => {
    const out = join(tmp, 'rnd.json');
    const r = await pi5InProcess(['optimize', ...common, '--method', 'random', '--budget', '7', '--seed', '5', '--grid', 'fast=2:40', '--grid', 'slow=20:120', '--objective', 'cagr / max(maxDrawdown, 0.01)', '--json', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as OptJson;
    expect(json.trials).toHaveLength(7);
    const m = json.best.metrics;
    expect(json.best.objective).toBeCloseTo((m.cagr ?? NaN) / Math.max(m.maxDrawdown ?? NaN, 0.01), 12);
  });

  it('gives the same trials on 2 worker threads as on one', async () => {
    const runs: Array<OptJson & { workers: number }> = [];
    for (const w of ['1', '2']) {
      const out = join(tmp, `w${w}.json`);
      const r = await pi5InProcess(['optimize', ...common, '--grid', 'fast=5:25:10', '--grid', 'slow=30:90:30', '--grid', 'ma=*', '--workers', w, '--json', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      runs.push(JSON.parse(readFileSync(out, 'utf8')) as OptJson & { workers: number });
    }
    expect(runs[1]?.workers).toBe(2);
    expect(runs[1]?.trials).toHaveLength(18);
    expect(runs[1]?.trials).toEqual(runs[0]?.trials);
    expect(runs[1]?.best).toEqual(runs[0]?.best);
  });

  it('takes every run flag pi5 backtest takes, on worker threads too, and the best reproduces there', async () => {
    const risk = join(tmp, 'risk.json');
    writeFileSync(risk, JSON.stringify({ global: { maxPositionQty: 150 } }));
    const run = ['--size', '10%', '--fill-on', 'close', '--volume-limit', '5', '--leverage', '2', '--risk', risk, '--risk-free', '0.02', '--periods-per-year', '250', '--slippage', 'bps:5'];
    const out = join(tmp, 'flags.json');
    const r = await pi5InProcess(['optimize', ...common, ...run, '--grid', 'fast=5:25:10', '--grid', 'slow=30:90:30', '--workers', '2', '--json', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as OptJson & { config: Record<string, unknown> };
    expect(json.config).toMatchObject({ volumeLimitPct: 5, limits: { maxLeverage: 2 }, periodsPerYear: 250, fillOn: 'close' });
    const bt = join(tmp, 'flags-bt.json');
    const params = Object.entries(json.best.params).flatMap(([k, v]) => ['--param', `${k}=${String(v)}`]);
    const b = await pi5InProcess(['backtest', ...common, ...run, ...params, '--json', bt, '--quiet']);
    expect(b.code, b.stderr).toBe(0);
    expect(json.best.metrics).toEqual((JSON.parse(readFileSync(bt, 'utf8')) as { metrics: Record<string, number | null> }).metrics);
    // The position cap of the risk file binds: 10% of equity is far more than 150 shares of NVDA in 2004.
    const uncapped = await pi5InProcess(['backtest', ...common, ...run.filter((x, i) => x !== '--risk' && run[i - 1] !== '--risk'), ...params, '--json', bt, '--quiet']);
    expect(uncapped.code, uncapped.stderr).toBe(0);
    expect((JSON.parse(readFileSync(bt, 'utf8')) as { metrics: Record<string, number | null> }).metrics).not.toEqual(json.best.metrics);
  });

  it('runs TPE, genetic and PSO within their budget, seeded', async () => {
    for (const method of ['bayes', 'genetic', 'pso']) {
      const out = join(tmp, `${method}.json`);
      const r = await pi5InProcess(['optimize', ...common, '--method', method, '--budget', '12', '--seed', '2', '--population', '6', '--grid', 'fast=2:30', '--grid', 'slow=20:120:10', '--where', 'fast < slow', '--json', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(readFileSync(out, 'utf8')) as OptJson & { method: string };
      expect(json.method).toBe(method);
      expect(json.trials.length).toBeGreaterThan(0);
      expect(json.trials.length).toBeLessThanOrEqual(12);
      expect(json.trials.every((t) => (t.params.fast ?? Infinity) < (t.params.slow ?? -Infinity))).toBe(true);
    }
  });

  it('runs a walk-forward analysis with stitched out-of-sample equity', async () => {
    const out = join(tmp, 'wf.json');
    const r = await pi5InProcess(['optimize', ...common, '--grid', 'fast=5:25:10', '--grid', 'slow=30:90:30', '--walk-forward', 'is=3y,oos=1y', '--json', out, '--report', join(tmp, 'wf.html'), '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(tmp, 'wf.html'), 'utf8')).toContain('<section id="wf-equity"');
    expect(r.stdout).toMatch(/walk-forward \(rolling, in-sample 3y, out-of-sample 1y\): 7 windows/);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { walkForward: { windows: Array<{ isFrom: string; oosFrom: string; oosTo: string }>; equityCurve: Array<[string, number]>; efficiency: number | null } };
    const w = json.walkForward.windows;
    expect(w[0]).toMatchObject({ isFrom: '2004-01-02T00:00:00.000Z', oosFrom: '2007-01-02T00:00:00.000Z', oosTo: '2008-01-02T00:00:00.000Z' });
    for (let i = 1; i < w.length; i++) expect(w[i]?.oosFrom).toBe(w[i - 1]?.oosTo);
    expect(json.walkForward.equityCurve[0]?.[0]).toBe('2007-01-03T00:00:00.000Z');
    await expectDiagnosticsOfWindows(out, r.stdout);
    const out2 = join(tmp, 'wf2.json');
    const r2 = await pi5InProcess(['optimize', ...common, '--grid', 'fast=5:25:10', '--grid', 'slow=30:90:30', '--walk-forward', 'is=3y,oos=1y', '--workers', '2', '--json', out2, '--quiet']);
    expect(r2.code, r2.stderr).toBe(0);
    expect((JSON.parse(readFileSync(out2, 'utf8')) as typeof json).walkForward).toEqual(json.walkForward);
    expect((await pi5InProcess(['optimize', ...common, '--grid', 'fast=5:25:10', '--walk-forward', 'is=3y', '--quiet'])).code).toBe(2);
  });

  it('exits 2 on a bad grid, an unknown metric or an unknown method', async () => {
    const cases = [['--grid', 'fats=1:5'], ['--grid', 'fast=1:5', '--objective', 'sharp'], ['--grid', 'fast=1:5', '--method', 'annealing'], []];
    for (const [i, bad] of cases.entries()) {
      // The first as a real process: its exit status, not only main's return value.
      const r = i === 0 ? pi5(['optimize', ...common, ...bad, '--quiet']) : await pi5InProcess(['optimize', ...common, ...bad, '--quiet']);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/PI5_ERR_BAD_(USAGE|PARAM)/);
    }
  });

  it('Ctrl-C (SIGINT) on one thread ends the search at a batch end and prints the trials so far as canceled', async () => {
    // 7,878 trials take tens of seconds: interrupted once the first progress line says trials are running.
    const r = await pi5Async(['optimize', '--data', NVDA, '--strategy', 'sma-cross', '--grid', 'fast=2:60', '--grid', 'slow=20:300:2', '--workers', '1'], { interruptWhen: 'optimize: 0%' });
    expect(r.code, r.stderr).toBe(0);
    const m = /grid search of sma-cross: (\d+) trials .* — canceled/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m?.[1])).toBeLessThan(7878);
  });
});

interface WalkForwardJson {
  config: { cash: number };
  walkForward: {
    efficiency: number | null;
    oosMetrics: { sharpe: number };
    drift: WalkForwardFacts['drift'];
    diagnostics: { trials: number; verdict: string } & Record<string, unknown>;
    windows: Array<{ isFrom: string; isTo: string; trials: number; isMetrics: { sharpe: number }; diagnostics: (Diagnostics & { pbo: Record<string, unknown> | null }) | null }>;
    equityCurve: Array<[string, number]>;
  };
}

/** JSON as the document writes it: NaN and infinities as null. */
const asJson = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

/**
 * The --json document's diagnostics are the diagnostics functions' own: each window's in-sample optimization run
 * again here on the window's bars and diagnosed, and the analysis's verdict from those windows and the stitched equity.
 */
async function expectDiagnosticsOfWindows(path: string, stdout: string): Promise<void> {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as WalkForwardJson;
  const wf = doc.walkForward;
  const flags = { data: [NVDA], strategy: 'sma-cross', from: '2004-01-01', to: '2013-12-31', size: '100', commission: 'per-share:0.005:min=1', cash: '100000', slippage: 'none', fillOn: 'open', riskFree: '0', adjust: 'none' };
  const base = await trialBaseOf(flags as Parameters<typeof trialBaseOf>[0]);
  const { from: _from, to: _to, ...unranged } = base;
  const space = buildSpace({ strategyId: 'sma-cross', schema: smaCross.params, grid: ['fast=5:25:10', 'slow=30:90:30'], ...(smaCross.constraints === undefined ? {} : { rules: smaCross.constraints }) });
  const rules = { objective: parseObjective('sharpe'), constraints: [] };
  const windows = [];
  for (const w of wf.windows) {
    const isBase = { ...unranged, series: cutSeries(base.series, Date.parse(w.isFrom), Date.parse(w.isTo)) };
    const run = await optimize({ method: 'grid', space, rules, evaluate: localEvaluator(isBase, space, rules) });
    expect(run.trials.length).toBe(w.trials);
    const d = await diagnose(localReturns(isBase), run, space);
    expect(d).not.toBeNull();
    // The document leaves out the CSCV logits (thousands a window); everything else is the function's.
    const { logits: _logits, ...pbo } = d?.pbo ?? { logits: [] };
    expect(w.diagnostics).toEqual(asJson({ ...d, pbo: d?.pbo === null ? null : pbo }));
    windows.push({ trials: run.trials.length, isMetrics: { sharpe: run.best?.metrics.sharpe ?? NaN }, diagnostics: d });
  }
  const equity = Float64Array.from([doc.config.cash, ...wf.equityCurve.map(([, v]) => v)]);
  const whole = diagnoseWalkForward({ oos: returnsOfEquity(equity, 252), oosSharpe: wf.oosMetrics.sharpe, efficiency: wf.efficiency ?? NaN, windows, drift: wf.drift });
  expect(wf.diagnostics).toEqual(asJson(whole));
  expect(wf.diagnostics.trials).toBe(wf.windows.reduce((n, w) => n + w.trials, 0));
  expect(stdout).toContain(whole.verdict);
  expect(stdout).toMatch(/OOS 2007-01-02\.\.2008-01-01 .* IS deflated Sharpe \d\.\d{3} PBO \d\.\d{3}/);
}
