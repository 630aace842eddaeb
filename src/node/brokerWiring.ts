// The session's broker from configuration (the `broker` section, docs/live-trading.md): none for the simulated
// exchange, else the broker built with keys from the environment. A live (real money) endpoint is refused unless
// the config says `live: true`, and said out loud when it does.

import { Pi5Error } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { BrokerSettings } from '../config/schema.js';
import { credentialsFromEnv } from '../data/providers/alpaca/api.js';
import { ALPACA_PAPER_URL, AlpacaTradingApi } from '../execution/venues/alpaca/api.js';
import { AlpacaSessionBroker } from '../execution/venues/alpaca/sessionBroker.js';
import { streamUrlOf } from '../execution/venues/alpaca/tradeStream.js';
import { DEFAULT_ALPACA_VENUE } from '../execution/venues/alpaca/venue.js';
import type { SessionBroker } from '../execution/venues/brokerVenue.js';

/** `pi5 trade --paper` forces the paper endpoint; `--live` insists on a live one. */
export type TradeMode = 'paper' | 'live';

export interface BrokerWiringOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly notice: (text: string) => void;
  readonly mode?: TradeMode;
}

/** Paper endpoints, and local ones (a broker's fake in tests) that cannot move real money. */
export function isPaperEndpoint(url: string): boolean {
  const host = new URL(url).hostname;
  return host.startsWith('paper-api.') || host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

export function sessionBroker(b: BrokerSettings, o: BrokerWiringOptions): SessionBroker | undefined {
  if (b.venue === 'sim') {
    if (o.mode === 'live') throw new Pi5Error('PI5_ERR_BAD_CONFIG', '--live trades at a broker: set broker.venue (alpaca) in the config');
    return undefined;
  }
  const credentials = credentialsFromEnv(o.env);
  const configured = b.alpaca.baseUrl ?? o.env.APCA_API_BASE_URL ?? ALPACA_PAPER_URL;
  const baseUrl = o.mode === 'paper' ? ALPACA_PAPER_URL : configured;
  const paper = isPaperEndpoint(baseUrl);
  if (o.mode === 'live' && paper) throw new Pi5Error('PI5_ERR_BAD_CONFIG', `--live: ${baseUrl} is a paper endpoint; set APCA_API_BASE_URL (or broker.alpaca.baseUrl) to the live one`);
  if (!paper && !b.live) {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `broker: ${baseUrl} is a live endpoint (real money); set broker.live: true to trade it, or use the paper endpoint (--paper)`);
  }
  if (!paper) {
    const text = `*** LIVE TRADING: orders go to ${baseUrl} with REAL MONEY (broker.live: true) ***`;
    o.notice(text);
    o.log.warn(text);
  }
  const api = new AlpacaTradingApi({ baseUrl, credentials });
  return new AlpacaSessionBroker({
    api,
    credentials,
    streamUrl: b.alpaca.streamUrl ?? streamUrlOf(baseUrl),
    venue: { ...DEFAULT_ALPACA_VENUE, extendedHours: b.alpaca.extendedHours, onProblem: (m) => o.log.warn(m) },
    policy: b.reconcile,
  });
}
