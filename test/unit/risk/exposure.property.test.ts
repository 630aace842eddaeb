// Property: whatever orders a strategy sends, the ones the pre-trade checks accept never take gross exposure
// or any position's notional past its limit at the prices the checks use (constant prices here, so every
// fill happens at the last price and marketable limits fill there too). Orders go in after every symbol's bar
// of a step, so the checks know each price (before a symbol's first bar a sell limit is judged at its limit).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../src/model/types.js';
import { runScript, series, type Action, type Row } from '../engine/fixtures.js';
import { parseRiskSpec } from '../../../src/engine/riskSpec.js';

const PRICES: Readonly<Record<string, number>> = { AAA: 50, BBB: 20 };
const BARS = 6;

const orderArb = fc.record({
  symbol: fc.constantFrom('AAA', 'BBB'),
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  quantity: fc.integer({ min: 1, max: 3000 }),
  // 0: market; otherwise a limit this many percent away from the price (marketable or resting).
  offsetPct: fc.constantFrom(0, -20, -5, 5, 20),
});

interface Generated {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly offsetPct: number;
}

function request(o: Generated): OrderRequest {
  const p = PRICES[o.symbol] as number;
  if (o.offsetPct === 0) return { symbol: o.symbol, side: o.side, quantity: o.quantity };
  return { symbol: o.symbol, side: o.side, quantity: o.quantity, type: 'limit', limitPrice: (p * (100 + o.offsetPct)) / 100 };
}

describe('accepted orders never push exposure past a limit', () => {
  it('gross exposure ≤ maxGrossExposure and |position| × price ≤ maxPositionNotional after every bar', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(orderArb, { maxLength: 5 }), { minLength: BARS, maxLength: BARS }),
        fc.integer({ min: 5_000, max: 200_000 }),
        fc.integer({ min: 2_000, max: 100_000 }),
        (perBar, maxGross, maxNotional) => {
          const violations: string[] = [];
          const actions: Record<number, Action> = {};
          perBar.forEach((orders, i) => {
            actions[i] = (ctx) => {
              let gross = 0;
              for (const [sym, p] of Object.entries(PRICES)) {
                const n = Math.abs(ctx.position(sym)) * p;
                gross += n;
                if (n > maxNotional + 1e-6) violations.push(`bar ${i}: ${sym} notional ${n} > ${maxNotional}`);
              }
              if (gross > maxGross + 1e-6) violations.push(`bar ${i}: gross ${gross} > ${maxGross}`);
              for (const o of orders) ctx.submit(request(o));
            };
          });
          const flat = (p: number): Row[] => Array.from({ length: BARS + 1 }, () => [p, p, p, p] as const);
          runScript([series(flat(50), { symbol: 'AAA' }), series(flat(20), { symbol: 'BBB' })], actions, {
            cash: 100_000,
            limits: { maxLeverage: 10 },
            risk: parseRiskSpec({ global: { maxGrossExposure: maxGross, maxPositionNotional: maxNotional } }),
          }, { afterAllBars: true });
          expect(violations).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
