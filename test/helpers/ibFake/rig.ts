// An IB venue on a real order manager, connected to a fresh fake IB Gateway: what the IB tests share.

import { MessageBus } from '../../../src/core/bus.js';
import { SimulatedClock } from '../../../src/core/clock.js';
import { Pi5Error } from '../../../src/core/errors.js';
import { OrderManager } from '../../../src/execution/oms.js';
import { IbConnection, type IbConnectionOptions } from '../../../src/execution/venues/ib/connection.js';
import { IbVenue } from '../../../src/execution/venues/ib/ibVenue.js';
import type { VenueDeps } from '../../../src/execution/venues/venue.js';
import type { KernelEvents } from '../../../src/model/events.js';
import type { Bar, Fill, Instrument, Order, OrderRequest } from '../../../src/model/types.js';
import { FakeIbGateway } from './gateway.js';

export const T0 = Date.UTC(2024, 0, 1);
const INSTRUMENTS: readonly Instrument[] = ['AAA', 'BBB'].map((symbol) => ({ symbol, priceDecimals: 2, lotSize: 1, currency: 'USD', timeZone: 'UTC' }));

export function venueDeps(oms: OrderManager, clock: SimulatedClock): VenueDeps {
  const find = (s: string): Instrument | undefined => INSTRUMENTS.find((i) => i.symbol === s);
  return {
    reports: oms,
    instrument: (s) => {
      const i = find(s);
      if (i === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', `unknown symbol ${s}`);
      return i;
    },
    hasInstrument: (s) => find(s) !== undefined,
    now: () => clock.now(),
  };
}

export interface IbRig {
  readonly fake: FakeIbGateway;
  readonly conn: IbConnection;
  readonly venue: IbVenue;
  readonly oms: OrderManager;
  readonly clock: SimulatedClock;
  readonly fills: Fill[];
  send(request: OrderRequest): Promise<Order>;
  bar(day: number, ohlcv: readonly [number, number, number, number, number], symbol?: string): Promise<void>;
  close(): Promise<void>;
}

export async function ibRig(conn: Partial<IbConnectionOptions> = {}): Promise<IbRig> {
  const fake = new FakeIbGateway({ symbols: ['AAA', 'BBB'] });
  const port = await fake.start();
  const c = new IbConnection({ host: '127.0.0.1', port, clientId: 3, reconnectInitialMs: 0, ...conn });
  await c.connect();
  const bus = new MessageBus<KernelEvents>();
  const clock = new SimulatedClock(T0);
  const oms = new OrderManager(bus, clock, 'ib');
  const venue = new IbVenue(c, { clientId: 3, account: fake.account, commissionWaitMs: 60_000 }, venueDeps(oms, clock));
  oms.connect(venue);
  const fills: Fill[] = [];
  bus.subscribe('orderFilled', (f) => void fills.push(f));
  return {
    fake,
    conn: c,
    venue,
    oms,
    clock,
    fills,
    async send(request) {
      const order = oms.create(request, 'test');
      oms.submit(order);
      await c.sync();
      return order;
    },
    async bar(day, [open, high, low, close, volume], symbol = 'AAA') {
      const ts = T0 + day * 86_400_000;
      clock.advanceTo(ts);
      fake.trade({ symbol, timeframe: '1d', ts, open, high, low, close, volume } satisfies Bar);
      await c.sync();
    },
    async close() {
      c.close();
      await fake.stop();
    },
  };
}
