// Pre-trade risk on the order path (OrderGateway): a denial rejects the order, publishes riskDenied (a
// rejection row in the result) and returns null to the strategy; the limits hold for what the account can
// end up holding, not only for each order alone.

import { describe, expect, it } from 'vitest';
import type { OrderStatus } from '../../../src/model/types.js';
import { day, runScript, series, type Action, type Row } from './fixtures.js';
import { parseRiskSpec } from '../../../src/engine/riskSpec.js';

const FLAT: Row[] = [
  [100, 101, 99, 100],
  [100, 101, 99, 100],
  [100, 101, 99, 100],
  [100, 101, 99, 100],
];

describe('pre-trade risk through the order gateway', () => {
  it('a risk denial rejects the order, publishes riskDenied and returns null to the strategy', () => {
    const returned: unknown[] = [];
    const run = runScript(
      [
        [100, 101, 99, 100],
        [100, 101, 99, 100],
      ],
      { 0: (ctx) => void returned.push(ctx.buy('AAA', 100_000)) },
      { cash: 10_000 },
    );
    expect(returned).toEqual([null]);
    expect(run.order(1).status).toBe('rejected');
    expect(run.order(1).rejectReason).toMatch(/^RISK_BUYING_POWER: buy 100000 AAA at ~100/);
    expect(run.statusesOf(1)).toEqual(['rejected'] satisfies OrderStatus[]);
    expect(run.result.rejections).toEqual([
      { time: day(0), symbol: 'AAA', code: 'RISK_BUYING_POWER', message: run.order(1).rejectReason?.replace('RISK_BUYING_POWER: ', '') },
    ]);
  });

  it('maxOpenOrders counts the orders already working', () => {
    const run = runScript(
      [
        [100, 101, 99, 100],
        [100, 101, 99, 100],
      ],
      {
        0: (ctx) => {
          for (let i = 0; i < 3; i++) ctx.submit({ symbol: 'AAA', side: 'buy', quantity: 1, type: 'limit', limitPrice: 50 });
        },
      },
      { limits: { maxOpenOrders: 2 } },
    );
    expect([1, 2, 3].map((id) => run.order(id).status)).toEqual(['accepted', 'accepted', 'rejected']);
    expect(run.result.rejections.map((r) => r.code)).toEqual(['RISK_MAX_OPEN_ORDERS']);
  });

  it('closing orders are admitted with shorts disallowed', () => {
    const run = runScript(FLAT, { 0: (ctx) => void ctx.buy('AAA', 100), 1: (ctx) => void ctx.close('AAA') }, { limits: { allowShort: false } });
    expect(run.order(2).status).toBe('filled');
    expect(run.result.rejections).toEqual([]);
  });

  it('closing orders are admitted even when the position exceeds the buying power', () => {
    // Short 100 at 100 with 10 000 of cash (cash 20 000); the price goes to 150: equity 20 000 − 15 000 = 5000
    // against 15 000 of exposure, three times the limit. Covering is still admitted.
    const rows: Row[] = [
      [100, 101, 99, 100],
      [100, 151, 99, 150],
      [150, 151, 149, 150],
      [150, 151, 149, 150],
    ];
    const run = runScript(rows, { 0: (ctx) => void ctx.sell('AAA', 100), 2: (ctx) => void ctx.buy('AAA', 100) }, { cash: 10_000 });
    expect(run.order(2).status).toBe('filled');
    expect(run.result.rejections).toEqual([]);
    expect(run.result.finalCash).toBe('5000');
  });

  // Regression (fixed): checkPreTrade sees only the filled position (OrderGateway.admit passes portfolio.quantity and
  // grossExposure), not orders still working, so two sells of 100 against a long of 100 are each "closing"
  // and both admitted; both fill and the account ends short 100 although allowShort is false.
  it('with shorts disallowed, working sell orders cannot add up to a short', () => {
    const run = runScript(
      FLAT,
      {
        0: (ctx) => void ctx.buy('AAA', 100),
        1: (ctx) => {
          ctx.sell('AAA', 100);
          ctx.sell('AAA', 100);
        },
      },
      { limits: { allowShort: false } },
    );
    expect(run.result.openPositions.filter((p) => p.side === 'short')).toEqual([]);
    expect(run.result.rejections.map((r) => r.code)).toEqual(['RISK_SHORT_NOT_ALLOWED']);
  });

  // Regression (fixed): same root cause for buying power: with 10 000 of cash and leverage 1, two market buys of 100 at ~100
  // are each within the limit, both are admitted and fill, and cash ends at −10 000 (exposure 20 000 = 2×).
  it('working buy orders cannot add up to more exposure than equity × leverage', () => {
    const run = runScript(
      FLAT,
      {
        0: (ctx) => {
          ctx.buy('AAA', 100);
          ctx.buy('AAA', 100);
        },
      },
      { cash: 10_000 },
    );
    expect(run.result.rejections.map((r) => r.code)).toEqual(['RISK_BUYING_POWER']);
    expect(Number(run.result.finalCash)).toBeGreaterThanOrEqual(0);
  });
});

