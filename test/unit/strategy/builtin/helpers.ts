// Shared fixtures for the strategy tests: hand-built daily series, the shared sample data, and a compact view
// of a run's trades that reads like the worked examples in the tests' comments.

import { describe, expect, it } from 'vitest';
import { Pi5Error } from '../../../../src/core/errors.js';
import { readBarsCsv } from '../../../../src/data/csv/index.js';
import { allocateSeries, type BarSeries } from '../../../../src/model/barSeries.js';
import type { BacktestResult } from '../../../../src/backtest/types.js';
import { runBacktest } from '../../../../src/engine/backtestRunner.js';
import type { StrategyDefinition } from '../../../../src/strategy/api.js';
import type { ParamSchema, RawParams } from '../../../../src/strategy/params.js';
import type { ClosedTrade, Order } from '../../../../src/model/types.js';
import { sharedData } from '../../../helpers/shared.js';
import { parseSize } from '../../../../src/engine/specs.js';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** The date (YYYY-MM-DD) of bar i of a hand-built series: bar 0 is 2024-01-01, one bar per calendar day. */
export function day(i: number): string {
  return new Date(T0 + i * DAY_MS).toISOString().slice(0, 10);
}

export type Ohlc = readonly [open: number, high: number, low: number, close: number];

export function seriesOf(symbol: string, rows: readonly Ohlc[]): BarSeries {
  const s = allocateSeries(symbol, '1d', rows.length, 2);
  rows.forEach(([o, h, l, c], i) => {
    s.ts[i] = T0 + i * DAY_MS;
    s.open[i] = o;
    s.high[i] = h;
    s.low[i] = l;
    s.close[i] = c;
    s.volume[i] = 1_000_000;
  });
  return s;
}

/**
 * Bars from closes: open = previous close + `gap` (the first bar opens at its close), high = max(open, close) + 0.5,
 * low = min(open, close) − 0.5. The gap keeps fills (at the next open) visibly apart from signal closes.
 */
export function fromCloses(symbol: string, closes: readonly number[], gap = 0.1): BarSeries {
  return seriesOf(
    symbol,
    closes.map((c, i) => {
      const o = i === 0 ? c : round((closes[i - 1] as number) + gap);
      return [o, round(Math.max(o, c) + 0.5), round(Math.min(o, c) - 0.5), c] as const;
    }),
  );
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export interface TradeRow {
  side: 'long' | 'short';
  quantity: number;
  entry: string;
  entryPrice: number;
  exit: string;
  exitPrice: number;
}

export function tradeRows(result: BacktestResult): TradeRow[] {
  return result.trades.map((t) => ({
    side: t.side,
    quantity: t.quantity,
    entry: new Date(t.entryTime).toISOString().slice(0, 10),
    entryPrice: round(t.entryPrice),
    exit: new Date(t.exitTime).toISOString().slice(0, 10),
    exitPrice: round(t.exitPrice),
  }));
}

/** Every order of the run, in submission order. */
export function ordersOf(result: BacktestResult): readonly Order[] {
  return result.orders ?? [];
}

/** Trades without their bar indices, which count steps of the run's whole (multi-symbol) timeline. */
export function tradesOf(result: BacktestResult, symbol: string): Omit<ClosedTrade, 'entryBar' | 'exitBar'>[] {
  return result.trades.filter((t) => t.symbol === symbol).map(({ entryBar: _e, exitBar: _x, ...rest }) => rest);
}

export async function sampleData(): Promise<{ nvda: BarSeries; orcl: BarSeries }> {
  const [nvda, orcl] = await Promise.all([readBarsCsv(sharedData('NVDA-1999-2014.csv')), readBarsCsv(sharedData('ORCL-1995-2014.csv'))]);
  return { nvda, orcl };
}

/** Everything a run produces that must repeat exactly. */
export function fingerprint(result: BacktestResult): string {
  return JSON.stringify({ trades: result.trades, equity: Array.from(result.equity), open: result.openPositions });
}

export function expectBadParam(run: () => unknown, param: string): void {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(Pi5Error);
  expect((caught as Pi5Error).code).toBe('PI5_ERR_BAD_PARAM');
  expect((caught as Pi5Error).message).toContain(param);
}

/**
 * The checks every per-symbol strategy passes on the shared NVDA and ORCL data: it trades each, keeps its
 * state per symbol (two symbols together trade exactly as each alone), and repeats itself exactly.
 */
export function describeOnSampleData(strategy: StrategyDefinition<ParamSchema>, params: RawParams, deterministicParams: RawParams = params): void {
  describe(`${strategy.id} on the sample data`, async () => {
    const { nvda, orcl } = await sampleData();

    it('trades NVDA and ORCL', () => {
      for (const s of [nvda, orcl]) {
        expect(runBacktest({ series: [s], strategy, params: {}, size: parseSize('100') }).trades.length).toBeGreaterThan(0);
      }
    });

    it('keeps state per symbol: each symbol trades as it does alone', () => {
      const both = runBacktest({ series: [nvda, orcl], strategy, params, size: parseSize('100'), cash: 1_000_000 });
      for (const s of [nvda, orcl]) {
        const alone = runBacktest({ series: [s], strategy, params, size: parseSize('100'), cash: 1_000_000 });
        expect(tradesOf(both, s.symbol)).toEqual(tradesOf(alone, s.symbol));
      }
      expect(both.rejections).toEqual([]);
    });

    it('is deterministic', () => {
      const a = runBacktest({ series: [nvda, orcl], strategy, params: deterministicParams, size: parseSize('10%') });
      const b = runBacktest({ series: [nvda, orcl], strategy, params: deterministicParams, size: parseSize('10%') });
      expect(fingerprint(a)).toBe(fingerprint(b));
    });
  });
}
