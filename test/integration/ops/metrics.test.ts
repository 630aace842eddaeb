// /metrics of the running server passes Prometheus naming rules (our own check of promtool's rules, and promtool
// itself where installed), and every metric the monitoring profile's alert rules and dashboards query exists in it.
// The same server (PGlite) takes a backup on demand through the API while it runs.

import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { readdir } from 'node:fs/promises';
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
});
afterAll(async () => s?.close());

const hasPromtool = promtoolPath() !== null;

describe('metric names', () => {
  it('every metric family of /metrics passes the naming rules (gauges never end in _total, counters do)', () => {
    expect(families.length).toBeGreaterThan(20);
    expect(lintMetrics(families)).toEqual([]);
  });

  it('exports tick→order latency as a histogram and the database pool as gauges (their dashboard panels need them)', () => {
    const type = new Map(families.map((f) => [f.name, f.type]));
    const names = ['pi5_tick_to_order_seconds', 'pi5_db_pool_connections', 'pi5_db_pool_idle_connections', 'pi5_db_pool_waiting_requests', 'pi5_db_pool_max_connections'];
    expect(names.map((n) => type.get(n))).toEqual(['HISTOGRAM', 'GAUGE', 'GAUGE', 'GAUGE', 'GAUGE']);
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

describe('backups on demand (PGlite, server running)', () => {
  it('an admin takes a backup into the backup folder; it shows in the status and in /metrics; a viewer may not', async () => {
    const viewer = await s.userToken('vera', 'viewer');
    expect((await s.request('POST', '/api/v1/system/backups', { token: viewer })).status).toBe(403);
    const r = await s.request('POST', '/api/v1/system/backups', { token: await s.adminToken() });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ kept: 1, successes: 1, failures: 0 });
    expect(r.body.lastBytes).toBeGreaterThan(1000);
    const files = await readdir(join(s.dataDir, 'backups'));
    expect(files).toEqual([expect.stringMatching(/^pi5-backup-\d{8}T\d{6}Z\.tar\.gz$/)]);
    expect((await s.request('GET', '/api/v1/system/backups', { token: await s.adminToken() })).body.kept).toBe(1);
    const m = parsePrometheusTextFormat(String((await s.request('GET', '/metrics')).body));
    const runs = m.find((f) => f.name === 'pi5_backup_runs_total')?.metrics.find((x) => x.labels?.outcome === 'ok');
    expect(Number(runs?.value)).toBe(1);
    expect((await s.request('GET', '/ready')).body.details.backup.kept).toBe(1);
  });
});
