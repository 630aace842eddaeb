// Slippage models parsed from a spec string: the adverse move (≥ 0, whole pu) from the rule price.

import { describe, expect, it } from 'vitest';
import { isPi5Error } from '../../../../../src/core/errors.js';
import { parseSlippage, type SlippageInput } from '../../../../../src/execution/venues/sim/slippage.js';

/** A buy of `quantity` at 100.00 (1e10 pu) on a bar of volume 1000, tick 0.01, no quote. */
function input(o: Partial<SlippageInput> = {}): SlippageInput {
  return { side: 'buy', pricePu: 10_000_000_000, quantity: 100, barVolume: 1000, tickPu: 1_000_000, spreadPu: NaN, ...o };
}

describe('parseSlippage', () => {
  it('none (the default) slips nothing', () => {
    expect(parseSlippage().slippagePu(input())).toBe(0);
    expect(parseSlippage('none').slippagePu(input())).toBe(0);
  });

  it('bps:10 slips 0.1% of the price: 100.00 → 0.10', () => {
    expect(parseSlippage('bps:10').slippagePu(input())).toBe(10_000_000);
  });

  it('bps rounds to whole pu', () => {
    // 123.45 × 3 / 10 000 = 0.037035 exactly → 3 703 500 pu; 0.00000333 × 1 bp = 0.000333 pu → 0.
    expect(parseSlippage('bps:3').slippagePu(input({ pricePu: 12_345_000_000 }))).toBe(3_703_500);
    expect(parseSlippage('bps:1').slippagePu(input({ pricePu: 333 }))).toBe(0);
  });

  it('ticks:2 slips two ticks of the instrument', () => {
    expect(parseSlippage('ticks:2').slippagePu(input())).toBe(2_000_000);
    // Four decimals: a tick is 10 000 pu.
    expect(parseSlippage('ticks:2').slippagePu(input({ tickPu: 10_000 }))).toBe(20_000);
  });

  it('volume-share:K slips K × (qty / volume)² × price', () => {
    // 0.1 × (100 / 1000)² × 100.00 = 0.1; default K is 0.1.
    expect(parseSlippage('volume-share:0.1').slippagePu(input())).toBe(10_000_000);
    expect(parseSlippage('volume-share').slippagePu(input())).toBe(10_000_000);
    // 0.5 × (200 / 1000)² × 100.00 = 2.00.
    expect(parseSlippage('volume-share:0.5').slippagePu(input({ quantity: 200 }))).toBe(200_000_000);
  });

  it('volume-share caps the share at 1 (quantity above the volume, or no volume)', () => {
    expect(parseSlippage('volume-share:0.1').slippagePu(input({ quantity: 5000 }))).toBe(1_000_000_000);
    expect(parseSlippage('volume-share:0.1').slippagePu(input({ barVolume: 0 }))).toBe(1_000_000_000);
  });

  it('sqrt-impact:K slips K × √(qty / volume) × price', () => {
    // 0.1 × √(100 / 10 000) × 100.00 = 0.1 × 0.1 × 100 = 1.00.
    expect(parseSlippage('sqrt-impact:0.1').slippagePu(input({ barVolume: 10_000 }))).toBe(100_000_000);
    // Default K 0.1; √(100 / 1000) = 0.316227766… → 3.16227766 → 316 227 766 pu.
    expect(parseSlippage('sqrt-impact').slippagePu(input())).toBe(316_227_766);
  });

  it('spread slips half the quoted spread when there is a quote', () => {
    // bid 99.98, ask 100.02: spread 0.04 → 0.02.
    expect(parseSlippage('spread').slippagePu(input({ spreadPu: 4_000_000 }))).toBe(2_000_000);
    expect(parseSlippage('spread:10').slippagePu(input({ spreadPu: 4_000_000 }))).toBe(2_000_000);
  });

  it('spread without a quote slips half of the given bps (0 without one)', () => {
    // spread:10 → half of 10 bps of 100.00 = 0.05.
    expect(parseSlippage('spread:10').slippagePu(input())).toBe(5_000_000);
    expect(parseSlippage('spread').slippagePu(input())).toBe(0);
  });

  it('is the same size for buys and sells (the exchange applies the direction)', () => {
    for (const spec of ['bps:10', 'ticks:3', 'volume-share:0.2', 'sqrt-impact:0.05', 'spread:4']) {
      const m = parseSlippage(spec);
      expect(m.slippagePu(input({ side: 'sell' }))).toBe(m.slippagePu(input({ side: 'buy' })));
      expect(m.slippagePu(input())).toBeGreaterThanOrEqual(0);
    }
  });

  for (const spec of ['bogus', 'bps', 'bps:', 'bps:-1', 'bps:x', 'ticks:-2', 'volume-share:abc', 'spread:-5']) {
    it(`rejects ${JSON.stringify(spec)} with PI5_ERR_BAD_USAGE naming the spec`, () => {
      let caught: unknown = null;
      try {
        parseSlippage(spec);
      } catch (e) {
        caught = e;
      }
      expect(isPi5Error(caught)).toBe(true);
      if (!isPi5Error(caught)) return;
      expect(caught.code).toBe('PI5_ERR_BAD_USAGE');
      expect(caught.message).toContain(JSON.stringify(spec));
      expect(caught.details['field']).toBe('slippage');
    });
  }
});
