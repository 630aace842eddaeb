// The one spec parser (engine/specs.ts): texts are kept as written, bad specs fail with coded errors naming the
// part, and a commission spec builds a fresh model per run (a tiered rate counts only that run's shares).

import { describe, expect, it } from 'vitest';
import { defaultBacktestSize, parseCommissionSpec, parseSize, parseSlippageSpec, parseTradingSpecs } from '../../../src/engine/specs.js';
import type { CommissionInput } from '../../../src/execution/venues/sim/commission.js';
import { expectCode } from '../../helpers/errors.js';

function fill(quantity: number, ts = Date.UTC(2024, 0, 2)): CommissionInput {
  return { quantity, pricePu: 100e8, notionalPu: BigInt(quantity) * 10_000_000_000n, firstFillOfOrder: true, ts };
}

describe('engine/specs', () => {
  it('keeps each text as written and fills the backtest defaults', () => {
    const s = parseTradingSpecs({ size: '10%', slippage: 'bps:2' });
    expect([s.size.text, s.commission.text, s.slippage.text]).toEqual(['10%', 'none', 'bps:2']);
    expect(s.size.sizer.spec).toBe('10%');
    expect(s.slippage.model.spec).toBe('bps:2');
  });

  it('defaults the size to the account split evenly over the traded symbols: all in for one symbol', () => {
    expect(parseTradingSpecs({}).size.text).toBe('100%');
    expect(parseTradingSpecs({}, 4).size.text).toBe('equal:4');
    expect(defaultBacktestSize(1)).toBe('100%');
    // $100,000 at $50 is 2,000 shares for one symbol and 500 (a quarter of the account) for each of four.
    const input = { symbol: 'A', price: 50, equity: 100_000, cash: 100_000, lotSize: 1, activeSymbols: () => ['A'] };
    expect(parseTradingSpecs({}).size.sizer.size(input)).toBe(2000);
    expect(parseTradingSpecs({}, 4).size.sizer.size(input)).toBe(500);
    expect(parseTradingSpecs({ size: '100' }, 4).size.sizer.size(input)).toBe(100);
  });

  it('a tiered commission model built twice starts each run at the first tier', () => {
    const spec = parseCommissionSpec('tiered:0.01@100,0.001');
    const first = spec.build();
    expect(first.commissionPu(fill(100))).toBe(100_000_000n); // 100 × 0.01
    expect(first.commissionPu(fill(100))).toBe(10_000_000n); // past 100 shares this month: 100 × 0.001
    expect(spec.build().commissionPu(fill(100))).toBe(100_000_000n);
  });

  it('rejects bad specs with PI5_ERR_BAD_USAGE', () => {
    expectCode(() => parseSize('kelly:2'), 'PI5_ERR_BAD_USAGE');
    expectCode(() => parseCommissionSpec('tiered:0.01@x'), 'PI5_ERR_BAD_USAGE');
    expectCode(() => parseSlippageSpec('bps:-1'), 'PI5_ERR_BAD_USAGE');
    expectCode(() => parseTradingSpecs({ size: '10%', commission: 'nope' }), 'PI5_ERR_BAD_USAGE');
  });
});
