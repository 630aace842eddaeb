// SMA 10/30 crossover on NVDA: all 73 trades (against the rule worked out exactly here, checked against the
// worked answer's listed trades), final equity and every metric must match the worked answers.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBarsCsv } from '../../src/data/csv/index.js';
import { runBacktest } from '../../src/engine/backtestRunner.js';
import { toPu } from '../../src/model/money.js';
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

interface RefTrade {
  entry_bar: number;
  entry_date: string | undefined;
  entry_price: number;
  exit_bar: number;
  exit_date: string | undefined;
  exit_price: number;
  pnl: number;
}

const refOf = (e: ExpectedTrade): RefTrade => ({ ...e, entry_date: e.entry_date, exit_date: e.exit_date });

/** A decimal price string as an integer count of 1e-8 (exact for the file's 6 decimals). */
function pu(text: string): number {
  const [whole = '0', frac = ''] = text.split('.');
  return Number(whole) * 1e8 + Number(frac.padEnd(8, '0').slice(0, 8));
}

/**
 * The rule text of the worked answer, computed independently of the engine in exact integer arithmetic from the
 * CSV text: fast > slow  ⇔  30·sum10 > 10·sum30. A cross at bar t's close trades 100 shares at bar t+1's open;
 * long only; a position open at the end stays open (and is no trade).
 */
function referenceTrades(csvText: string): RefTrade[] {
  const rows = csvText.trim().split('\n').slice(1).map((l) => l.split(','));
  const date = rows.map((r) => r[0] as string);
  const open = rows.map((r) => pu(r[1] as string));
  const close = rows.map((r) => pu(r[4] as string));
  const sum = (end: number, n: number): number => close.slice(end - n + 1, end + 1).reduce((a, b) => a + b, 0);
  const above = (t: number): boolean => 3 * sum(t, 10) > sum(t, 30);
  const trades: RefTrade[] = [];
  let entry = -1;
  for (let t = 30; t + 1 < close.length; t++) {
    const up = above(t) && !above(t - 1);
    const down = 3 * sum(t, 10) < sum(t, 30) && !(3 * sum(t - 1, 10) < sum(t - 1, 30));
    if (up && entry < 0) entry = t + 1;
    else if (down && entry >= 0) {
      const [a, b] = [open[entry] as number, open[t + 1] as number];
      trades.push({ entry_bar: entry, entry_date: date[entry], entry_price: a / 1e8, exit_bar: t + 1, exit_date: date[t + 1], exit_price: b / 1e8, pnl: (100 * (b - a)) / 1e8 });
      entry = -1;
    }
  }
  return trades;
}

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

  it('makes the expected trades: all 73, each matching the rule worked out exactly from the bars', () => {
    const want = referenceTrades(readFileSync(sharedData('NVDA-1999-2014.csv'), 'utf8'));
    // The reference must itself agree with the worked answer where it lists trades.
    expect(want).toHaveLength(expected.tradeCount);
    expected.firstTrades.forEach((e, i) => expect(want[i]).toEqual(refOf(e)));
    expect(want[want.length - 1]).toEqual({ ...refOf(expected.lastTrade), entry_date: want[want.length - 1]?.entry_date, exit_date: want[want.length - 1]?.exit_date });
    expect(result.trades).toHaveLength(expected.tradeCount);
    result.trades.forEach((t, i) => {
      const e = want[i] as RefTrade;
      expect({ i, entryBar: t.entryBar, exitBar: t.exitBar, entryDate: day(t.entryTime), exitDate: day(t.exitTime), entryPu: toPu(t.entryPrice), exitPu: toPu(t.exitPrice), quantity: t.quantity })
        .toEqual({ i, entryBar: e.entry_bar, exitBar: e.exit_bar, entryDate: e.entry_date, exitDate: e.exit_date, entryPu: toPu(e.entry_price), exitPu: toPu(e.exit_price), quantity: 100 });
      closeRel(t.pnl, e.pnl);
    });
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
