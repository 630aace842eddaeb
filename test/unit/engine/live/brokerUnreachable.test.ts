// A broker that cannot be reached when the session starts (the fake Alpaca refuses its trading stream): the
// session opens anyway instead of failing, says why in its status, tells it as a notification, and tries again
// with backoff. Alone, it takes no step until the broker is reached, then takes over and reconciles (an order
// someone placed meanwhile is canceled, policy cancel) before the first step. With a standby, new orders go to
// the standby while the primary is unreachable and back to the primary once it is reached.

import { afterEach, describe, expect, it } from 'vitest';
import type { TradingSession } from '../../../../src/engine/live/tradingSession.js';
import { MemorySessionStore } from '../../../../src/engine/live/sessionStore.js';
import { sessionView } from '../../../../src/engine/live/sessionView.js';
import { watchBrokers } from '../../../../src/notify/brokerNotifications.js';
import type { Notification } from '../../../../src/notify/types.js';
import { barAt } from '../../../../src/model/barSeries.js';
import { AlpacaSessionBroker } from '../../../../src/execution/venues/alpaca/sessionBroker.js';
import { DEFAULT_ALPACA_VENUE } from '../../../../src/execution/venues/alpaca/venue.js';
import { alpacaApi, alpacaSessionBroker, TRADING_CREDENTIALS } from '../../../helpers/alpacaVenueRig.js';
import { startFakeAlpacaTrading, type FakeAlpacaTrading } from '../../../helpers/fakeAlpacaTrading.js';
import { config, demoSeries, openSessionWith } from '../../../helpers/tradingSession.js';

const fakes: FakeAlpacaTrading[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

const RETRY = { baseMs: 5, maxMs: 20 };

/** Waits for what the network brings; the budget is only a guard against a hang. */
async function until(what: string, ok: () => boolean): Promise<void> {
  for (let waited = 0; !ok(); waited += 5) {
    if (waited > 30_000) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const venue = (s: TradingSession, name: string) => s.status().broker?.venues?.find((v) => v.name === name);

describe('a broker unreachable at start', () => {
  it('opens the session anyway, takes no step until the broker is reached, then reconciles before stepping', async () => {
    const fake = await startFakeAlpacaTrading();
    fakes.push(fake);
    fake.refuseStreams(true);
    const stranger = fake.matcher.place({ symbol: 'AAA', qty: '5', side: 'buy', type: 'limit', limit_price: '1.00', time_in_force: 'gtc', client_order_id: 'web-3' }, 'web');
    if (typeof stranger === 'string') throw new Error(stranger);
    const series = demoSeries(10);
    const broker = alpacaSessionBroker(fake);
    const session = await openSessionWith({ store: new MemorySessionStore(), series, config: { ...config('unreachable'), strategies: [] }, broker, brokerRetry: RETRY });
    expect(session.status().state).not.toBe('failed');
    expect(venue(session, 'alpaca')?.unreachable).toMatch(/.+/);
    expect(session.status().broker?.reconciliation).toBeNull();
    const notes: Notification[] = [];
    const off = watchBrokers(sessionView(session), [broker], (n) => void notes.push(n));
    expect(notes.map((n) => [n.kind, n.data?.venue])).toEqual([['broker_disconnect', 'alpaca']]);
    expect(String(notes[0]?.data?.detail)).toMatch(/^unreachable at start \(.+\); the session retries with backoff$/);

    for (const s of series) fake.trade(barAt(s, 0));
    let stepped = false;
    const stepping = session.advance(1).then((n) => (stepped = n === 1));
    // Retries (5–20 ms apart) keep failing while the stream is refused: no step, nothing reconciled.
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.streamConnections()).toBe(0);
    expect([stepped, session.status().step, stranger.status]).toEqual([false, 0, 'new']);

    fake.refuseStreams(false);
    await stepping;
    expect(stepped).toBe(true);
    expect(venue(session, 'alpaca')?.unreachable).toBeNull();
    expect(session.status().broker?.reconciliation).toMatchObject({ trigger: 'start', corrections: [{ kind: 'unknownOrder', action: 'cancel' }] });
    expect(stranger.status).toBe('canceled');
    await until('the notifications', () => notes.length >= 3);
    expect(notes.map((n) => n.kind).sort()).toEqual(['broker_disconnect', 'broker_reconnect', 'reconciliation']);
    off();
    await session.stop();
  });

  it('routes new orders to a reachable standby, then back to the primary once it is reached', async () => {
    const primary = await startFakeAlpacaTrading();
    const standby = await startFakeAlpacaTrading();
    fakes.push(primary, standby);
    primary.refuseStreams(true);
    const series = demoSeries(10);
    const brokers = [alpacaSessionBroker(primary, 'alpaca'), alpacaSessionBroker(standby, 'alpaca-standby')];
    const session = await openSessionWith({ store: new MemorySessionStore(), series, config: { ...config('unreachable-failover'), strategies: [], commission: 'none', slippage: 'none' }, broker: brokers[0], failover: brokers.slice(1), brokerRetry: RETRY });
    expect(venue(session, 'alpaca')?.unreachable).toMatch(/.+/);
    expect(venue(session, 'alpaca-standby')?.unreachable).toBeNull();
    await session.advance(1);
    expect(session.status().broker?.route).toBe('alpaca-standby');
    const first = await session.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 3, type: 'limit', limitPrice: 1 }, by: 'test' });
    await session.advance(0);
    const id1 = first.kind === 'order' ? first.order.clientOrderId : '';
    expect(standby.matcher.orders.map((o) => o.clientOrderId)).toEqual([id1]);
    expect(primary.matcher.orders).toEqual([]);

    primary.refuseStreams(false);
    await until('the primary reached', () => venue(session, 'alpaca')?.unreachable === null);
    expect(venue(session, 'alpaca')?.reconciliation).toMatchObject({ trigger: 'start', halt: null });
    await until('the primary healthy', () => venue(session, 'alpaca')?.health.state === 'healthy');
    const second = await session.act({ kind: 'submitOrder', request: { symbol: 'AAA', side: 'buy', quantity: 2, type: 'limit', limitPrice: 1 }, by: 'test' });
    await session.advance(0);
    expect(session.status().broker?.route).toBe('alpaca');
    const id2 = second.kind === 'order' ? second.order.clientOrderId : '';
    expect(primary.matcher.orders.map((o) => o.clientOrderId)).toEqual([id2]);
    expect(standby.matcher.orders.map((o) => o.clientOrderId)).toEqual([id1]);
    await session.stop();
  });

  it('still refuses to start with keys the broker refuses: retrying cannot fix them', async () => {
    const fake = await startFakeAlpacaTrading();
    fakes.push(fake);
    const wrong = { ...TRADING_CREDENTIALS, secretKey: 'not-the-secret' };
    const broker = new AlpacaSessionBroker({ api: alpacaApi(fake), credentials: wrong, streamUrl: fake.streamUrl, venue: DEFAULT_ALPACA_VENUE, policy: { unknownOrders: 'cancel', positionMismatch: 'halt' } });
    await expect(openSessionWith({ store: new MemorySessionStore(), series: demoSeries(10), config: { ...config('bad-keys'), strategies: [] }, broker, brokerRetry: RETRY })).rejects.toThrow(/authorization refused \(check APCA_API_KEY_ID/);
    await broker.close();
  });
});
