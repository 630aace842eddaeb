// Reconciliation against the fake Alpaca, through the real venue and order manager: while the trading stream was
// down the broker filled one order, canceled another and took an order nobody here sent; reconciling applies the
// fill once, closes the canceled order, cancels the stranger, and a second pass finds nothing left to correct.

import { afterEach, beforeEach, expect, it } from 'vitest';
import { MessageBus } from '../../../../src/core/bus.js';
import { SimulatedClock } from '../../../../src/core/clock.js';
import { OrderManager } from '../../../../src/execution/oms.js';
import { reconcileWithBroker, type ReconcileTarget } from '../../../../src/execution/reconcile/reconciler.js';
import type { KernelEvents } from '../../../../src/model/events.js';
import type { Fill, Instrument, OrderRequest } from '../../../../src/model/types.js';
import { alpacaRig, type AlpacaRig } from '../../../helpers/alpacaVenueRig.js';
import { startFakeAlpacaTrading, type FakeAlpacaTrading } from '../../../helpers/fakeAlpacaTrading.js';

const AAA: Instrument = { symbol: 'AAA', priceDecimals: 2, lotSize: 1, currency: 'USD', timeZone: 'UTC' };
const T0 = Date.UTC(2024, 0, 2, 15);
let fake: FakeAlpacaTrading;
let rig: AlpacaRig;
let oms: OrderManager;
const fills: Fill[] = [];

beforeEach(async () => {
  fake = await startFakeAlpacaTrading();
  const bus = new MessageBus<KernelEvents>();
  const clock = new SimulatedClock(T0);
  oms = new OrderManager(bus, clock, 'rec');
  rig = alpacaRig(fake, { reports: oms, instrument: () => AAA, hasInstrument: (s) => s === 'AAA', now: () => clock.now() });
  oms.connect(rig.venue);
  fills.length = 0;
  bus.subscribe('orderFilled', (f) => void fills.push(f));
  await rig.stream.connect();
});
afterEach(async () => {
  rig.stream.close();
  await fake.close();
});

async function send(r: OrderRequest) {
  const o = oms.create(r, 'test');
  oms.submit(o);
  await rig.settle();
  return o;
}

function target(): ReconcileTarget {
  return {
    working: () => oms.openOrders(),
    positions: () => {
      const m = new Map<string, number>();
      for (const f of fills) m.set(f.symbol, (m.get(f.symbol) ?? 0) + (f.side === 'buy' ? f.quantity : -f.quantity));
      return m;
    },
    broker: rig.venue,
    resend: (o) => rig.venue.submit(o),
    adopt: () => undefined,
  };
}

it('applies what the broker did while the stream was down, once, and cancels an order nobody here sent', async () => {
  const filling = await send({ symbol: 'AAA', side: 'buy', quantity: 10, type: 'limit', limitPrice: 20 });
  const canceled = await send({ symbol: 'AAA', side: 'buy', quantity: 5, type: 'limit', limitPrice: 1 });
  const resting = await send({ symbol: 'AAA', side: 'sell', quantity: 3, type: 'limit', limitPrice: 90 });
  // The stream is gone (and stays gone): nothing below reaches the venue by it.
  fake.refuseStreams(true);
  fake.dropStreams();
  const fo = fake.matcher.byClientId(filling.clientOrderId);
  const co = fake.matcher.byClientId(canceled.clientOrderId);
  if (fo === undefined || co === undefined) throw new Error('the fake lost an order');
  fake.matcher.fill(fo, 4, 19.5);
  fake.matcher.fill(fo, 6, 19.75);
  fake.matcher.cancel(co.id);
  const web = fake.matcher.place({ symbol: 'AAA', qty: '1', side: 'buy', type: 'limit', limit_price: '5', time_in_force: 'gtc', client_order_id: 'web-app-1' });
  if (typeof web === 'string') throw new Error(web);

  const r = await reconcileWithBroker(target(), { unknownOrders: 'cancel', positionMismatch: 'halt' });
  expect(r.corrections.map((c) => c.kind)).toEqual(['missedFill', 'closedAtBroker', 'unknownOrder']);
  expect(r.halt).toBeNull();
  expect([filling.status, filling.filledQuantity]).toEqual(['filled', 10]);
  expect(canceled.status).toBe('canceled');
  expect(resting.status).toBe('accepted');
  expect(web.status).toBe('canceled');
  // Each missed fill at its own price, from the broker's FILL activities.
  expect(fills.map((f) => [f.quantity, f.price])).toEqual([
    [4, 19.5],
    [6, 19.75],
  ]);

  const again = await reconcileWithBroker(target(), { unknownOrders: 'cancel', positionMismatch: 'halt' });
  expect(again).toEqual({ corrections: [], halt: null });
});

it('halts when the broker holds a position the journal cannot explain', async () => {
  const stranger = fake.matcher.place({ symbol: 'AAA', qty: '7', side: 'buy', type: 'market', time_in_force: 'day', client_order_id: 'web-app-2' });
  if (typeof stranger === 'string') throw new Error(stranger);
  fake.matcher.fill(stranger, 7, 10);
  const r = await reconcileWithBroker(target(), { unknownOrders: 'cancel', positionMismatch: 'halt' });
  expect(r.corrections).toEqual([{ kind: 'positionMismatch', action: 'halt', symbol: 'AAA', ours: 0, broker: 7 }]);
  expect(r.halt).toContain('AAA: ours 0, broker 7');
});
