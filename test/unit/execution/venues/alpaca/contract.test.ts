// The Alpaca venue passes the venue contract (test/contracts/venueContract.ts) through its real REST client and
// trading stream against a local fake Alpaca that speaks the Trading API v2 wire format.

import { afterAll, beforeAll } from 'vitest';
import { venueContract } from '../../../../contracts/venueContract.js';
import { startFakeAlpacaTrading, type FakeAlpacaTrading } from '../../../../helpers/fakeAlpacaTrading.js';
import { alpacaRig } from '../../../../helpers/alpacaVenueRig.js';

let fake: FakeAlpacaTrading;
const streams: Array<{ close(): void }> = [];

beforeAll(async () => {
  fake = await startFakeAlpacaTrading({ binaryFrames: true });
});
afterAll(async () => {
  for (const s of streams) s.close();
  await fake.close();
});

venueContract('alpaca against its fake', (deps) => {
  // Each case gets an empty book: the fake's orders of earlier cases must not fill on this case's bars.
  fake.matcher.orders.length = 0;
  const rig = alpacaRig(fake, deps);
  streams.push(rig.stream);
  const connected = rig.stream.connect();
  return {
    venue: rig.venue,
    market: async (bar) => {
      await connected;
      fake.trade(bar);
    },
    settle: async () => {
      await connected;
      await rig.settle();
    },
  };
});
