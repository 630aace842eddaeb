// ctx.isMarketOpen() in a backtest: decided by the bar time against the NYSE calendar (regular or extended
// hours, half days), a trading day on daily bars, always open for a crypto pair; the same on every run.

import { describe, expect, it } from 'vitest';
import { series, type Action, type Row, runScript } from './fixtures.js';

const row: Row = [10, 10, 10, 10];

function record(times: readonly number[], symbol: string, timeframe: string, ask: (ctx: Parameters<Action>[0]) => boolean): boolean[] {
  const seen: boolean[] = [];
  const actions: Record<number, Action> = {};
  times.forEach((_, i) => (actions[i] = (ctx) => void seen.push(ask(ctx))));
  runScript([series(times.map(() => row), { symbol, timeframe, times })], actions);
  return seen;
}

describe('ctx.isMarketOpen', () => {
  it('answers from the bar time: regular hours, extended hours, the half day after Thanksgiving', () => {
    const times = ['2026-11-25T14:29:00Z', '2026-11-25T14:30:00Z', '2026-11-25T20:59:00Z', '2026-11-25T21:00:00Z', '2026-11-26T15:00:00Z', '2026-11-27T17:59:00Z', '2026-11-27T18:00:00Z'].map(Date.parse);
    expect(record(times, 'AAPL', '1m', (ctx) => ctx.isMarketOpen())).toEqual([false, true, true, false, false, true, false]);
    expect(record(times, 'AAPL', '1m', (ctx) => ctx.isMarketOpen('AAPL', { extended: true }))).toEqual([true, true, true, true, false, true, true]);
  });

  it('means a trading day on daily bars, and always for a crypto pair', () => {
    const days = ['2026-07-02', '2026-07-03', '2026-07-04', '2026-07-06'].map((d) => Date.parse(`${d}T00:00:00Z`));
    expect(record(days, 'SPY', '1d', (ctx) => ctx.isMarketOpen())).toEqual([true, false, false, true]);
    expect(record(days, 'BTC/USD', '1d', (ctx) => ctx.isMarketOpen())).toEqual([true, true, true, true]);
  });
});
