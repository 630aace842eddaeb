// What a session's brokers have to tell the outside beyond their orders: each recorded reconciliation, and a broker
// unreachable at start (then reached), logged and published as session events (notifications listen to them);
// with how often such a broker is tried again.

import type { Logger } from '../../core/log.js';
import type { MessageBus } from '../../core/bus.js';
import type { TradingSessionEvents } from './sessionEvents.js';
import { DEFAULT_BROKER_RETRY, type BrokerRetry } from './sessionBroker.js';
import type { SessionBrokersHost } from './sessionBrokers.js';

export function brokerNotices(sessionId: string, log: Logger, events: Pick<MessageBus<TradingSessionEvents>, 'publish'>, retry: BrokerRetry = DEFAULT_BROKER_RETRY): Pick<SessionBrokersHost, 'reconciled' | 'reachability' | 'retry'> {
  return {
    retry,
    reconciled: (venue, record) => events.publish('reconciled', { venue, record }),
    reachability: (venue, unreachable) => {
      if (unreachable === null) log.info(`paper session ${sessionId}: broker ${venue} reached and reconciled`);
      else log.error(`paper session ${sessionId}: broker ${venue} unreachable at start (${unreachable}); retrying with backoff`);
      events.publish('brokerReachability', { venue, unreachable, ts: Date.now() });
    },
  };
}
