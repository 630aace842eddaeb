// The session's broker from configuration (the `broker` section, docs/live-trading.md): none for the simulated
// exchange, else the broker built with keys from the environment. A live (real money) endpoint is refused unless
// the config says `live: true`, and said out loud when it does.

import { Pi5Error } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { IbSettings } from '../config/ibSettings.js';
import type { BrokerSettings } from '../config/schema.js';
import { credentialsFromEnv } from '../data/providers/alpaca/api.js';
import { ALPACA_PAPER_URL, AlpacaTradingApi } from '../execution/venues/alpaca/api.js';
import { AlpacaSessionBroker } from '../execution/venues/alpaca/sessionBroker.js';
import { streamUrlOf } from '../execution/venues/alpaca/tradeStream.js';
import { DEFAULT_ALPACA_VENUE } from '../execution/venues/alpaca/venue.js';
import type { SessionBroker } from '../execution/venues/brokerVenue.js';
import { IbSessionBroker } from '../execution/venues/ib/sessionBroker.js';

/** `pi5 trade --paper` forces the paper endpoint; `--live` insists on a live one. */
export type TradeMode = 'paper' | 'live';

export interface BrokerWiringOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly notice: (text: string) => void;
  readonly mode?: TradeMode;
  /** The `ib` section: venue ib trades through its connection. */
  readonly ib?: IbSettings;
}

/** Paper endpoints, and local ones (a broker's fake in tests) that cannot move real money. */
export function isPaperEndpoint(url: string): boolean {
  const host = new URL(url).hostname;
  return host.startsWith('paper-api.') || host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

export function sessionBroker(b: BrokerSettings, o: BrokerWiringOptions): SessionBroker | undefined {
  if (b.venue === 'sim') {
    if (o.mode === 'live') throw new Pi5Error('PI5_ERR_BAD_CONFIG', '--live trades at a broker: set broker.venue (alpaca or ib) in the config');
    if (b.failover.length > 0) throw new Pi5Error('PI5_ERR_BAD_CONFIG', 'broker.failover: standby brokers need a primary broker (broker.venue alpaca or ib)');
    return undefined;
  }
  if (b.venue === 'ib') return ibSessionBroker(b, o);
  return alpacaSessionBroker(b, b.alpaca, 'alpaca', o.env, o);
}

/** The standby brokers of `broker.failover`, by priority (decision 0011). */
export function failoverBrokers(b: BrokerSettings, o: BrokerWiringOptions): SessionBroker[] {
  const ib = (b.venue === 'ib' ? 1 : 0) + b.failover.filter((f) => f.venue === 'ib').length;
  if (ib > 1) throw new Pi5Error('PI5_ERR_BAD_CONFIG', 'broker.failover: the ib section is one connection; IB can be the primary or one standby, not both');
  return b.failover.map((f, i) => {
    // IB is one connection, named ib wherever it stands.
    if (f.venue === 'ib') return ibSessionBroker(b, o);
    const name = f.name ?? `alpaca-standby-${i + 1}`;
    // The standby's own keys, under the names the primary's are read by.
    const env = { ...o.env, APCA_API_KEY_ID: o.env[f.alpaca.keyIdEnv ?? 'APCA_API_KEY_ID'], APCA_API_SECRET_KEY: o.env[f.alpaca.secretKeyEnv ?? 'APCA_API_SECRET_KEY'] };
    return alpacaSessionBroker(b, f.alpaca, name, env, o);
  });
}

function alpacaSessionBroker(b: BrokerSettings, alpaca: BrokerSettings['alpaca'], name: string, env: NodeJS.ProcessEnv, o: BrokerWiringOptions): SessionBroker {
  const credentials = credentialsFromEnv(env);
  const configured = alpaca.baseUrl ?? env.APCA_API_BASE_URL ?? ALPACA_PAPER_URL;
  const baseUrl = o.mode === 'paper' ? ALPACA_PAPER_URL : configured;
  const paper = isPaperEndpoint(baseUrl);
  if (o.mode === 'live' && paper) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `--live: ${baseUrl} is a paper endpoint; set APCA_API_BASE_URL (or broker.alpaca.baseUrl) to the live one`);
  if (!paper && !b.live) {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `broker: ${baseUrl} is a live endpoint (real money); set broker.live: true to trade it, or use the paper endpoint (--paper)`);
  }
  if (!paper) liveNotice(baseUrl, o);
  const api = new AlpacaTradingApi({ baseUrl, credentials });
  return new AlpacaSessionBroker({
    api,
    credentials,
    name,
    streamUrl: alpaca.streamUrl ?? streamUrlOf(baseUrl),
    venue: { ...DEFAULT_ALPACA_VENUE, extendedHours: alpaca.extendedHours, onProblem: (m) => o.log.warn(m) },
    policy: b.reconcile,
  });
}

/** IB paper accounts are DU… (DF… for a paper advisor); anything else moves real money. */
export function isPaperIbAccount(account: string): boolean {
  return /^D[UF]/i.test(account);
}

function ibSessionBroker(b: BrokerSettings, o: BrokerWiringOptions): SessionBroker {
  const ib = o.ib;
  if (ib === undefined) throw new Pi5Error('PI5_ERR_BAD_CONFIG', 'broker.venue ib needs the ib section (host, port, clientId, account; docs/brokers-ib.md)');
  const paper = isPaperIbAccount(ib.account);
  if (o.mode === 'paper' && !paper) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `--paper: ib.account ${ib.account} is a live account; paper accounts start with DU`);
  if (o.mode === 'live' && paper) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `--live: ib.account ${ib.account} is a paper account; set ib.account to the live one`);
  if (!paper && !b.live) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `broker: ib.account ${ib.account} is a live account (real money); set broker.live: true to trade it, or use a paper (DU…) account`);
  if (!paper) liveNotice(`IB account ${ib.account}`, o);
  return new IbSessionBroker({
    connection: { host: ib.host, port: ib.port, clientId: ib.clientId, connectTimeoutMs: ib.connectTimeoutMs, maxMessagesPerSecond: ib.maxMessagesPerSecond, reconnectInitialMs: 1000, reconnectMaxMs: 60_000 },
    venue: { clientId: ib.clientId, account: ib.account, requestTimeoutMs: ib.connectTimeoutMs, warn: (m) => o.log.warn(m) },
    policy: b.reconcile,
  });
}

function liveNotice(where: string, o: BrokerWiringOptions): void {
  const text = `*** LIVE TRADING: orders go to ${where} with REAL MONEY (broker.live: true) ***`;
  o.notice(text);
  o.log.warn(text);
}
