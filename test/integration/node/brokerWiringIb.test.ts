// `broker.venue: ib` from configuration: it needs the `ib` section, a live (non-DU) account needs `broker.live:
// true` and is announced, --paper/--live must match the account, and the session shares the node's connection
// (IB allows one per client id). The node's IB connection tells its drops and returns to listeners.

import { afterEach, describe, expect, it } from 'vitest';
import { ibSettingsSchema } from '../../../src/config/ibSettings.js';
import { brokerSettingsSchema } from '../../../src/config/schema.js';
import { createLogger } from '../../../src/core/log.js';
import { IbSessionBroker } from '../../../src/execution/venues/ib/sessionBroker.js';
import { sessionBroker, type BrokerWiringOptions } from '../../../src/node/brokerWiring.js';
import { NodeBrokers } from '../../../src/node/brokers.js';
import { connectionNotification } from '../../../src/notify/brokerNotifications.js';
import type { Notification } from '../../../src/notify/types.js';
import { FakeIbGateway } from '../../helpers/ibFake/gateway.js';

const log = createLogger('error');
const ib = (account: string, port = 4002) => ibSettingsSchema.parse({ port, clientId: 5, account });
const broker = (extra: object = {}) => brokerSettingsSchema.parse({ venue: 'ib', ...extra });

function options(extra: Partial<BrokerWiringOptions> = {}): BrokerWiringOptions & { notices: string[] } {
  const notices: string[] = [];
  return { env: {}, log, notice: (t) => void notices.push(t), notices, ...extra };
}

const fakes: FakeIbGateway[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.stop();
});

describe('broker.venue ib', () => {
  it('needs the ib section', () => {
    expect(() => sessionBroker(broker(), options())).toThrow(/broker\.venue ib needs the ib section/);
  });

  it('a paper (DU) account trades without broker.live and without a notice', () => {
    const o = options({ ib: ib('DU1234567') });
    expect(sessionBroker(broker(), o)).toBeInstanceOf(IbSessionBroker);
    expect(o.notices).toEqual([]);
  });

  it('a live account is refused without broker.live: true, and announced with it', () => {
    expect(() => sessionBroker(broker(), options({ ib: ib('U7654321') }))).toThrow(/ib\.account U7654321 is a live account.*broker\.live: true/);
    const o = options({ ib: ib('U7654321') });
    expect(sessionBroker(broker({ live: true }), o)?.name).toBe('ib');
    expect(o.notices.join('\n')).toMatch(/LIVE TRADING.*IB account U7654321/);
  });

  it('--paper refuses a live account and --live a paper one', () => {
    expect(() => sessionBroker(broker({ live: true }), options({ ib: ib('U7654321'), mode: 'paper' }))).toThrow(/--paper: ib\.account U7654321 is a live account/);
    expect(() => sessionBroker(broker(), options({ ib: ib('DU1234567'), mode: 'live' }))).toThrow(/--live: ib\.account DU1234567 is a paper account/);
  });

  it('the session and the node share one connection to the gateway', async () => {
    const fake = new FakeIbGateway({ symbols: ['AAA'] });
    fakes.push(fake);
    const port = await fake.start();
    const settings = ib(fake.account, port);
    const b = sessionBroker(broker(), options({ ib: settings }));
    if (!(b instanceof IbSessionBroker)) throw new Error('expected the IB session broker');
    const node = await NodeBrokers.open(settings, log, b.ib);
    // A second connection under the same client id would be refused by the gateway (IB error 326).
    await b.connect(() => undefined);
    expect(b.ib.conn.state).toBe('connected');
    expect(await node.ibAccount?.positions()).toEqual([]);
    await b.close();
    await node.stop();
  });

  it('tells listeners when the IB connection drops and when it is back (what node notifications send)', async () => {
    const fake = new FakeIbGateway({ symbols: ['AAA'] });
    fakes.push(fake);
    const port = await fake.start();
    const node = await NodeBrokers.open(ib(fake.account, port), log);
    const told: Notification[] = [];
    const back = new Promise<void>((resolve) =>
      node.onConnection((e) => {
        told.push(connectionNotification(e));
        if (e.state === 'up') resolve();
      }),
    );
    fake.dropConnections();
    await back;
    expect(told.map((n) => [n.kind, n.title])).toEqual([
      ['broker_disconnect', 'Broker ib disconnected'],
      ['broker_reconnect', 'Broker ib reconnected'],
    ]);
    expect(told[0]?.text).toMatch(new RegExp(`^ib 127\\.0\\.0\\.1:${port} client id 5: .*; reconnecting\\.`));
    await node.stop();
  });
});
