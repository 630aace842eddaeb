// No silent nonsense: cross-parameter rules are checked before a run, and `data export` / `data gaps` default
// the timeframe when a symbol has only one stored.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/log.js';
import { generateSyntheticBars } from '../../../src/data/synthetic.js';
import { runBacktest } from '../../../src/engine/backtestRunner.js';
import { parseSize } from '../../../src/engine/specs.js';
import { findBuiltin } from '../../../src/strategy/registry.js';
import { pi5 } from '../../helpers/cli.js';
import { sharedData } from '../../helpers/shared.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('parameter rules across fields', () => {
  it('refuses sma-cross fast=50 slow=10 before any bar runs', () => {
    const strategy = findBuiltin('sma-cross');
    if (strategy === undefined) throw new Error('sma-cross is built in');
    const series = [generateSyntheticBars({ symbol: 'AAA', bars: 200, seed: 1 })];
    let error: unknown;
    try {
      runBacktest({ series, strategy, params: { fast: 50, slow: 10 }, cash: 100_000, size: parseSize('100'), log: createLogger('error') });
    } catch (e) {
      error = e;
    }
    expect(isPi5Error(error) && error.code).toBe('PI5_ERR_BAD_PARAM');
    expect((error as Error).message).toContain('fast < slow must hold (got fast=50, slow=10)');
  });

  it('answers the CLI with exit code 2 and the rule', () => {
    const r = pi5(['backtest', '--data', sharedData('NVDA-1999-2014.csv'), '--strategy', 'sma-cross', '--param', 'fast=50', '--param', 'slow=10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('fast < slow');
    expect(r.stdout).toBe('');
  });
});

describe('pi5 data export without --timeframe', () => {
  it('exports the only stored timeframe, and gaps skip NYSE holidays', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi5-export-'));
    dirs.push(dir);
    const env = { ...process.env, PI5_DATA_DIR: dir, DATABASE_URL: '' };
    const run = (args: string[]): ReturnType<typeof pi5> => {
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        return pi5(args);
      } finally {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
      }
    };
    expect(run(['data', 'import', sharedData('NVDA-1999-2014.csv')]).code).toBe(0);
    const out = run(['data', 'export', '--symbol', 'NVDA', '--from', '2014-12-01']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const rows = out.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/open/i);
    expect(rows.length).toBe(1 + 22); // December 2014 has 22 trading days
    // NVDA's daily file is complete: with the exchange calendar no holiday is reported missing.
    const gaps = run(['data', 'gaps', '--symbol', 'NVDA']);
    expect(gaps.code).toBe(0);
    expect(gaps.stdout.trim().split('\n').at(-1)).toBe('0 gap(s)');
    const weekdays = run(['data', 'gaps', '--symbol', 'NVDA', '--calendar', 'none']);
    expect(Number(/(\d+) gap/.exec(weekdays.stdout)?.[1])).toBeGreaterThan(100);
  });
});
