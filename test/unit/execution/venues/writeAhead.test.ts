// The write-ahead wrapper holds orders until they are released (persisted), and around the simulated exchange
// it passes the venue contract like the exchange alone.

import { describe, expect, it } from 'vitest';
import { MessageBus } from '../../../../src/core/bus.js';
import { SimulatedClock } from '../../../../src/core/clock.js';
import { OrderManager } from '../../../../src/execution/oms.js';
import { simulatedVenue } from '../../../../src/execution/venues/sim/index.js';
import { WriteAheadVenue } from '../../../../src/execution/venues/writeAhead.js';
import type { KernelEvents } from '../../../../src/model/events.js';
import { venueContract } from '../../../contracts/venueContract.js';
import { instrument } from '../../engine/fixtures.js';
import { CONTRACT_SIM } from './contractSim.js';

venueContract('write-ahead around the simulated exchange', (deps) => {
  const venue = new WriteAheadVenue(simulatedVenue(CONTRACT_SIM)(deps), deps.reports, deps.now);
  return { venue, market: (bar) => venue.onBar(bar), settle: () => venue.release() };
});

describe('write-ahead venue', () => {
  function rig(): { oms: OrderManager; venue: WriteAheadVenue } {
    const clock = new SimulatedClock(0);
    const oms = new OrderManager(new MessageBus<KernelEvents>(), clock, 'wa');
    const inst = instrument();
    const venue = new WriteAheadVenue(simulatedVenue(CONTRACT_SIM)({ reports: oms, instrument: () => inst, hasInstrument: (s) => s === inst.symbol, now: () => clock.now() }), oms, () => clock.now());
    oms.connect(venue);
    return { oms, venue };
  }

  it('holds an order until release: the venue neither accepts nor reports it before', async () => {
    const { oms, venue } = rig();
    const o = oms.create({ symbol: 'AAA', side: 'buy', quantity: 1, type: 'limit', limitPrice: 50 }, null);
    oms.submit(o);
    expect([o.status, venue.heldCount, (await venue.workingOrders()).length]).toEqual(['submitted', 1, 0]);
    expect(await venue.lookup(o.clientOrderId)).toBeNull();
    venue.release();
    expect([o.status, venue.heldCount, (await venue.workingOrders()).length]).toEqual(['accepted', 0, 1]);
  });

  it('cancels a held order itself (it never reaches the venue), cancelAll included', async () => {
    const { oms, venue } = rig();
    const a = oms.create({ symbol: 'AAA', side: 'buy', quantity: 1, type: 'limit', limitPrice: 50 }, null);
    const b = oms.create({ symbol: 'AAA', side: 'buy', quantity: 1, type: 'limit', limitPrice: 51 }, null);
    oms.submit(a);
    oms.submit(b);
    expect(oms.cancel(a.id)).toBe(true);
    expect(venue.cancelAll()).toBe(1);
    venue.release();
    expect([a.status, b.status, (await venue.workingOrders()).length]).toEqual(['canceled', 'canceled', 0]);
  });
});
