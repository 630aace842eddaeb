// Volatility targeting (ATR and stdev of returns) and inverse-volatility risk parity, with the volatility
// worked out by hand from tiny bar histories, and their limits: short history, flat prices, the cap.

import { describe, expect, it } from 'vitest';
import {
  RiskParitySizer,
  VolatilityEstimator,
  VolatilityTargetSizer,
  barVolatility,
  periodsPerYearFor,
  type PriceHistory,
  type SizingInput,
} from '../../../src/risk/sizing/index.js';

function at(o: Partial<SizingInput> = {}): SizingInput {
  return { symbol: 'AAA', price: 100, equity: 100_000, cash: 100_000, lotSize: 1, ...o };
}

/** [high, low, close] bars, oldest first, served newest first like the engine's BarHistory. */
function bars(rows: ReadonlyArray<readonly [number, number, number]>, timeframe = '1d'): PriceHistory {
  const pick = (ago: number, k: 0 | 1 | 2): number => {
    const r = rows[rows.length - 1 - ago];
    if (!r) throw new Error(`bar ${ago} ago is not available`);
    return r[k];
  };
  return { timeframe, length: rows.length, high: (a = 0) => pick(a, 0), low: (a = 0) => pick(a, 1), close: (a = 0) => pick(a, 2) };
}
const closes = (cs: readonly number[]): PriceHistory => bars(cs.map((c) => [c, c, c] as const));
const flat = (n: number, high: number, low: number, close: number): PriceHistory => bars(Array.from({ length: n }, () => [high, low, close] as const));

// Three bars: TR = 101 − 99 = 2 (first bar: high − low), max(4, |104 − 100|, |100 − 100|) = 4,
// max(2, |103 − 103|, |101 − 103|) = 2. ATR(3) = 8/3, relative to the last close 102.
const THREE: Array<[number, number, number]> = [
  [101, 99, 100],
  [104, 100, 103],
  [103, 101, 102],
];

describe('volatility estimates', () => {
  it('ATR over the lookback ÷ last close: (8/3) / 102', () => {
    expect(barVolatility(bars(THREE), 'atr', 3)).toBeCloseTo(8 / 3 / 102, 15);
  });

  it('ATR looks at the last `lookback` bars only: an older bar changes nothing', () => {
    expect(barVolatility(bars([[60, 40, 50], ...THREE]), 'atr', 3)).toBe(barVolatility(bars(THREE), 'atr', 3));
  });

  it('stdev: sample deviation of the returns +2%, −2% (100 → 102 → 99.96) is √0.0008', () => {
    expect(barVolatility(closes([100, 102, 99.96]), 'stdev', 2)).toBeCloseTo(Math.sqrt(0.0008), 12);
  });

  it('is NaN when the history is shorter than the lookback (stdev needs lookback + 1 closes)', () => {
    expect(barVolatility(bars(THREE), 'atr', 4)).toBeNaN();
    expect(barVolatility(closes([100, 102]), 'stdev', 2)).toBeNaN();
  });

  it('annualizes with the timeframe: 252 for daily, 52 for weekly, unless the input overrides it', () => {
    expect(periodsPerYearFor(at(), closes([1]))).toBe(252);
    expect(periodsPerYearFor(at(), bars([[1, 1, 1]], '1w'))).toBe(52);
    expect(periodsPerYearFor(at({ periodsPerYear: 365 }), closes([1]))).toBe(365);
  });
});

describe('VolatilityTargetSizer', () => {
  const atr = (targetPct: number, lookback: number): VolatilityTargetSizer => new VolatilityTargetSizer({ targetPct, method: 'atr', lookback });

  it('ATR: 10% target, σ = (8/3)/102 × √100 → qty = 100 000 × 0.10 / σ / 102 = 10 000 / (8/3 × 10) = 375', () => {
    expect(atr(10, 3).size(at({ price: 102, history: bars(THREE), periodsPerYear: 100 }))).toBe(375);
  });

  it('ATR, daily: constant bars 102/98/100 give ATR 4, σ = 0.04 × √252 = 0.63498 → 15 000 / 63.498 = 236.2 → 236', () => {
    expect(atr(15, 20).size(at({ history: flat(20, 102, 98, 100) }))).toBe(236);
  });

  it('stdev: 10% target, σ = √0.0008 × √50 = 0.2 → 10 000 / 0.2 / 100 = 500', () => {
    const s = new VolatilityTargetSizer({ targetPct: 10, method: 'stdev', lookback: 2 });
    expect(s.size(at({ history: closes([100, 102, 99.96]), periodsPerYear: 50 }))).toBe(500);
  });

  it('twice the volatility gives half the position: range 8 instead of 4 → 118', () => {
    expect(atr(15, 20).size(at({ history: flat(20, 104, 96, 100) }))).toBe(118);
  });

  it('sizes nothing without history, with too little of it, or with flat prices (σ = 0)', () => {
    expect(atr(15, 20).size(at())).toBe(0);
    expect(atr(15, 20).size(at({ history: flat(19, 102, 98, 100) }))).toBe(0);
    expect(atr(15, 20).size(at({ history: flat(20, 100, 100, 100) }))).toBe(0);
    const sd = new VolatilityTargetSizer({ targetPct: 15, method: 'stdev', lookback: 5 });
    expect(sd.size(at({ history: closes([100, 100, 100, 100, 100, 100]) }))).toBe(0);
  });

  it('a calm instrument is capped at buying power: ATR 0.1 wants 9449 shares, cash 100 000 × 1 affords 1000', () => {
    // σ = 0.001 × √252 = 0.0158745 → 100 000 × 0.15 / 0.0158745 / 100 = 9449.1 → 9449 uncapped.
    expect(atr(15, 20).size(at({ history: flat(20, 100.05, 99.95, 100) }))).toBe(9449);
    expect(atr(15, 20).size(at({ history: flat(20, 100.05, 99.95, 100), leverage: 1 }))).toBe(1000);
    expect(atr(15, 20).size(at({ history: flat(20, 100.05, 99.95, 100), leverage: 2 }))).toBe(2000);
  });
});

