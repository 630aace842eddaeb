// A reconciliation after a broker reconnect is told at once: the session is stepped by hand and not stepped at all
// while its trading stream drops, someone places an order at Alpaca meanwhile, and the stream returns. The
// reconnect's reconciliation cancels that order (policy cancel) and its notification arrives with no step taken.

import { afterEach, expect, it } from 'vitest';
import { MemorySessionStore } from '../../../src/engine/live/sessionStore.js';
import { sessionView } from '../../../src/engine/live/sessionView.js';
import { watchBrokers } from '../../../src/notify/brokerNotifications.js';
import type { Notification } from '../../../src/notify/types.js';
import { alpacaSessionBroker } from '../../helpers/alpacaVenueRig.js';
import { startFakeAlpacaTrading, type FakeAlpacaTrading } from '../../helpers/fakeAlpacaTrading.js';
import { config, openSessionWith } from '../../helpers/tradingSession.js';

const fakes: FakeAlpacaTrading[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function until(cond: () => boolean, what: string): Promise<void> {
  // A last guard against a hang, not a speed assertion: the reconnect backs off at most 50 ms.
  const deadline = Date.now() + 30_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

it("tells a reconnect's reconciliation correction at once, not at the next step", async () => {
  const fake = await startFakeAlpacaTrading();
  fakes.push(fake);
  const broker = alpacaSessionBroker(fake);
  const session = await openSessionWith({ store: new MemorySessionStore(), config: { ...config('reconnect-notify'), strategies: [] }, broker });
  const notes: Notification[] = [];
  const off = watchBrokers(sessionView(session), [broker], (n) => void notes.push(n));
  expect(notes).toEqual([]);
  const step = session.status().step;

  await broker.flush();
  fake.dropStreams();
  await until(() => notes.some((n) => n.kind === 'broker_disconnect'), 'the disconnect');
  const placed = fake.matcher.place({ symbol: 'AAA', qty: '5', side: 'buy', type: 'limit', limit_price: '1.00', time_in_force: 'gtc', client_order_id: 'web-2' }, 'web');
  if (typeof placed === 'string') throw new Error(placed);

  await until(() => notes.some((n) => n.kind === 'reconciliation'), 'the reconciliation notification');
  const rec = notes.find((n) => n.kind === 'reconciliation');
  expect(rec?.title).toBe('Reconciliation with alpaca (reconnect): 1 correction');
  expect(rec?.data).toMatchObject({ venue: 'alpaca', trigger: 'reconnect', corrections: [{ kind: 'unknownOrder', action: 'cancel' }] });
  expect(placed.status).toBe('canceled');
  expect(session.status().step).toBe(step);
  off();
  await session.stop();
});
