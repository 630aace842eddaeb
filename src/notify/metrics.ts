// Prometheus counters of the notifier (GET /metrics): read from its stats at scrape time, per channel.

import { Gauge, type Registry } from 'prom-client';
import { registerScrapedCounter } from '../ops/scrapedCounter.js';
import type { ChannelStats, Notifier } from './notifier.js';

export function registerNotifyMetrics(registry: Registry, notifier: Notifier): void {
  const counter = (name: string, help: string, read: (s: ChannelStats) => number): void =>
    registerScrapedCounter(registry, name, help, 'channel', () => notifier.stats().map((s) => [s.channel, read(s)] as const));
  counter('pi5_notifications_sent_total', 'Notifications delivered, by channel', (s) => s.sent);
  counter('pi5_notifications_failed_total', 'Notifications given up after every retry, by channel', (s) => s.failed);
  counter('pi5_notifications_dropped_total', 'Notifications dropped because the channel queue was full, by channel', (s) => s.dropped);
  new Gauge({
    name: 'pi5_notifications_queued',
    help: 'Notifications waiting for delivery, by channel',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of notifier.stats()) this.set({ channel: s.channel }, s.queued);
    },
  });
}