describe('RiskParitySizer', () => {
  const rp = new RiskParitySizer({ method: 'atr', lookback: 5 });
  // AAA: ATR 2 on 100 → σ 0.02, 1/σ = 50. BBB: ATR 4 on 100 → σ 0.04, 1/σ = 25. Weights 50/75 and 25/75.
  const histories: Record<string, PriceHistory> = { AAA: flat(5, 101, 99, 100), BBB: flat(5, 102, 98, 100), CCC: flat(3, 101, 99, 100) };
  const input = (symbol: string, active: readonly string[], o: Partial<SizingInput> = {}): SizingInput =>
    at({ symbol, history: histories[symbol], historyOf: (s) => histories[s], activeSymbols: () => active, ...o });

  it('weights by inverse volatility: AAA 2/3 of 100 000 at 100 → 666, BBB 1/3 → 333', () => {
    expect(rp.weight(input('AAA', ['AAA', 'BBB']))).toBeCloseTo(2 / 3, 12);
    expect(rp.size(input('AAA', ['AAA', 'BBB']))).toBe(666);
    expect(rp.size(input('BBB', ['AAA', 'BBB']))).toBe(333);
  });

  it('counts the symbol being sized even when the active list leaves it out', () => {
    expect(rp.size(input('BBB', ['AAA']))).toBe(333);
  });

  it('alone, a symbol gets all of equity: 100 000 / 100 = 1000 (and the cap still applies)', () => {
    expect(rp.size(input('AAA', []))).toBe(1000);
    expect(rp.size(input('AAA', [], { cash: 30_000, leverage: 1 }))).toBe(300);
  });

  it('leaves peers without an estimate out of the sum (CCC has 3 of 5 bars; DDD has no history)', () => {
    expect(rp.size(input('AAA', ['AAA', 'CCC', 'DDD']))).toBe(1000);
  });

  it('sizes nothing when the symbol itself has no estimate', () => {
    expect(rp.size(input('CCC', ['AAA', 'CCC']))).toBe(0);
    expect(rp.size(at({ activeSymbols: () => ['AAA'] }))).toBe(0);
  });

  it('stdev weights: returns ±1% vs ±2% → 1/σ in ratio 2 : 1 → 666 and 333', () => {
    const sd = new RiskParitySizer({ method: 'stdev', lookback: 2 });
    const h: Record<string, PriceHistory> = { AAA: closes([100, 101, 99.99]), BBB: closes([100, 102, 99.96]) };
    const i = (symbol: string): SizingInput => at({ symbol, history: h[symbol], historyOf: (s) => h[s], activeSymbols: () => ['AAA', 'BBB'] });
    expect(sd.size(i('AAA'))).toBe(666);
    expect(sd.size(i('BBB'))).toBe(333);
  });
});

describe('VolatilityEstimator', () => {
  /** A growing history with bar times, like the engine's: `len` bars of `all` are visible, `shift` rolls a fixed window. */
  function growing(all: readonly number[]): PriceHistory & { len: number; shift: number } {
    const h = {
      len: 0,
      shift: 0,
      timeframe: '1d',
      get length(): number {
        return h.len;
      },
      time: (a = 0) => h.shift + h.len - 1 - a,
      close: (a = 0) => all[h.shift + h.len - 1 - a] as number,
      high: (a = 0) => (all[h.shift + h.len - 1 - a] as number) + 1,
      low: (a = 0) => (all[h.shift + h.len - 1 - a] as number) - 1,
    };
    return h;
  }
  const prices = Array.from({ length: 80 }, (_, i) => 100 + ((i * 37) % 11) - 5 + i * 0.1);

  it('stdev updated bar by bar (one or several at a time) equals a fresh window, bit for bit', () => {
    const h = growing(prices);
    const est = new VolatilityEstimator('stdev', 10);
    for (const step of [5, 6, 1, 1, 3, 1, 12, 1, 1, 20]) {
      h.len += step;
      expect(est.estimate(h)).toBe(barVolatility(h, 'stdev', 10));
      expect(est.estimate(h)).toBe(barVolatility(h, 'stdev', 10)); // same bar again: from the cache
    }
  });

  it('recomputes when a fixed-length buffer rolls, and for ATR on every new bar', () => {
    const h = growing(prices);
    h.len = 30;
    const sd = new VolatilityEstimator('stdev', 10);
    const atr = new VolatilityEstimator('atr', 10);
    for (let k = 0; k < 5; k++) {
      h.shift = k;
      expect(sd.estimate(h)).toBe(barVolatility(h, 'stdev', 10));
      expect(atr.estimate(h)).toBe(barVolatility(h, 'atr', 10));
    }
  });

  it('gives NaN across a non-positive close, then recovers once it leaves the window', () => {
    const h = growing([100, 101, 0, 102, 103, 104, 105]);
    const est = new VolatilityEstimator('stdev', 2);
    h.len = 4;
    expect(est.estimate(h)).toBeNaN();
    h.len = 7;
    expect(est.estimate(h)).toBe(barVolatility(h, 'stdev', 2));
    expect(est.estimate(h)).toBeGreaterThan(0);
  });
});
