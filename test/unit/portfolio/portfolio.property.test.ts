// Portfolio invariants under random sequences of fills and marks (fast-check), checked after every event:
//   cash + Σ quantity × last price = equity()
//   equity − starting cash = Σ closed-trade pnl + Σ unrealized P&L − commissions carried by open positions
// (a trade's pnl is net of its entry and exit commission; an open position's entry commission is already
// out of cash but not yet in any trade). Exact versions hold in pu.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Portfolio } from '../../../src/portfolio/portfolio.js';
import { makeFill } from '../engine/fixtures.js';

const SYMBOLS = ['AAA', 'BBB', 'CCC'] as const;
const START = 1_000_000;

type Event =
  | { readonly kind: 'fill'; readonly symbol: string; readonly side: 'buy' | 'sell'; readonly quantity: number; readonly cents: number; readonly commissionCents: number }
  | { readonly kind: 'mark'; readonly symbol: string; readonly cents: number };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  fc.record({
    kind: fc.constant('fill' as const),
    symbol: fc.constantFrom(...SYMBOLS),
    side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
    quantity: fc.integer({ min: 1, max: 500 }),
    cents: fc.integer({ min: 1, max: 50_000 }),
    commissionCents: fc.integer({ min: 0, max: 500 }),
  }),
  fc.record({ kind: fc.constant('mark' as const), symbol: fc.constantFrom(...SYMBOLS), cents: fc.integer({ min: 1, max: 50_000 }) }),
);

function apply(p: Portfolio, e: Event, i: number): void {
  if (e.kind === 'mark') p.mark(e.symbol, e.cents / 100);
  else p.applyFill(makeFill(e.side, e.quantity, e.cents / 100, { symbol: e.symbol, commission: e.commissionCents / 100, ts: i }), i);
}

describe('Portfolio invariants (property)', () => {
  it('cash + Σ quantity × last price = equity() after every event', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
        const p = new Portfolio(START);
        events.forEach((e, i) => {
          apply(p, e, i);
          let marked = p.cash();
          for (const s of SYMBOLS) {
            const v = p.view(s);
            if (v.quantity !== 0) marked += v.quantity * v.lastPrice;
          }
          expect(Math.abs(marked - p.equity())).toBeLessThanOrEqual(1e-6);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('equity − starting cash = Σ trade pnl + Σ unrealized − carried entry commissions after every event', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
        const p = new Portfolio(START);
        events.forEach((e, i) => {
          apply(p, e, i);
          const closed = p.trades.reduce((a, t) => a + t.pnl, 0);
          const closedCommission = p.trades.reduce((a, t) => a + t.commission, 0);
          const unrealized = SYMBOLS.reduce((a, s) => a + p.view(s).unrealizedPnl, 0);
          const carried = p.totals().commissions - closedCommission;
          expect(Math.abs(p.equity() - START - (closed + unrealized - carried))).toBeLessThanOrEqual(1e-6);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('realized P&L per symbol equals the sum of its closed trades, and quantities match the signed fills', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
        const p = new Portfolio(START);
        const net = new Map<string, number>();
        events.forEach((e, i) => {
          apply(p, e, i);
          if (e.kind === 'fill') net.set(e.symbol, (net.get(e.symbol) ?? 0) + (e.side === 'buy' ? e.quantity : -e.quantity));
        });
        for (const s of SYMBOLS) {
          expect(p.quantity(s)).toBe(net.get(s) ?? 0);
          const fromTrades = p.trades.filter((t) => t.symbol === s).reduce((a, t) => a + t.pnl, 0);
          expect(p.view(s).realizedPnl).toBeCloseTo(fromTrades, 6);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('when every position is flat, cash − starting cash = Σ trade pnl exactly to the pu', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 40 }), (events) => {
        const p = new Portfolio(START);
        events.forEach((e, i) => apply(p, e, i));
        // Flatten everything at a fixed price, then compare exactly in pu (pnl floats come from exact pu).
        SYMBOLS.forEach((s, k) => {
          const q = p.quantity(s);
          if (q !== 0) p.applyFill(makeFill(q > 0 ? 'sell' : 'buy', Math.abs(q), 123.45, { symbol: s, commission: 0.01 }), 1000 + k);
        });
        expect(p.hasOpenPositions()).toBe(false);
        const pnlPu = p.trades.reduce((a, t) => a + BigInt(Math.round(t.pnl * 1e8)), 0n);
        const diff = p.cashExactPu() - BigInt(START) * 100_000_000n - pnlPu;
        // Each trade's pnl float converts back to its pu within rounding; allow 1 pu per trade.
        expect(Number(diff < 0n ? -diff : diff)).toBeLessThanOrEqual(p.trades.length);
      }),
      { numRuns: 200 },
    );
  });
});