describe('RiskConfig through the order gateway', () => {
  const buy = (qty: number) => (ctx: Parameters<Action>[0]) => void ctx.buy('AAA', qty);

  it('a per-strategy override tightens the global limit for that strategy only', () => {
    const tight = runScript(FLAT, { 0: buy(101) }, { risk: parseRiskSpec({ global: { maxPositionQty: 1000 }, strategies: { scripted: { maxPositionQty: 100 } } }) });
    expect(tight.result.rejections.map((r) => r.code)).toEqual(['RISK_MAX_POSITION_QTY']);
    const other = runScript(FLAT, { 0: buy(101) }, { risk: parseRiskSpec({ global: { maxPositionQty: 1000 }, strategies: { someoneElse: { maxPositionQty: 100 } } }) });
    expect(other.result.rejections).toEqual([]);
  });

  it('a per-symbol override wins over the strategy override', () => {
    const risk = parseRiskSpec({ strategies: { scripted: { maxPositionQty: 100 } }, symbols: { AAA: { maxPositionQty: 50 } } });
    expect(runScript(FLAT, { 0: buy(50) }, { risk }).result.rejections).toEqual([]);
    expect(runScript(FLAT, { 0: buy(51) }, { risk }).result.rejections.map((r) => r.code)).toEqual(['RISK_MAX_POSITION_QTY']);
  });

  it('--leverage (limits) wins over the config global; the config still adds its other limits', () => {
    const run = runScript(FLAT, { 0: buy(150) }, { cash: 10_000, limits: { maxLeverage: 2 }, risk: parseRiskSpec({ global: { maxLeverage: 1, maxPositionQty: 160 } }) });
    expect(run.result.rejections).toEqual([]);
  });

  it('the order rate counts admitted orders on the kernel clock: the third order in one bar is denied', () => {
    const run = runScript(FLAT, { 0: (ctx) => [1, 2, 3].forEach(() => ctx.buy('AAA', 1)) }, { risk: parseRiskSpec({ global: { maxOrdersPerSecond: 2 } }) });
    expect(run.result.rejections.map((r) => r.code)).toEqual(['RISK_ORDER_RATE']);
    // A day later the window is empty again.
    const next = runScript(FLAT, { 0: (ctx) => void ctx.buy('AAA', 1), 1: (ctx) => [1, 2].forEach(() => ctx.buy('AAA', 1)) }, { risk: parseRiskSpec({ global: { maxOrdersPerSecond: 2 } }) });
    expect(next.result.rejections).toEqual([]);
  });

  it('a bad config fails the run with PI5_ERR_BAD_CONFIG naming the field', () => {
    expect(() => runScript(FLAT, {}, { risk: parseRiskSpec({ global: { maxPositionQty: -5 } }) })).toThrow(/global\.maxPositionQty/);
  });

  it('maxPositions counts held symbols across the account', () => {
    const rows: Row[] = FLAT;
    const run = runScript(
      [series(rows, { symbol: 'AAA' }), series(rows, { symbol: 'BBB' })],
      { 0: (ctx) => void ctx.buy('AAA', 1), 1: (ctx) => void ctx.buy('BBB', 1), 2: (ctx) => void ctx.buy('AAA', 1) },
      { risk: parseRiskSpec({ global: { maxPositions: 1 } }) },
    );
    expect(run.result.rejections.map((r) => [r.code, r.symbol])).toEqual([['RISK_MAX_POSITIONS', 'BBB']]);
  });

  it('group concentration and correlation see the held positions', () => {
    const up: Row[] = [100, 102, 101, 104, 103, 107, 105, 108].map((c) => [c, c, c, c] as const);
    const twin = series(up, { symbol: 'BBB' });
    const groups = { AAA: 'tech', BBB: 'tech' };
    const actions = { 5: (ctx: Parameters<Action>[0]) => void ctx.buy('AAA', 10), 6: (ctx: Parameters<Action>[0]) => void ctx.buy('BBB', 10) };
    // Acting after every symbol's bar keeps the two histories aligned.
    const after = { afterAllBars: true };
    const corr = runScript([series(up, { symbol: 'AAA' }), twin], actions, { risk: parseRiskSpec({ global: { maxCorrelation: 0.9, correlationLookback: 4 } }) }, after);
    expect(corr.result.rejections.map((r) => r.code)).toEqual(['RISK_CORRELATION']);
    const conc = runScript([series(up, { symbol: 'AAA' }), twin], actions, { cash: 2000, limits: { maxLeverage: 2 }, risk: parseRiskSpec({ groups, global: { maxGroupPct: 60 } }) }, after);
    expect(conc.result.rejections.map((r) => r.code)).toEqual(['RISK_GROUP_CONCENTRATION']);
  });
});
