// broker.failover from the config: standby Alpaca accounts read their own keys from the variables they name, get
// their own names, and configurations that cannot work are refused at start with the setting named.

import { describe, expect, it } from 'vitest';
import { brokerSettingsSchema } from '../../../src/config/schema.js';
import { createLogger } from '../../../src/core/log.js';
import { failoverBrokers, sessionBroker } from '../../../src/node/brokerWiring.js';
import { expectCode } from '../../helpers/errors.js';

const log = createLogger('silent');
const env = { APCA_API_KEY_ID: 'PKMAIN', APCA_API_SECRET_KEY: 'main-secret', BACKUP_ID: 'PKBACK', BACKUP_SECRET: 'back-secret' };
const wiring = { env, log, notice: () => undefined };
const ib = { host: '127.0.0.1', port: 4002, clientId: 1, account: 'DU1', connectTimeoutMs: 1000, maxMessagesPerSecond: 40, probeIntervalMs: 1000 };

describe('broker.failover', () => {
  it('builds the standbys in priority order, named, each with the keys of the variables it names', () => {
    const b = brokerSettingsSchema.parse({
      venue: 'alpaca',
      failover: [{ name: 'backup', venue: 'alpaca', alpaca: { baseUrl: 'http://127.0.0.1:9', keyIdEnv: 'BACKUP_ID', secretKeyEnv: 'BACKUP_SECRET' } }, { venue: 'alpaca', alpaca: { baseUrl: 'http://127.0.0.1:10' } }],
    });
    expect(sessionBroker(b, wiring)?.name).toBe('alpaca');
    expect(failoverBrokers(b, wiring).map((x) => x.name)).toEqual(['backup', 'alpaca-standby-2']);
  });

  it('refuses standbys without a primary broker, two IB brokers, a standby without keys and a live standby without broker.live', () => {
    const sim = brokerSettingsSchema.parse({ failover: [{ venue: 'alpaca' }] });
    expect(expectCode(() => sessionBroker(sim, wiring), 'PI5_ERR_BAD_CONFIG').message).toMatch(/broker.failover: standby brokers need a primary/);
    const twoIb = brokerSettingsSchema.parse({ venue: 'ib', failover: [{ venue: 'ib' }] });
    expect(expectCode(() => failoverBrokers(twoIb, { ...wiring, ib }), 'PI5_ERR_BAD_CONFIG').message).toMatch(/IB can be the primary or one standby/);
    const noKeys = brokerSettingsSchema.parse({ venue: 'alpaca', failover: [{ venue: 'alpaca', alpaca: { keyIdEnv: 'NOT_SET_ID', secretKeyEnv: 'BACKUP_SECRET' } }] });
    expect(expectCode(() => failoverBrokers(noKeys, wiring), 'PI5_ERR_BAD_CONFIG').message).toMatch(/APCA_API_KEY_ID/);
    const live = brokerSettingsSchema.parse({ venue: 'alpaca', failover: [{ venue: 'alpaca', alpaca: { baseUrl: 'https://api.alpaca.markets' } }] });
    expect(expectCode(() => failoverBrokers(live, wiring), 'PI5_ERR_BAD_CONFIG').message).toMatch(/broker.live: true/);
  });

  it('refuses a failover entry with a bad variable name, naming the field', () => {
    const r = brokerSettingsSchema.safeParse({ venue: 'alpaca', failover: [{ venue: 'alpaca', alpaca: { keyIdEnv: 'lower-case' } }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['failover', 0, 'alpaca', 'keyIdEnv']);
  });
});
