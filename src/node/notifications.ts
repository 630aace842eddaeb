// The node's notifications: channels from the config's `notifications:` block (secrets from the environment),
// the notifier with its queues, the session's events, broker connections and reconciliations, and the daily summary. The node hands its `notify` hook
// to whatever else has news (broker venues: disconnects, reconnects, reconciliation corrections).

import type { Logger } from '../core/log.js';
import type { SessionView } from '../engine/live/sessionView.js';
import type { BrokerConnectionSource } from '../execution/venues/brokerVenue.js';
import { watchBrokers } from '../notify/brokerNotifications.js';
import { buildChannels } from '../notify/channels.js';
import type { NotificationsConfig } from '../notify/config.js';
import { DailyTimer } from '../notify/dailySummary.js';
import { Notifier } from '../notify/notifier.js';
import { dailySummaryNotification, subscribeSession } from '../notify/sessionNotifications.js';

export interface NodeNotifications {
  readonly notifier: Notifier;
  /** The daily summary's timer, when configured. */
  readonly dailySummary: DailyTimer | null;
  stop(): Promise<void>;
}

/** Builds the notifier for a config; a channel whose secret is missing from `env` stops the start. */
export function buildNotifier(config: NotificationsConfig, env: NodeJS.ProcessEnv, log?: Logger): Notifier {
  return new Notifier(buildChannels(config.channels, env, config.timeoutMs), {
    queueSize: config.queueSize,
    retries: config.retries,
    retryBaseMs: config.retryBaseMs,
    ...(log === undefined ? {} : { log }),
  });
}

/** `brokers`: whose connection drops and returns are told (the session's broker, the node's IB connection). */
export function openNotifications(config: NotificationsConfig, view: SessionView, env: NodeJS.ProcessEnv, log: Logger, now: () => number, brokers: readonly (Partial<BrokerConnectionSource> | undefined)[] = []): NodeNotifications {
  const notifier = buildNotifier(config, env, log);
  const session = subscribeSession(view, notifier.notify);
  const unwatch = watchBrokers(view, brokers, notifier.notify);
  const summary = config.dailySummary === undefined
    ? null
    : new DailyTimer(config.dailySummary.at, config.dailySummary.timeZone, now, (ts) => {
        notifier.notify(dailySummaryNotification(view, session.counts, ts));
        session.counts.fills = 0;
        session.counts.rejections = 0;
      });
  summary?.start();
  log.info(`notifications: ${notifier.channels.map((c) => c.name).join(', ') || 'no channels'}`);
  return {
    notifier,
    dailySummary: summary,
    stop: async () => {
      summary?.stop();
      session.unsubscribe();
      unwatch();
      await notifier.stop();
    },
  };
}
