// Slippage and commission as the simulated exchange applies them: slippage only on taker fills (market,
// stop, trailing), always against the trader, never outside the bar's [low, high]; commission per fill with
// per-order fees once. Driven through a real OMS and SimulatedExchange (venueRig), then end to end.

import { describe, expect, it } from 'vitest';
import { parseCommission } from '../../../../../src/execution/venues/sim/commission.js';
import { parseSlippage } from '../../../../../src/execution/venues/sim/slippage.js';
import type { OrderRequest } from '../../../../../src/model/types.js';
import { bar, day, runScript, venueRig, type Row, type VenueRig } from '../../../engine/fixtures.js';

const DECIDE: Row = [100, 101, 99, 100];
const NEXT: Row = [100, 102, 98, 101];

/** Submits `req` after bar 0 and meets it with `next` as bar 1. */
function oneOrder(rig: VenueRig, req: Omit<OrderRequest, 'symbol'>, next: Row = NEXT): void {
  rig.exchange.onBar(bar(day(0), DECIDE));
  rig.oms.submit(rig.oms.create({ symbol: 'AAA', ...req }, null));
  rig.exchange.onBar(bar(day(1), next));
}

describe('slippage at the exchange', () => {
  it('moves a market buy up: bps:100 on open 100 → 101, cost 1.00 × 10 recorded on the fill', () => {
    const rig = venueRig({ slippage: parseSlippage('bps:100') });
    oneOrder(rig, { side: 'buy', quantity: 10 });
    expect(rig.fills.map((f) => [f.price, f.slippagePu, f.liquidity])).toEqual([[101, 1_000_000_000, 'taker']]);
  });

  it('moves a market sell down: bps:100 on open 100 → 99', () => {
    const rig = venueRig({ slippage: parseSlippage('bps:100') });
    oneOrder(rig, { side: 'sell', quantity: 10 });
    expect(rig.fills.map((f) => [f.price, f.slippagePu])).toEqual([[99, 1_000_000_000]]);
  });

  it('never leaves the bar range: bps:500 buy caps at the high, sell at the low', () => {
    const buy = venueRig({ slippage: parseSlippage('bps:500') });
    oneOrder(buy, { side: 'buy', quantity: 10 });
    // 100 + 5 = 105 > high 102 → 102; cost (102 − 100) × 10 = 20.
    expect(buy.fills.map((f) => [f.price, f.slippagePu])).toEqual([[102, 2_000_000_000]]);
    const sell = venueRig({ slippage: parseSlippage('bps:500') });
    oneOrder(sell, { side: 'sell', quantity: 10 });
    expect(sell.fills.map((f) => [f.price, f.slippagePu])).toEqual([[98, 2_000_000_000]]);
  });

  it('applies to stop fills: stop 101 + 1% = 102.01', () => {
    const rig = venueRig({ slippage: parseSlippage('bps:100') });
    oneOrder(rig, { side: 'buy', quantity: 10, type: 'stop', stopPrice: 101 }, [100, 104, 98, 103]);
    // 1.01 × 10 = 10.10 of slippage.
    expect(rig.fills.map((f) => [f.price, f.slippagePu])).toEqual([[102.01, 1_010_000_000]]);
  });

  it('applies to trailing-stop fills', () => {
    const rig = venueRig({ slippage: parseSlippage('ticks:5') });
    // Reference 100 (bar 0 close), stop 99; bar 1 low 98 → 99 − 0.05 = 98.95.
    oneOrder(rig, { side: 'sell', quantity: 10, type: 'trailing-stop', trailAmount: 1 });
    expect(rig.fills.map((f) => [f.price, f.slippagePu])).toEqual([[98.95, 50_000_000]]);
  });

  it('never applies to limit fills', () => {
    const rig = venueRig({ slippage: parseSlippage('bps:100') });
    oneOrder(rig, { side: 'buy', quantity: 10, type: 'limit', limitPrice: 99 });
    expect(rig.fills.map((f) => [f.price, f.slippagePu, f.liquidity])).toEqual([[99, 0, 'maker']]);
  });

  it('never applies to stop-limit fills', () => {
    const rig = venueRig({ slippage: parseSlippage('bps:100') });
    oneOrder(rig, { side: 'buy', quantity: 10, type: 'stop-limit', stopPrice: 101, limitPrice: 101.5 });
    expect(rig.fills.map((f) => [f.price, f.slippagePu, f.liquidity])).toEqual([[101, 0, 'maker']]);
  });

  it('spread: half the last quoted spread, buys at the ask side and sells at the bid side', () => {
    const buy = venueRig({ slippage: parseSlippage('spread') });
    buy.exchange.onQuote({ symbol: 'AAA', ts: day(0), bid: 99.98, ask: 100.02, bidSize: 100, askSize: 100 });
    oneOrder(buy, { side: 'buy', quantity: 10 });
    expect(buy.fills.map((f) => f.price)).toEqual([100.02]);
    const sell = venueRig({ slippage: parseSlippage('spread') });
    sell.exchange.onQuote({ symbol: 'AAA', ts: day(0), bid: 99.98, ask: 100.02, bidSize: 100, askSize: 100 });
    oneOrder(sell, { side: 'sell', quantity: 10 });
    expect(sell.fills.map((f) => f.price)).toEqual([99.98]);
  });

  it('spread without a quote uses half the given bps: spread:10 → +0.05', () => {
    const rig = venueRig({ slippage: parseSlippage('spread:10') });
    oneOrder(rig, { side: 'buy', quantity: 10 });
    expect(rig.fills.map((f) => f.price)).toEqual([100.05]);
  });

  it('volume-share uses the bar’s volume: 0.1 × (100 / 1000)² × 100 = 0.10', () => {
    const rig = venueRig({ slippage: parseSlippage('volume-share:0.1') });
    oneOrder(rig, { side: 'buy', quantity: 100 }, [100, 102, 98, 101, 1000]);
    expect(rig.fills.map((f) => [f.price, f.slippagePu])).toEqual([[100.1, 1_000_000_000]]);
  });

  it("with fillOn 'close' stays inside the deciding bar's range", () => {
    const rig = venueRig({ slippage: parseSlippage('bps:500'), fillOn: 'close' });
    rig.exchange.onBar(bar(day(0), DECIDE));
    rig.oms.submit(rig.oms.create({ symbol: 'AAA', side: 'buy', quantity: 10 }, null));
    // Close 100 + 5% = 105 > high 101 → 101.
    expect(rig.fills.map((f) => [f.price, f.ts])).toEqual([[101, day(0)]]);
  });
});

