// The notifier's Prometheus series: per-channel counts read from its stats at scrape time, named by the rules
// promtool applies.

import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DeliveryError, type Channel } from '../../../src/notify/channels.js';
import { registerNotifyMetrics } from '../../../src/notify/metrics.js';
import { Notifier } from '../../../src/notify/notifier.js';
import { lintMetrics } from '../../helpers/promLint.js';

const channel = (name: string, send: Channel['send']): Channel => ({ name, type: 'webhook', events: null, ratePerMin: 600, send });

describe('notification metrics', () => {
  it('counts sent, failed and dropped per channel, and passes promlint', async () => {
    const n = new Notifier(
      [channel('ok', async () => undefined), channel('bad', async () => Promise.reject(new DeliveryError('HTTP 400', false)))],
      { queueSize: 2, retries: 0, retryBaseMs: 1 },
    );
    const r = new Registry();
    registerNotifyMetrics(r, n);
    for (let i = 0; i < 3; i++) n.notify({ kind: 'fill', ts: i, title: 't', text: 'x' });
    await n.idle();
    const text = await r.metrics();
    expect(text).toContain('pi5_notifications_sent_total{channel="ok"} 2');
    expect(text).toContain('pi5_notifications_dropped_total{channel="ok"} 1');
    expect(text).toContain('pi5_notifications_failed_total{channel="bad"} 2');
    expect(text).toContain('pi5_notifications_queued{channel="bad"} 0');
    // A second scrape reports the same totals (read, not added again).
    expect(await r.metrics()).toContain('pi5_notifications_sent_total{channel="ok"} 2');
    expect(lintMetrics(parsePrometheusTextFormat(text))).toEqual([]);
  });
});
