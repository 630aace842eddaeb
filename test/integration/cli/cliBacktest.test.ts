// `pi5 backtest` and `pi5 strategies` through the built CLI: flags, outputs, determinism and exit codes. One real
// process per kind of run (listing, backtest with every output, profile, bad usage); the rest run the same built
// program in this process (pi5InProcess), which skips a Node start and the CLI's modules per call.

import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pi5, pi5InProcess } from '../../helpers/cli.js';
import { conformance, sharedData } from '../../helpers/shared.js';

const NVDA = sharedData('NVDA-1999-2014.csv');
const tmp = mkdtempSync(join(tmpdir(), 'pi5-cli-'));
const file = (name: string, text?: string): string => {
  const p = join(tmp, name);
  if (text !== undefined) writeFileSync(p, text);
  return p;
};

describe('pi5 strategies', () => {
  it('lists built-ins with parameter schemas as JSON', () => {
    const r = pi5(['strategies', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ id: string; params: Array<{ name: string; type: string; default: unknown }> }>;
    const sma = list.find((s) => s.id === 'sma-cross');
    expect(sma?.params.map((p) => p.name)).toEqual(expect.arrayContaining(['fast', 'slow', 'ma']));
    expect(list.map((s) => s.id)).toEqual(expect.arrayContaining(['sma-cross', 'buy-and-hold', 'signals']));
    const rules = (id: string): unknown => (list.find((s) => s.id === id) as unknown as { constraints: unknown }).constraints;
    expect(rules('sma-cross')).toEqual([{ params: ['fast', 'slow'], rule: 'fast < slow' }]);
    expect(rules('rsi-mean-reversion')).toEqual([{ params: ['exitLevel', 'oversold', 'overbought'], rule: 'oversold < exitLevel < overbought' }]);
    expect(rules('buy-and-hold')).toEqual([]);
  });

  it('prints a readable table by default', async () => {
    const r = await pi5InProcess(['strategies']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sma-cross/);
    expect(r.stdout).toMatch(/fast\s+int\s+default 10/);
    expect(r.stdout).toMatch(/momentum-trend[\s\S]*must hold: fast < slow; macdFast < macdSlow/);
  });
});

describe('pi5 backtest', () => {
  const args = ['backtest', '--data', NVDA, '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--size', '100', '--cash', '100000'];

  it('runs the DESIGN.md §12 command and writes JSON, trades CSV and an HTML report', () => {
    const out = file('a.json');
    const r = pi5([...args, '--json', out, '--trades', file('a.csv'), '--report', file('a.html')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Final equity\s+103,370\.88/);
    const json = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown> & {
      metrics: Record<string, number>;
      trades: Array<Record<string, unknown>>;
      equityCurve: Array<[string, number]>;
    };
    for (const k of ['version', 'config', 'metrics', 'trades', 'openPositions', 'equityCurve']) expect(json).toHaveProperty(k);
    expect(json.metrics.finalEquity).toBeCloseTo(103370.8751, 6);
    expect(json.metrics.tradeCount).toBe(73);
    expect(Object.keys(json.trades[0] ?? {})).toEqual(expect.arrayContaining(['symbol', 'side', 'quantity', 'entryTime', 'entryPrice', 'exitTime', 'exitPrice', 'pnl', 'commission']));
    expect(json.equityCurve[0]?.[0]).toBe('1999-01-22T00:00:00.000Z');
    expect(readFileSync(file('a.csv'), 'utf8').split('\n')[0]).toMatch(/^symbol,side,quantity,entryTime/);
    expect(readFileSync(file('a.html'), 'utf8')).toMatch(/<svg/);
  });

  it('is deterministic: two runs write byte-identical JSON', async () => {
    const a = file('d1.json');
    const b = file('d2.json');
    // A fresh process and one that has run backtests before: nothing carries over from run to run.
    expect(pi5([...args, '--json', a, '--quiet']).code).toBe(0);
    expect((await pi5InProcess([...args, '--json', b, '--quiet'])).code).toBe(0);
    expect(readFileSync(a)).toEqual(readFileSync(b));
  });

  it('replays the conformance order file with the signals strategy', async () => {
    const out = file('signals.json');
    const r = await pi5InProcess(['backtest', '--data', NVDA, '--strategy', 'signals', '--param', `file=${conformance('orders-nvda.csv')}`, '--cash', '1000000', '--json', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { finalCash: string };
    expect(json.finalCash).toBe('992326.50638');
  });

  it('limits the run to an inclusive date range', async () => {
    const out = file('range.json');
    const r = await pi5InProcess(['backtest', '--data', NVDA, '--strategy', 'buy-and-hold', '--from', '2005-01-03', '--to', '2005-12-30', '--json', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { equityCurve: Array<[string, number]> };
    expect(json.equityCurve[0]?.[0]).toBe('2005-01-03T00:00:00.000Z');
    expect(json.equityCurve[json.equityCurve.length - 1]?.[0]).toBe('2005-12-30T00:00:00.000Z');
  });

  it('resamples daily bars to weekly with --timeframe 1w', async () => {
    const out = file('weekly.json');
    const r = await pi5InProcess(['backtest', '--data', NVDA, '--strategy', 'sma-cross', '--timeframe', '1w', '--json', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { config: { timeframe: string; periodsPerYear: number }; equityCurve: unknown[] };
    expect(json.config.timeframe).toBe('1w');
    expect(json.config.periodsPerYear).toBe(52);
    expect(json.equityCurve.length).toBeGreaterThan(800);
    expect(json.equityCurve.length).toBeLessThan(840);
  });

  it('writes a V8 CPU profile with --profile', () => {
    const prof = file('run.cpuprofile');
    const r = pi5([...args, '--quiet', '--profile', prof]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(prof)).toBe(true);
    expect(JSON.parse(readFileSync(prof, 'utf8'))).toHaveProperty('nodes');
  });
});

describe('pi5 backtest: bad input exits 2 with a message naming the problem', () => {
  const header = 'Date,Open,High,Low,Close,Volume\n';
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown strategy', ['--data', NVDA, '--strategy', 'no-such-thing'], /unknown strategy "no-such-thing"/],
    ['bad parameter value', ['--data', NVDA, '--strategy', 'sma-cross', '--param', 'fast=abc'], /parameter fast: "abc" is not a number/],
    ['unknown parameter', ['--data', NVDA, '--strategy', 'sma-cross', '--param', 'speed=3'], /parameter speed: unknown parameter/],
    ['missing data file', ['--data', '/nonexistent/x.csv', '--strategy', 'sma-cross'], /nonexistent/],
    ['NaN price', ['--data', file('nan.csv', header + '2020-01-02,1,2,0.5,1.5,100\n2020-01-03,1,NaN,0.5,1.5,100\n'), '--strategy', 'sma-cross'], /nan\.csv line 3/],
    ['high below low', ['--data', file('hl.csv', header + '2020-01-02,1,2,0.5,1.5,100\n2020-01-03,1,0.4,0.5,0.45,100\n'), '--strategy', 'sma-cross'], /hl\.csv line 3/],
    ['unsorted timestamps', ['--data', file('uns.csv', header + '2020-01-02,1,2,0.5,1.5,100\n2020-01-06,1,2,0.5,1.5,100\n2020-01-03,1,2,0.5,1.5,100\n'), '--strategy', 'sma-cross'], /uns\.csv line 4.*not sorted/],
    ['duplicate bars', ['--data', file('dup.csv', header + '2020-01-02,1,2,0.5,1.5,100\n2020-01-02,1,2,0.5,1.5,100\n'), '--strategy', 'sma-cross'], /dup\.csv line 3.*duplicate/],
    ['bad size spec', ['--data', NVDA, '--strategy', 'sma-cross', '--size', 'lots'], /--size "lots"/],
    ['bad commission spec', ['--data', NVDA, '--strategy', 'sma-cross', '--commission', 'per-trade:1'], /--commission .*unknown model/],
    ['bad date', ['--data', NVDA, '--strategy', 'sma-cross', '--from', '2020-13-45'], /--from/],
    ['empty range', ['--data', NVDA, '--strategy', 'sma-cross', '--from', '2030-01-01'], /no bars/],
    ['unknown flag', ['--data', NVDA, '--strategy', 'sma-cross', '--bogus'], /unknown option/],
  ];
  cases.forEach(([name, argv, message], i) => {
    // The first case as a real process: its exit status, not only main's return value.
    it(name, async () => {
      const r = i === 0 ? pi5(['backtest', ...argv]) : await pi5InProcess(['backtest', ...argv]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  });
});
