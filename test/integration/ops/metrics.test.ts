// /metrics of the running server passes Prometheus naming rules (our own check of promtool's rules, and promtool
// itself where installed), and every metric the monitoring profile's alert rules and dashboards query exists in it.

import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';
import { MONITORING, metricNames, queries } from '../../helpers/monitoringFiles.js';
import { lintMetrics } from '../../helpers/promLint.js';
import { promtool, promtoolPath } from '../../helpers/promtool.js';

let s: TestServer;
let text = '';
let families: PromFamily[] = [];
beforeAll(async () => {
  s = await startTestServer();
  await s.request('GET', '/health');
  await s.session.advance(5);
  text = String((await s.request('GET', '/metrics')).body);
  families = parsePrometheusTextFormat(text);
}, 60_000);
afterAll(async () => s?.close());

const hasPromtool = promtoolPath() !== null;

describe('metric names', () => {
  it('every metric family of /metrics passes the naming rules (gauges never end in _total, counters do)', () => {
    expect(families.length).toBeGreaterThan(20);
    expect(lintMetrics(families)).toEqual([]);
  });

  it.runIf(hasPromtool)('promtool check metrics accepts /metrics', () => {
    const r = promtool(['check', 'metrics'], text);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('monitoring profile queries', () => {
  it('every metric an alert rule or a dashboard panel queries exists in /metrics (histograms by their series)', () => {
    const series = new Set<string>();
    for (const f of families) {
      series.add(f.name);
      if (f.type === 'HISTOGRAM') for (const suffix of ['_bucket', '_sum', '_count']) series.add(f.name + suffix);
    }
    const all = queries();
    expect(all.length).toBeGreaterThan(30);
    const missing = all.flatMap((q) => metricNames(q.expr).filter((n) => !series.has(n)).map((n) => `${q.where}: ${n}`));
    expect(missing).toEqual([]);
  });

  it.runIf(hasPromtool)('promtool check config and check rules accept the Prometheus files', () => {
    const rules = promtool(['check', 'rules', join(MONITORING, 'prometheus', 'alerts.yml')]);
    expect(rules.code, rules.output).toBe(0);
    const config = promtool(['check', 'config', '--syntax-only', join(MONITORING, 'prometheus', 'prometheus.yml')]);
    // The config names the rule file by its path inside the container; --syntax-only skips reading it.
    expect(config.code, config.output).toBe(0);
  });
});
