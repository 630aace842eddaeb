// SMA 10/30 crossover on NVDA: trades, final equity and every metric must match the worked answers.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBarsCsv } from '../../src/data/csv/index.js';
import { runBacktest } from '../../src/engine/backtestRunner.js';
import { smaCross } from '../../src/strategy/builtin/smaCross.js';
import { conformance, sharedData } from '../helpers/shared.js';
import { parseSize } from '../../src/engine/specs.js';

interface ExpectedTrade {
  entry_bar: number;
  entry_date?: string;
  entry_price: number;
  exit_bar: number;
  exit_date?: string;
  exit_price: number;
  pnl: number;
}
const expected = JSON.parse(readFileSync(conformance('sma-cross-nvda.expected.json'), 'utf8')) as {
  tradeCount: number;
  finalEquity: number;
  openPosition: unknown;
  firstTrades: ExpectedTrade[];
  lastTrade: ExpectedTrade;
  metrics: Record<string, number | null>;
};

function closeRel(actual: number | null, want: number | null): void {
  if (want === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  const a = actual as number;
  const tol = 1e-9 * Math.max(1, Math.abs(want));
  expect(Math.abs(a - want), `${a} vs ${want}`).toBeLessThanOrEqual(tol);
}

describe('conformance: SMA 10/30 crossover on NVDA', async () => {
  const nvda = await readBarsCsv(sharedData('NVDA-1999-2014.csv'));
  const result = runBacktest({
    series: [nvda],
    strategy: smaCross,
    params: { fast: 10, slow: 30 },
    size: parseSize('100'),
    cash: 100_000,
  });
  const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

  it('makes the expected trades', () => {
    expect(result.trades).toHaveLength(expected.tradeCount);
    const check = (t: (typeof result.trades)[number], e: ExpectedTrade): void => {
      expect(t.entryBar).toBe(e.entry_bar);
      expect(t.exitBar).toBe(e.exit_bar);
      if (e.entry_date) expect(day(t.entryTime)).toBe(e.entry_date);
      if (e.exit_date) expect(day(t.exitTime)).toBe(e.exit_date);
      closeRel(t.entryPrice, e.entry_price);
      closeRel(t.exitPrice, e.exit_price);
      closeRel(t.pnl, e.pnl);
    };
    expected.firstTrades.forEach((e, i) => check(result.trades[i] as (typeof result.trades)[number], e));
    check(result.trades[result.trades.length - 1] as (typeof result.trades)[number], expected.lastTrade);
  });

  it('ends with the expected equity and no open position', () => {
    expect(result.openPositions).toHaveLength(0);
    closeRel(result.metrics.finalEquity, expected.finalEquity);
  });

  for (const [key, want] of Object.entries(expected.metrics)) {
    it(`metric ${key} = ${String(want)}`, () => {
      const got = (result.metrics as unknown as Record<string, number | null>)[key];
      expect(got, `metrics.${key} missing`).not.toBeUndefined();
      closeRel(got ?? null, want);
    });
  }
});
