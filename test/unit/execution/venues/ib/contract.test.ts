// The IB venue passes the venue contract (test/contracts/venueContract.ts) through its real socket client
// against the fake IB Gateway on loopback, which speaks the TWS protocol.

import { afterEach, beforeEach } from 'vitest';
import { IbConnection } from '../../../../../src/execution/venues/ib/connection.js';
import { IbVenue } from '../../../../../src/execution/venues/ib/ibVenue.js';
import { venueContract } from '../../../../contracts/venueContract.js';
import { FakeIbGateway } from '../../../../helpers/ibFake/gateway.js';

let fake: FakeIbGateway;
let conn: IbConnection;

beforeEach(async () => {
  fake = new FakeIbGateway({ symbols: ['AAA', 'BBB'] });
  const port = await fake.start();
  conn = new IbConnection({ host: '127.0.0.1', port, clientId: 7, reconnectInitialMs: 0 });
  await conn.connect();
});

afterEach(async () => {
  conn.close();
  await fake.stop();
});

venueContract('Interactive Brokers against the fake IB Gateway', (deps) => {
  const venue = new IbVenue(conn, { clientId: 7, account: fake.account }, deps);
  return {
    venue,
    market: (bar) => fake.trade(bar),
    settle: async () => void (await conn.sync()),
  };
});
