// The user-guide example (docs/examples/my-breakout.ts) loads by path as a user's module would, and runs on
// NVDA: it must stay a real, working strategy as the API evolves.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Pi5Error } from '../../../src/core/errors.js';
import { runBacktest } from '../../../src/engine/backtestRunner.js';
import type { StrategyDefinition } from '../../../src/strategy/api.js';
import { donchianBreakout } from '../../../src/strategy/builtin/donchianBreakout.js';
import { loadStrategy } from '../../../src/strategy/loader.js';
import myBreakout from '../../../docs/examples/my-breakout.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';
import { expectBadParam, fingerprint, sampleData, tradesOf } from './builtin/helpers.js';
import { parseSize } from '../../../src/engine/specs.js';

const EXAMPLE = resolve(PROJECT_ROOT, 'docs/examples/my-breakout.ts');
const WEEK_MS = 7 * 86_400_000;

describe('the user-guide example strategy', async () => {
  const strategy = await loadStrategy(EXAMPLE);
  const { nvda } = await sampleData();

  it('loads by path with its id and parameter schema', () => {
    expect(strategy.id).toBe('my-breakout');
    expect(Object.keys(strategy.params)).toEqual(['lookback', 'exitLookback', 'trendWeeks', 'stopPct']);
    expect(strategy.params.lookback).toMatchObject({ type: 'int', default: 20 });
  });

  it('runs on NVDA with CLI-style string parameters and trades', () => {
    const r = runBacktest({ series: [nvda], strategy, params: { lookback: '20', exitLookback: '10' }, size: parseSize('100') });
    expect(r.config.params).toMatchObject({ lookback: 20, exitLookback: 10, trendWeeks: 10, stopPct: 0 });
    expect(r.trades.length).toBeGreaterThan(0);
    expect(r.rejections).toEqual([]);
  });

  it('behaves the same loaded by path or imported, and is deterministic', () => {
    const params = { stopPct: 8 };
    const loaded = runBacktest({ series: [nvda], strategy, params, size: parseSize('10%') });
    const again = runBacktest({ series: [nvda], strategy, params, size: parseSize('10%') });
    const imported = runBacktest({ series: [nvda], strategy: myBreakout as unknown as StrategyDefinition, params, size: parseSize('10%') });
    expect(fingerprint(again)).toBe(fingerprint(loaded));
    expect(fingerprint(imported)).toBe(fingerprint(loaded));
  });

  it('without the weekly filter, trades exactly like donchian-breakout (long only)', () => {
    const mine = runBacktest({ series: [nvda], strategy, params: { trendWeeks: 0 }, size: parseSize('100') });
    const builtin = runBacktest({
      series: [nvda],
      strategy: donchianBreakout as unknown as StrategyDefinition,
      params: { entryPeriod: 20, exitPeriod: 10 },
      size: parseSize('100'),
    });
    expect(tradesOf(mine, 'NVDA')).toEqual(tradesOf(builtin, 'NVDA'));
  });

  it('with the weekly filter, enters only after trendWeeks complete weeks and trades less', () => {
    const filtered = runBacktest({ series: [nvda], strategy, params: { trendWeeks: 10 }, size: parseSize('100') });
    const unfiltered = runBacktest({ series: [nvda], strategy, params: { trendWeeks: 0 }, size: parseSize('100') });
    const first = filtered.trades[0];
    expect(first).toBeDefined();
    expect(first!.entryTime).toBeGreaterThan((nvda.ts[0] as number) + 10 * WEEK_MS);
    expect(filtered.trades.length).toBeLessThan(unfiltered.trades.length);
  });

  it('rejects bad parameters with PI5_ERR_BAD_PARAM', () => {
    expectBadParam(() => runBacktest({ series: [nvda], strategy, params: { lookback: 0 } }), 'lookback');
    expectBadParam(() => runBacktest({ series: [nvda], strategy, params: { lookback: 'twenty' } }), 'lookback');
    expectBadParam(() => runBacktest({ series: [nvda], strategy, params: { lookbak: 20 } }), 'lookbak');
  });

  it('rejects an exit channel longer than the entry channel, from its own create()', () => {
    // Thrown by the module's copy of paramError (tsx loads it apart from ours), so check the code, not the class.
    expect(() => runBacktest({ series: [nvda], strategy, params: { lookback: 10, exitLookback: 20 } })).toThrow(
      expect.objectContaining({ code: 'PI5_ERR_BAD_PARAM', message: expect.stringContaining('exitLookback') }),
    );
  });

  it('a path that does not exist is a clear error, not a crash', async () => {
    await expect(loadStrategy(resolve(PROJECT_ROOT, 'docs/examples/missing.ts'))).rejects.toBeInstanceOf(Pi5Error);
  });
});
