// Failover of a trading session from its primary broker to a standby (two Alpaca fakes): while the primary's
// stream is down new orders go to the standby, the order the primary holds stays there and is caught up when it
// comes back (a fill made meanwhile applied once), each broker is reconciled against its own orders and fills,
// and a session reopened from its journal routes every re-derived order to the same broker and sends nothing twice.

import { afterEach, describe, expect, it } from 'vitest';
import { AlpacaSessionBroker } from '../../../../src/execution/venues/alpaca/sessionBroker.js';
import { TradingSession } from '../../../../src/engine/live/tradingSession.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import { barAt, type BarSeries } from '../../../../src/model/barSeries.js';
import { alpacaSessionBroker } from '../../../helpers/alpacaVenueRig.js';
import { startFakeAlpacaTrading, type FakeAlpacaTrading } from '../../../helpers/fakeAlpacaTrading.js';
import { config, demoSeries, openSessionWith } from '../../../helpers/tradingSession.js';

const fakes: FakeAlpacaTrading[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

interface Running {
  readonly session: TradingSession;
  readonly brokers: readonly AlpacaSessionBroker[];
}

async function open(primary: FakeAlpacaTrading, standby: FakeAlpacaTrading, store: MemorySessionStore, series: BarSeries[]): Promise<Running> {
  const brokers = [alpacaSessionBroker(primary, 'alpaca'), alpacaSessionBroker(standby, 'alpaca-standby')];
  const session = await openSessionWith({ store, series, config: { ...config('failover'), strategies: [], commission: 'none', slippage: 'none' }, broker: brokers[0], failover: brokers.slice(1) });
  return { session, brokers };
}

/** Waits for something the network brings (a stream going away or coming back); the budget is only a safety net. */
async function until(what: string, ok: () => boolean): Promise<void> {
  for (let waited = 0; !ok(); waited += 10) {
    if (waited > 30_000) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const venueState = (s: TradingSession, name: string) => s.status().broker?.venues?.find((v) => v.name === name);
const orderBook = (s: TradingSession) => s.kernel.oms.all().map((o) => [o.clientOrderId, o.symbol, o.side, o.quantity, o.status, o.filledQuantity, o.avgFillPrice]);
const ids = (fake: FakeAlpacaTrading) => fake.matcher.orders.map((o) => o.clientOrderId).sort();

describe('trading session with a standby broker', () => {
  it('routes new orders to the standby while the primary is down, keeps the primary order there, and reopens the same', async () => {
    const series = demoSeries(30);
    const primary = await startFakeAlpacaTrading();
    const standby = await startFakeAlpacaTrading();
    fakes.push(primary, standby);
    const store = new MemorySessionStore();
    let r = await open(primary, standby, store, series);
    let i = 0;
    const step = async (): Promise<void> => {
      for (const s of series) {
        primary.trade(barAt(s, i));
        standby.trade(barAt(s, i));
      }
      i++;
      await r.session.advance(1);
      // Waits until the brokers that are up answered the step's orders (the session does so before each step).
      await r.session.advance(0);
    };
    await step();
    await step();
    const close = barAt(series[0] as BarSeries, 1).close;
    const resting = await r.session.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: Math.floor(close * 50) / 100 }, by: 'test' });
    await r.session.advance(0);
    await step();
    expect(resting.kind === 'order' && resting.order.status).toBe('accepted');
    const restingId = resting.kind === 'order' ? resting.order.clientOrderId : '';
    expect(ids(primary)).toEqual([restingId]);
    expect(r.session.status().broker?.route).toBe('alpaca');

    // The primary's stream goes away and stays away.
    primary.refuseStreams(true);
    primary.dropStreams();
    await until('the primary to be seen down', () => venueState(r.session, 'alpaca')?.health.state === 'down');
    const moved = await r.session.act({ kind: 'submitOrder', request: { symbol: 'BBB', side: 'buy', quantity: 5 }, by: 'test' });
    const low = Math.floor(barAt(series[1] as BarSeries, 1).close * 50) / 100;
    const waiting = await r.session.act({ kind: 'submitOrder', request: { symbol: 'BBB', side: 'buy', quantity: 3, type: 'limit', limitPrice: low }, by: 'test' });
    await r.session.advance(0);
    const movedId = moved.kind === 'order' ? moved.order.clientOrderId : '';
    const waitingId = waiting.kind === 'order' ? waiting.order.clientOrderId : '';
    expect(r.session.status().broker?.route).toBe('alpaca-standby');
    await step();
    expect(ids(standby)).toEqual([movedId, waitingId].sort());
    expect(ids(primary)).toEqual([restingId]);
    expect(r.session.kernel.oms.byClientId(movedId)?.status).toBe('filled');
    expect(venueState(r.session, 'alpaca')?.recordedState).toBe('down');

    // The market fills the primary's order while nobody listens there; the primary comes back and catches up.
    const atPrimary = primary.matcher.orders[0];
    if (atPrimary === undefined) throw new Error('the primary holds no order');
    primary.matcher.fill(atPrimary, 10, atPrimary.limit ?? 0);
    primary.refuseStreams(false);
    await until('the primary order to be caught up', () => r.session.kernel.oms.byClientId(restingId)?.status === 'filled');
    await until('the primary to be seen up', () => venueState(r.session, 'alpaca')?.health.state === 'healthy');
    await step();
    expect(r.session.status().broker?.route).toBe('alpaca');
    const back = await r.session.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'sell', quantity: 4 }, by: 'test' });
    await r.session.advance(0);
    await step();
    const backId = back.kind === 'order' ? back.order.clientOrderId : '';
    expect(ids(primary)).toEqual([restingId, backId].sort());
    expect(r.session.kernel.portfolio.quantity('AAA')).toBe(6);
    expect(r.session.kernel.portfolio.quantity('BBB')).toBe(5);
    for (const v of r.session.status().broker?.venues ?? []) expect(v.reconciliation?.halt ?? null).toBeNull();
    const reconciled = venueState(r.session, 'alpaca')?.reconciliation;
    expect(reconciled?.trigger).toBe('reconnect');
    expect(reconciled?.corrections).toEqual([]);

    // The process dies and comes back from its journal: the same orders, each taken over at the broker that holds
    // it (the standby's resting order is not sent to the primary), each broker reconciled without a correction.
    const before = orderBook(r.session);
    for (const b of r.brokers) await b.close();
    r = await open(primary, standby, store, series);
    expect(r.session.status().state).toBe('paused');
    expect(orderBook(r.session)).toEqual(before);
    for (const v of r.session.status().broker?.venues ?? []) expect(v.reconciliation).toMatchObject({ trigger: 'start', corrections: [], halt: null });
    expect(r.session.status().broker?.route).toBe('alpaca');
    await step();
    expect(ids(primary)).toEqual([restingId, backId].sort());
    expect(ids(standby)).toEqual([movedId, waitingId].sort());
    expect(r.session.kernel.oms.byClientId(waitingId)?.status).toBe('accepted');
    for (const f of [primary, standby]) expect(new Set(f.posted).size).toBe(f.posted.length);
    expect(primary.matcher.positions().map((p) => [p.symbol, p.qty])).toEqual([['AAA', '6']]);
    expect(standby.matcher.positions().map((p) => [p.symbol, p.qty])).toEqual([['BBB', '5']]);
    await r.session.stop();
  });
});
