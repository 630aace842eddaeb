// The node's brokers: the session's simulated exchange and, when configured, Interactive Brokers, connected at
// start (a wrong host, port or client id stops the start with the reason), each with a health monitor that
// /ready, /metrics and GET /api/v1/brokers read. IB's monitor times a round trip to TWS every probe interval.

import { Pi5Error } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { BrokerConnectionEvent, BrokerConnectionSource } from '../execution/venues/brokerVenue.js';
import { BrokerHealth, type BrokerHealthStatus } from '../execution/venues/health/brokerHealth.js';
import type { IbAccountValue, IbPosition } from '../execution/venues/ib/incoming.js';
import { IbBroker } from '../execution/venues/ib/ibVenue.js';
import { IbQueries } from '../execution/venues/ib/queries.js';
import type { IbSettings } from '../config/ibSettings.js';

/** What the API reads of the IB account: positions and account values, asked of the gateway each time. */
export interface IbAccountView {
  readonly account: string;
  positions(): Promise<IbPosition[]>;
  accountValues(): Promise<IbAccountValue[]>;
}

export class NodeBrokers implements BrokerConnectionSource {
  /** The IB account's positions and values, when the config has an `ib` section. */
  readonly ibAccount: IbAccountView | null;
  private readonly listeners = new Set<(e: BrokerConnectionEvent) => void>();

  private constructor(
    /** One monitor per venue, the session's first; the session's brokers join once it is open (`watch`). */
    private readonly list: BrokerHealth[],
    /** The IB connection, when the config has an `ib` section. */
    readonly ib: IbBroker | null,
    private readonly close: () => void,
    settings?: IbSettings,
  ) {
    if (ib === null || settings === undefined) {
      this.ibAccount = null;
      return;
    }
    const queries = new IbQueries(ib.conn, settings.connectTimeoutMs);
    this.ibAccount = { account: settings.account, positions: () => queries.positions(), accountValues: () => queries.accountValues(settings.account) };
  }

  /** `shared`: the connection of a session trading at IB, opened here (it owns the client id). */
  static async open(ib: IbSettings | undefined, log: Logger, shared?: IbBroker): Promise<NodeBrokers> {
    const sim = new BrokerHealth('sim', null, Date.now);
    if (ib === undefined) return new NodeBrokers([sim], null, () => undefined);
    const broker = shared ?? new IbBroker({ ...ib, reconnectInitialMs: 1000, reconnectMaxMs: 60_000 });
    const where = `ib ${ib.host}:${ib.port} client id ${ib.clientId}`;
    try {
      await broker.connect();
      log.info('broker connected', { venue: 'ib', host: ib.host, port: ib.port, clientId: ib.clientId, accounts: broker.conn.accounts.join(',') });
      if (!broker.conn.accounts.includes(ib.account)) log.warn(`${where}: account ${ib.account} is not among the login's accounts (${broker.conn.accounts.join(', ')})`);
    } catch (e) {
      const why = (e as Error).message.replace(/^IB [^:]+: /, '');
      // A session trading at IB opens anyway and keeps trying (engine/live/sessionBroker.ts); a client id in use
      // is a setup mistake no retry fixes, and without such a session the node has nothing to wait for.
      if (shared === undefined || /client id/i.test(why)) {
        broker.close();
        throw new Pi5Error('PI5_ERR_BROKER_CONNECT', `${where}: ${why} (is TWS / IB Gateway running with the API enabled on that port?)`, { venue: 'ib' });
      }
      log.warn(`${where}: ${why}; the session tries again with backoff`);
    }
    let nodeBrokers: NodeBrokers | null = null;
    broker.conn.on('down', (reason) => {
      if (reason === 'closed') return;
      log.warn(`${where}: ${reason}; reconnecting`);
      nodeBrokers?.tell({ venue: 'ib', state: 'down', detail: `${where}: ${reason}; reconnecting`, ts: Date.now() });
    });
    broker.conn.on('ready', (again) => {
      if (!again) return;
      log.info('broker reconnected', { venue: 'ib' });
      nodeBrokers?.tell({ venue: 'ib', state: 'up', detail: `${where}: reconnected; executions and open orders asked again`, ts: Date.now() });
    });
    const health = new BrokerHealth('ib', broker.conn.link(), Date.now);
    void health.probe();
    const timer = setInterval(() => void health.probe(), ib.probeIntervalMs);
    timer.unref();
    const close = (): void => {
      clearInterval(timer);
      broker.close();
    };
    nodeBrokers = new NodeBrokers([sim, health], broker, close, ib);
    return nodeBrokers;
  }

  /** IB's connection drops and returns (the session's, when it trades at IB: they share it). */
  onConnection(listener: (e: BrokerConnectionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private tell(e: BrokerConnectionEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Every monitor; /metrics reads this list at each scrape, so brokers watched later are in it. */
  get monitors(): readonly BrokerHealth[] {
    return this.list;
  }

  /** Adds the session's broker monitors (the primary and its standbys), but not a second one for a venue already watched (IB). */
  watch(monitors: readonly BrokerHealth[]): void {
    for (const m of monitors) if (!this.list.some((x) => x.venue === m.venue)) this.list.push(m);
  }

  statuses(): BrokerHealthStatus[] {
    return this.monitors.map((m) => m.status());
  }

  async stop(): Promise<void> {
    this.close();
  }
}
