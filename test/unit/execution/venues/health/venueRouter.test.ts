// Failover of new orders by priority: the router passes the venue contract over simulated exchanges; with the IB
// fake as primary and a simulated exchange as standby, new orders move to the standby while IB is down and back
// when it reconnects, and an order stays with the venue that holds it. The order path feeds the health monitor.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { MessageBus } from '../../../../../src/core/bus.js';
import { SimulatedClock } from '../../../../../src/core/clock.js';
import { OrderManager } from '../../../../../src/execution/oms.js';
import { BrokerHealth } from '../../../../../src/execution/venues/health/brokerHealth.js';
import { monitoredVenue } from '../../../../../src/execution/venues/health/monitoredVenue.js';
import { VenueRouter, venueRouter } from '../../../../../src/execution/venues/health/venueRouter.js';
import { IbConnection } from '../../../../../src/execution/venues/ib/connection.js';
import { IbVenue } from '../../../../../src/execution/venues/ib/ibVenue.js';
import { simulatedVenue } from '../../../../../src/execution/venues/sim/index.js';
import type { KernelEvents } from '../../../../../src/model/events.js';
import type { Order, OrderRequest } from '../../../../../src/model/types.js';
import { venueContract } from '../../../../contracts/venueContract.js';
import { FakeIbGateway } from '../../../../helpers/ibFake/gateway.js';
import { T0, venueDeps } from '../../../../helpers/ibFake/rig.js';
import { CONTRACT_SIM } from '../contractSim.js';

venueContract('router over two simulated exchanges', (deps) => {
  const router = venueRouter([
    { factory: simulatedVenue(CONTRACT_SIM), priority: 1, state: () => 'healthy' },
    { factory: simulatedVenue(CONTRACT_SIM), priority: 2, state: () => 'healthy' },
  ])(deps);
  return { venue: router, market: (bar) => router.onBar(bar), settle: () => undefined };
});

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function ibWithStandby() {
  const fake = new FakeIbGateway({ symbols: ['AAA', 'BBB'] });
  const port = await fake.start();
  const conn = new IbConnection({ host: '127.0.0.1', port, clientId: 11, reconnectInitialMs: 50, reconnectMaxMs: 200 });
  await conn.connect();
  cleanup = async () => {
    conn.close();
    await fake.stop();
  };
  const ibHealth = new BrokerHealth('ib', conn.link(), () => Date.now());
  const bus = new MessageBus<KernelEvents>();
  const clock = new SimulatedClock(T0);
  const oms = new OrderManager(bus, clock, 'fo');
  const router = new VenueRouter(
    [
      { factory: monitoredVenue((d) => new IbVenue(conn, { clientId: 11, account: fake.account }, d), ibHealth), priority: 1, state: () => ibHealth.status().state },
      { factory: simulatedVenue(CONTRACT_SIM), priority: 2, state: () => 'healthy' },
    ],
    venueDeps(oms, clock),
  );
  oms.connect(router);
  const send = async (req: OrderRequest): Promise<Order> => {
    const o = oms.create(req, 'fo');
    oms.submit(o);
    if (conn.state === 'connected') await conn.sync();
    return o;
  };
  return { fake, conn, ibHealth, oms, router, send };
}

describe('venue router: failover of new orders', () => {
  it('sends new orders to IB while it is healthy, to the standby while it is down, and to IB again once back', async () => {
    const { fake, conn, ibHealth, oms, router, send } = await ibWithStandby();
    const onIb = await send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 50 });
    expect(router.holderOf(onIb)?.name).toBe('ib');
    expect(onIb.status).toBe('accepted');
    // The order path timed IB's acknowledgement.
    expect(ibHealth.status().latencyMs).not.toBeNull();

    await fake.stop();
    await vi.waitFor(() => expect(ibHealth.status().state).toBe('down'), { timeout: 20_000, interval: 10 });
    const onSim = await send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 50 });
    expect(router.holderOf(onSim)?.name).toBe('sim');
    expect(onSim.status).toBe('accepted');
    // The IB order stays with IB: no cancel can go out while it is down, and the standby is not asked.
    expect(oms.cancel(onIb.id)).toBe(false);
    expect(onIb.status).toBe('accepted');

    await fake.start(fake.port);
    await vi.waitFor(() => expect(ibHealth.status().state).toBe('healthy'), { timeout: 30_000, interval: 20 });
    const backOnIb = await send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 50 });
    expect(router.holderOf(backOnIb)?.name).toBe('ib');
    expect(oms.cancel(onIb.id)).toBe(true);
    await conn.sync();
    expect(onIb.status).toBe('canceled');
    expect(fake.placed.map((p) => p.orderRef)).toEqual([onIb.clientOrderId, backOnIb.clientOrderId]);
  });

  it('counts IB refusals as errors: a run of them makes IB degraded and new orders go to the standby', async () => {
    const { fake, ibHealth, router, send } = await ibWithStandby();
    for (let i = 0; i < 4; i++) fake.rejectNext(201, 'Order rejected - reason:not allowed');
    for (let i = 0; i < 4; i++) expect((await send({ symbol: 'AAA', side: 'buy', quantity: 1, type: 'market' })).status).toBe('rejected');
    expect(ibHealth.status()).toMatchObject({ state: 'degraded', errorRate: 1 });
    const next = await send({ symbol: 'AAA', side: 'buy', quantity: 1, type: 'limit', limitPrice: 50 });
    expect(router.holderOf(next)?.name).toBe('sim');
  });
});
