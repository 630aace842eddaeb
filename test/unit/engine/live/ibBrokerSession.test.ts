// A trading session at Interactive Brokers (the fake IB Gateway, real socket wire format): the strategy's orders
// reach the gateway under their client ids, the gateway's executions come back as the session's fills, and a
// session dropped and reopened from its journal takes its orders over without sending any twice.

import { afterEach, describe, expect, it } from 'vitest';
import { IbSessionBroker } from '../../../../src/execution/venues/ib/sessionBroker.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import { TradingSession } from '../../../../src/engine/live/tradingSession.js';
import { barAt, type BarSeries } from '../../../../src/model/barSeries.js';
import { FakeIbGateway } from '../../../helpers/ibFake/gateway.js';
import { config, demoSeries, openSessionWith } from '../../../helpers/tradingSession.js';

const STEPS = 120;
const fakes: FakeIbGateway[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
});

interface Running {
  session: TradingSession;
  broker: IbSessionBroker;
}

async function gateway(): Promise<{ fake: FakeIbGateway; port: number }> {
  const fake = new FakeIbGateway({ symbols: ['AAA', 'BBB'] });
  fakes.push(fake);
  return { fake, port: await fake.start() };
}

async function open(fake: FakeIbGateway, port: number, store: MemorySessionStore, series: BarSeries[], cfg = config('ib')): Promise<Running> {
  const broker = new IbSessionBroker({
    // Unpaced (the fake gateway has no message limit): at IB's 45 messages a second the 120 steps waited ~10 s of
    // wall time per test on timers; the pacer itself is tested with injected timers (wire.test.ts).
    connection: { host: '127.0.0.1', port, clientId: 7, reconnectInitialMs: 0, maxMessagesPerSecond: 1_000_000 },
    venue: { clientId: 7, account: fake.account, commissionWaitMs: 60_000 },
    policy: { unknownOrders: 'cancel', positionMismatch: 'halt' },
  });
  const session = await openSessionWith({ store, series, config: { ...cfg, commission: 'none', slippage: 'none' }, broker });
  return { session, broker };
}

/** The market trades bar `i` at the gateway, then the session processes step `i` and its orders reach IB. */
async function step(fake: FakeIbGateway, r: Running | null, series: BarSeries[], i: number): Promise<void> {
  for (const s of series) fake.trade(barAt(s, i));
  if (r === null) return;
  await r.broker.flush();
  await r.session.advance(1);
  await r.broker.flush();
}

const refs = (fake: FakeIbGateway): string[] => [...fake.orders.values()].map((o) => o.orderRef);

describe('trading session at Interactive Brokers', () => {
  it('places the strategy orders at the gateway and books its executions as fills', async () => {
    const series = demoSeries(STEPS);
    const { fake, port } = await gateway();
    const r = await open(fake, port, new MemorySessionStore(), series);
    for (let i = 0; i < STEPS; i++) await step(fake, r, series, i);
    const ours = r.session.kernel.oms.all();
    expect(fake.executions.length).toBeGreaterThan(2);
    expect(refs(fake).sort()).toEqual(ours.map((o) => o.clientOrderId).sort());
    expect(ours.filter((o) => o.filledQuantity > 0).length).toBeGreaterThan(2);
    for (const s of series) expect(fake.positionOf(s.symbol)).toBe(r.session.kernel.portfolio.quantity(s.symbol));
    expect(r.session.status().broker?.reconciliation).toMatchObject({ trigger: 'start', corrections: [], halt: null });
    await r.session.stop();
  });

  it('dropped and reopened from its journal, ends with the same positions and sends no client id twice', async () => {
    const series = demoSeries(STEPS);
    const { fake, port } = await gateway();
    const store = new MemorySessionStore();
    let r: Running | null = await open(fake, port, store, series);
    for (let i = 0; i < STEPS; i++) {
      await step(fake, r, series, i);
      if ((i === 40 || i === 80) && r !== null) {
        await r.broker.close();
        r = null;
        await step(fake, null, series, ++i);
        r = await open(fake, port, store, series);
        await r.session.advance(1);
        await r.broker.flush();
      }
    }
    if (r === null) throw new Error('session not reopened');
    expect(new Set(refs(fake)).size).toBe(refs(fake).length);
    for (const s of series) expect(fake.positionOf(s.symbol)).toBe(r.session.kernel.portfolio.quantity(s.symbol));
    await r.session.stop();
  });

  it('an order canceled at IB while the session was down is found among completed orders: closed, never sent again', async () => {
    const series = demoSeries(STEPS);
    const { fake, port } = await gateway();
    const store = new MemorySessionStore();
    const noStrategy = { ...config('ib'), strategies: [] };
    let r = await open(fake, port, store, series, noStrategy);
    await step(fake, r, series, 0);
    // A buy limit far below the market: it rests at IB.
    await r.session.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 1, tif: 'GTC', clientOrderId: 'rest-1' }, by: 'test' });
    await r.broker.flush();
    expect(r.session.kernel.oms.all().find((o) => o.clientOrderId === 'rest-1')?.status).toBe('accepted');
    await r.broker.close();
    fake.cancelAtGateway('rest-1');
    await step(fake, null, series, 1);
    r = await open(fake, port, store, series, noStrategy);
    await r.session.advance(1);
    await r.broker.flush();
    const order = r.session.kernel.oms.all().find((o) => o.clientOrderId === 'rest-1');
    expect(order?.status).toBe('canceled');
    expect(order?.rejectReason).toContain('Cancelled by Trader');
    expect(fake.placed.filter((p) => p.orderRef === 'rest-1')).toHaveLength(1);
    expect(r.session.status().broker?.reconciliation).toMatchObject({ trigger: 'start', halt: null });
    await r.session.stop();
  });

  it('opens while the gateway is not up yet, takes no step until it is, then reconciles and trades there', async () => {
    const series = demoSeries(STEPS);
    const { fake, port } = await gateway();
    await fake.stop();
    const broker = new IbSessionBroker({
      connection: { host: '127.0.0.1', port, clientId: 7, reconnectInitialMs: 0, connectTimeoutMs: 2_000, maxMessagesPerSecond: 1_000_000 },
      venue: { clientId: 7, account: fake.account, commissionWaitMs: 60_000 },
      policy: { unknownOrders: 'cancel', positionMismatch: 'halt' },
    });
    const session = await openSessionWith({ store: new MemorySessionStore(), series, config: { ...config('ib-late'), commission: 'none', slippage: 'none' }, broker, brokerRetry: { baseMs: 5, maxMs: 50 } });
    expect(session.status().broker?.venues?.[0]?.unreachable).toMatch(/.+/);
    const r: Running = { session, broker };
    for (const s of series) fake.trade(barAt(s, 0));
    const first = session.advance(1);
    await fake.start(port);
    await first;
    expect(session.status().broker?.venues?.[0]?.unreachable).toBeNull();
    expect(session.status().broker?.reconciliation).toMatchObject({ trigger: 'start', halt: null });
    for (let i = 1; i < 60; i++) await step(fake, r, series, i);
    const ours = session.kernel.oms.all();
    expect(ours.length).toBeGreaterThan(0);
    expect(refs(fake).sort()).toEqual(ours.map((o) => o.clientOrderId).sort());
    await session.stop();
  });
});