describe('commission at the exchange', () => {
  it('charges a fixed fee once per order across partial fills', () => {
    const rig = venueRig({ commission: parseCommission('fixed:1'), volumeLimitPct: 10 });
    rig.exchange.onBar(bar(day(0), DECIDE));
    rig.oms.submit(rig.oms.create({ symbol: 'AAA', side: 'buy', quantity: 250 }, null));
    for (let i = 1; i <= 3; i++) rig.exchange.onBar(bar(day(i), [100, 101, 99, 100, 1000]));
    expect(rig.fills.map((f) => [f.quantity, f.commissionPu])).toEqual([
      [100, 100_000_000],
      [100, 0],
      [50, 0],
    ]);
  });

  it('charges per-share commission on each partial fill with its own minimum', () => {
    const rig = venueRig({ commission: parseCommission('per-share:0.005:min=1'), volumeLimitPct: 10 });
    rig.exchange.onBar(bar(day(0), DECIDE));
    rig.oms.submit(rig.oms.create({ symbol: 'AAA', side: 'buy', quantity: 250 }, null));
    for (let i = 1; i <= 3; i++) rig.exchange.onBar(bar(day(i), [100, 101, 99, 100, 1000]));
    // 100 × 0.005 = 0.50 → 1.00 each; 50 × 0.005 = 0.25 → 1.00.
    expect(rig.fills.map((f) => f.commissionPu)).toEqual([100_000_000, 100_000_000, 100_000_000]);
  });

  it('commission is on the slipped price: percent:1 of 10 × 101 = 10.10', () => {
    const rig = venueRig({ commission: parseCommission('percent:1'), slippage: parseSlippage('bps:100') });
    oneOrder(rig, { side: 'buy', quantity: 10 });
    expect(rig.fills.map((f) => f.commissionPu)).toEqual([1_010_000_000]);
  });
});

describe('costs end to end', () => {
  it('commission and slippage reduce cash and the trade’s pnl exactly', () => {
    const rows: Row[] = [
      [100, 101, 99, 100],
      [100, 102, 98, 101],
      [105, 106, 103, 104],
    ];
    const run = runScript(
      rows,
      { 0: (ctx) => void ctx.buy('AAA', 10), 1: (ctx) => void ctx.sell('AAA', 10) },
      { commission: 'per-share:0.01:min=1', slippage: 'bps:100' },
    );
    // Buy at 100 + 1% = 101, sell at 105 − 1.05 = 103.95 (≥ low 103); 1.00 commission each.
    expect(run.fills.map((f) => [f.price, f.commissionPu, f.slippagePu])).toEqual([
      [101, 100_000_000, 1_000_000_000],
      [103.95, 100_000_000, 1_050_000_000],
    ]);
    // pnl = (103.95 − 101) × 10 − 2 = 27.5; slippage 10 + 10.5 = 20.5.
    expect(run.result.trades[0]).toMatchObject({ pnl: 27.5, commission: 2, slippage: 20.5 });
    // 1 000 000 − 1010 − 1 + 1039.5 − 1 = 1 000 027.5.
    expect(run.result.finalCash).toBe('1000027.5');
    expect(run.result.metrics.commissions).toBe(2);
    expect(run.result.metrics.slippage).toBe(20.5);
  });
});
