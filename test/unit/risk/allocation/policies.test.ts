// Each allocation policy's weights on small made-up series, checked by hand.

import { describe, expect, it } from 'vitest';
import {
  adaptiveKellyPolicy,
  equalWeightPolicy,
  performanceWeightedPolicy,
  riskParityPolicy,
  sharpeWeightedPolicy,
  trailingReturn,
  trailingSharpe,
  type PolicyOptions,
  type StrategyTrack,
} from '../../../../src/risk/allocation/policies/index.js';
import type { TradeOutcome } from '../../../../src/risk/sizing/types.js';

const OPTS: PolicyOptions = { lookback: 2, minHistory: 2, kelly: { fraction: 0.5, capPct: 25, minTrades: 4 } };
const track = (id: string, returns: number[], trades: TradeOutcome[] = []): StrategyTrack => ({ id, returns, trades });
/** A trade of 1 share entered at 100 with return r (pnl = 100 r). */
const trade = (r: number): TradeOutcome => ({ quantity: 1, entryPrice: 100, pnl: 100 * r });

function close(actual: number[] | null, expected: number[]): void {
  expect(actual).not.toBeNull();
  expect(actual?.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual?.[i]).toBeCloseTo(e, 10));
}

describe('allocation policies', () => {
  it('equal weight gives 1/n whatever the record', () => {
    close(equalWeightPolicy([track('a', []), track('b', [0.5]), track('c', [-1])], OPTS), [1 / 3, 1 / 3, 1 / 3]);
  });

  it('performance weights by compounded trailing return, a loser floored at 0', () => {
    // a: 1.1 × 1.1 − 1 = 0.21; b: 0.9 × 1.05 − 1 = −0.055 → 0; c: 1.05 × 1 − 1 = 0.05. Sum 0.26.
    expect(trailingReturn([0.1, 0.1])).toBeCloseTo(0.21, 12);
    const w = performanceWeightedPolicy([track('a', [0.1, 0.1]), track('b', [-0.1, 0.05]), track('c', [0.05, 0])], OPTS);
    close(w, [0.21 / 0.26, 0, 0.05 / 0.26]);
  });

  it('performance reads only the last `lookback` returns', () => {
    // The −50% three steps ago is outside the window of 2: a and b are alike.
    close(performanceWeightedPolicy([track('a', [-0.5, 0.1, 0.1]), track('b', [0.1, 0.1])], OPTS), [0.5, 0.5]);
  });

  it('Sharpe weights by mean ÷ sample stdev, a flat series (no Sharpe) and a negative one at 0', () => {
    // a: mean 0.02, sd √((0.01² + 0.01²)/1) = 0.0141421 → √2; c: mean 0.01, same sd → √2/2; b flat → 0; d < 0 → 0.
    expect(trailingSharpe([0.01, 0.03])).toBeCloseTo(Math.SQRT2, 10);
    const w = sharpeWeightedPolicy([track('a', [0.01, 0.03]), track('b', [0.02, 0.02]), track('c', [0, 0.02]), track('d', [-0.03, -0.01])], OPTS);
    close(w, [2 / 3, 0, 1 / 3, 0]);
  });

  it('risk parity weights by inverse volatility; a strategy without volatility keeps 1/n', () => {
    // σa = 0.0141421, σb = 0.0282843: 1/σ in ratio 2 : 1.
    close(riskParityPolicy([track('a', [0.01, -0.01]), track('b', [0.02, -0.02])], OPTS), [2 / 3, 1 / 3]);
    // c has not traded (flat): it keeps 1/3; a and b share the other 2/3 as 2 : 1.
    close(riskParityPolicy([track('a', [0.01, -0.01]), track('b', [0.02, -0.02]), track('c', [0, 0])], OPTS), [4 / 9, 2 / 9, 1 / 3]);
  });

  it('adaptive Kelly: fractional Kelly per strategy, capped, then normalized', () => {
    // a: W = 3/4, R = 0.1/0.05 = 2, f* = 0.75 − 0.25/2 = 0.625, half = 0.3125, cap 0.25.
    // b: W = 1/2, R = 1, f* = 0 (no edge). c: W = 1/2, R = 0.15/0.05 = 3, f* = 0.5 − 0.5/3 = 1/3, half = 1/6.
    const a = [trade(0.1), trade(0.1), trade(0.1), trade(-0.05)];
    const b = [trade(0.1), trade(-0.1), trade(0.1), trade(-0.1)];
    const c = [trade(0.15), trade(-0.05), trade(0.15), trade(-0.05)];
    const w = adaptiveKellyPolicy([track('a', [], a), track('b', [], b), track('c', [], c)], OPTS);
    close(w, [0.25 / (0.25 + 1 / 6), 0, 1 / 6 / (0.25 + 1 / 6)]);
  });

  it('says nothing (null) until every strategy has the history it needs', () => {
    expect(performanceWeightedPolicy([track('a', [0.1, 0.1]), track('b', [0.1])], OPTS)).toBeNull();
    expect(sharpeWeightedPolicy([track('a', [0.1])], OPTS)).toBeNull();
    expect(riskParityPolicy([track('a', [])], OPTS)).toBeNull();
    expect(adaptiveKellyPolicy([track('a', [], [trade(0.1), trade(0.1), trade(0.1)])], OPTS)).toBeNull();
  });

  it('falls back to equal weight when every score is 0 (no strategy is preferred)', () => {
    close(performanceWeightedPolicy([track('a', [-0.1, 0]), track('b', [-0.2, 0.1])], OPTS), [0.5, 0.5]);
  });
});
