// The node's brokers: the session's simulated exchange and, when configured, Interactive Brokers, connected at
// start (a wrong host, port or client id stops the start with the reason), each with a health monitor that
// /ready, /metrics and GET /api/v1/brokers read. IB's monitor times a round trip to TWS every probe interval.

import { Pi5Error } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { BrokerHealth, type BrokerHealthStatus } from '../execution/venues/health/brokerHealth.js';
import { IbBroker } from '../execution/venues/ib/ibVenue.js';
import type { IbSettings } from '../config/ibSettings.js';

export class NodeBrokers {
  private constructor(
    /** One monitor per venue, the session's first. */
    readonly monitors: readonly BrokerHealth[],
    /** The IB connection, when the config has an `ib` section. */
    readonly ib: IbBroker | null,
    private readonly close: () => void,
  ) {}

  static async open(ib: IbSettings | undefined, log: Logger): Promise<NodeBrokers> {
    const sim = new BrokerHealth('sim', null, Date.now);
    if (ib === undefined) return new NodeBrokers([sim], null, () => undefined);
    const broker = new IbBroker({ ...ib, reconnectInitialMs: 1000, reconnectMaxMs: 60_000 });
    const where = `ib ${ib.host}:${ib.port} client id ${ib.clientId}`;
    try {
      await broker.connect();
    } catch (e) {
      broker.close();
      throw new Pi5Error('PI5_ERR_BROKER_CONNECT', `${where}: ${(e as Error).message.replace(/^IB [^:]+: /, '')} (is TWS / IB Gateway running with the API enabled on that port?)`, { venue: 'ib' });
    }
    log.info('broker connected', { venue: 'ib', host: ib.host, port: ib.port, clientId: ib.clientId, accounts: broker.conn.accounts.join(',') });
    if (!broker.conn.accounts.includes(ib.account)) log.warn(`${where}: account ${ib.account} is not among the login's accounts (${broker.conn.accounts.join(', ')})`);
    broker.conn.on('down', (reason) => reason !== 'closed' && log.warn(`${where}: ${reason}; reconnecting`));
    broker.conn.on('ready', (again) => again && log.info('broker reconnected', { venue: 'ib' }));
    const health = new BrokerHealth('ib', broker.conn.link(), Date.now);
    void health.probe();
    const timer = setInterval(() => void health.probe(), ib.probeIntervalMs);
    timer.unref();
    return new NodeBrokers([sim, health], broker, () => {
      clearInterval(timer);
      broker.close();
    });
  }

  statuses(): BrokerHealthStatus[] {
    return this.monitors.map((m) => m.status());
  }

  async stop(): Promise<void> {
    this.close();
  }
}
