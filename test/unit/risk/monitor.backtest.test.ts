// The risk monitor through a whole backtest: off by default (no monitor, no snapshots, no JSON key), and
// when configured its snapshots reach the result and, as the last key, the streamed JSON.

import { describe, expect, it } from 'vitest';
import { resultJsonChunks, toResultJson } from '../../../src/backtest/report/json.js';
import { replayBacktest } from '../../../src/engine/backtestRunner.js';
import type { RiskSnapshot } from '../../../src/model/events.js';
import { runScript, scripted, series, type Row } from '../engine/fixtures.js';

const ROWS: Row[] = [100, 102, 101, 105, 103, 108].map((c) => [c, c, c, c] as const);

describe('risk monitor in a backtest', () => {
  it('is off by default: no monitor, no riskSnapshot events, no snapshots in the result or its JSON', () => {
    const { strategy } = scripted({});
    const out = replayBacktest({ series: [series(ROWS)], strategy });
    expect(out.kernel.monitor).toBeNull();
    const seen: RiskSnapshot[] = [];
    out.kernel.bus.subscribe('riskSnapshot', (s) => seen.push(s));
    out.kernel.closeTimeStep(out.times[5] as number);
    expect(seen).toEqual([]);
    const run = runScript(ROWS, { 0: (ctx) => void ctx.signal('AAA', 'BUY') });
    expect('riskSnapshots' in run.result).toBe(false);
    expect('riskSnapshots' in toResultJson(run.result)).toBe(false);
  });

  it('when configured, publishes a riskSnapshot at each close and keeps one a day', () => {
    const { strategy } = scripted({});
    const out = replayBacktest({ series: [series(ROWS)], strategy, riskMonitor: { lookback: 3 } });
    // Daily bars: every close is its own day, so every snapshot is kept.
    expect(out.kernel.monitor?.snapshots.map((s) => s.step)).toEqual([0, 1, 2, 3, 4, 5]);
    const seen: RiskSnapshot[] = [];
    out.kernel.bus.subscribe('riskSnapshot', (s) => seen.push(s));
    out.kernel.closeTimeStep(out.times[5] as number);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.windowReturns).toBe(3);
  });

  it('reports snapshots as the last JSON key, streamed text identical to JSON.stringify', () => {
    // Buy 100 on bar 0 (fills at bar 1's open, 102); daily bars, so one snapshot per bar.
    const run = runScript(ROWS, { 0: (ctx) => void ctx.signal('AAA', 'BUY') }, { cash: 100_000, size: '100', riskMonitor: { lookback: 3, benchmark: 'AAA' } });
    const snaps = run.result.riskSnapshots ?? [];
    expect(snaps).toHaveLength(6);
    // Bar 5 closes at 108: 100 × 108 = 10 800 exposure on equity 100 000 + 100 × (108 − 102) = 100 600.
    const last = snaps[5];
    expect(last?.grossExposure).toBe(10_800);
    expect(last?.equity).toBe(100_600);
    expect(last?.hhi).toBe(1);
    // Day P&L from bar 4's close (103): 100 × 5 = 500.
    expect(last?.dailyPnl).toBe(500);
    const json = toResultJson(run.result);
    expect(Object.keys(json).at(-1)).toBe('riskSnapshots');
    expect(json.riskSnapshots?.[5]?.time).toBe(new Date(last?.ts ?? NaN).toISOString());
    expect([...resultJsonChunks(run.result)].join('')).toBe(JSON.stringify(json));
  });
});
