// Invariants of every sizer over random accounts, prices, lots and bar histories: whole lots, never negative,
// never more than max(cash, 0) × leverage, and never smaller for a larger equity with all else equal.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSizeSpec, type PriceHistory, type SizingInput, type TradeOutcome } from '../../../src/risk/sizing/index.js';

const SPECS = [
  '100',
  '10%',
  '150%',
  '$5000',
  'risk:1%',
  'vol:15%:atr:20',
  'vol:15%:stdev:20',
  'kelly:0.5:cap=20%',
  'kelly:1:cap=100%:winRate=60%:payoff=2',
  'risk-parity:20',
  'risk-parity:atr:10',
  'equal',
  'equal:3',
] as const;
const LOTS = [1, 10, 100, 0.1, 0.01] as const;

/** A random walk of `n` bars from `start`, with high/low around each close. */
function walk(steps: readonly number[], start: number): PriceHistory {
  const rows: Array<[number, number, number]> = [];
  let c = start;
  for (const s of steps) {
    c = Math.max(0.01, c * (1 + s));
    rows.push([c * (1 + Math.abs(s) / 2), c * (1 - Math.abs(s) / 2), c]);
  }
  const pick = (ago: number, k: 0 | 1 | 2): number => (rows[rows.length - 1 - ago] as [number, number, number])[k];
  return { timeframe: '1d', length: rows.length, high: (a = 0) => pick(a, 0), low: (a = 0) => pick(a, 1), close: (a = 0) => pick(a, 2) };
}

const step = fc.double({ min: -0.2, max: 0.2, noNaN: true });
const arbInput = fc.record({
  spec: fc.constantFrom(...SPECS),
  price: fc.double({ min: 0.01, max: 10_000, noNaN: true }),
  equity: fc.double({ min: 0, max: 1e7, noNaN: true }),
  cash: fc.double({ min: -1e5, max: 1e7, noNaN: true }),
  leverage: fc.double({ min: 0.1, max: 4, noNaN: true }),
  lotSize: fc.constantFrom(...LOTS),
  stopOffset: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
  own: fc.array(step, { minLength: 0, maxLength: 40 }),
  peer: fc.array(step, { minLength: 0, maxLength: 40 }),
  pnls: fc.array(fc.double({ min: -500, max: 500, noNaN: true }), { maxLength: 40 }),
});
type Case = typeof arbInput extends fc.Arbitrary<infer T> ? T : never;

function input(c: Case, equity = c.equity): SizingInput {
  const own = walk(c.own, c.price);
  const peer = walk(c.peer, 50);
  const trades: TradeOutcome[] = c.pnls.map((pnl) => ({ pnl, quantity: 10, entryPrice: 100 }));
  return {
    symbol: 'AAA',
    price: c.price,
    equity,
    cash: c.cash,
    leverage: c.leverage,
    lotSize: c.lotSize,
    stopPrice: c.price * (1 + c.stopOffset),
    history: own,
    historyOf: (s) => (s === 'BBB' ? peer : undefined),
    activeSymbols: () => ['AAA', 'BBB'],
    closedTrades: () => trades,
  };
}

describe('sizer invariants', () => {
  it('every sizer gives a finite, non-negative whole number of lots', () => {
    fc.assert(
      fc.property(arbInput, (c) => {
        const q = parseSizeSpec(c.spec).size(input(c));
        expect(Number.isFinite(q) && q >= 0).toBe(true);
        const lots = q / c.lotSize;
        expect(Math.abs(lots - Math.round(lots))).toBeLessThan(1e-6);
      }),
      { numRuns: 500 },
    );
  });

  it('no sizer spends more than max(cash, 0) × leverage', () => {
    fc.assert(
      fc.property(arbInput, (c) => {
        const q = parseSizeSpec(c.spec).size(input(c));
        expect(q * c.price).toBeLessThanOrEqual(Math.max(0, c.cash) * c.leverage);
      }),
      { numRuns: 500 },
    );
  });

  it('more equity never means a smaller position (cash, price and history held fixed)', () => {
    fc.assert(
      fc.property(arbInput, fc.double({ min: 0, max: 1e7, noNaN: true }), (c, extra) => {
        const s = parseSizeSpec(c.spec);
        expect(s.size(input(c, c.equity + extra))).toBeGreaterThanOrEqual(s.size(input(c)));
      }),
      { numRuns: 500 },
    );
  });

  it('without a leverage allowance nothing is capped, and the result is still whole, non-negative lots', () => {
    fc.assert(
      fc.property(arbInput, (c) => {
        const { leverage: _ignored, ...uncapped } = input(c);
        const q = parseSizeSpec(c.spec).size(uncapped);
        expect(q).toBeGreaterThanOrEqual(parseSizeSpec(c.spec).size(input(c)));
        expect(q >= 0 && Number.isFinite(q)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
