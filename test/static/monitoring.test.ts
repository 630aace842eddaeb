// Static checks of the monitoring profile: compose wiring, Prometheus config, alert rules (one per condition the
// operator must hear about), Grafana data source and dashboards. Metric existence: test/integration/ops/metrics.test.ts.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { alertRules, dashboards, MONITORING, metricNames, readYaml } from '../helpers/monitoringFiles.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

type Dict = Record<string, unknown>;
const compose = parseYaml(readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Dict> };

describe('monitoring profile', () => {
  it('mounts folders that exist in the repository into prometheus and grafana', () => {
    for (const name of ['prometheus', 'grafana']) {
      for (const v of (compose.services[name]?.volumes ?? []) as string[]) {
        const [src] = v.split(':');
        if (src?.startsWith('./')) expect(existsSync(join(PROJECT_ROOT, src)), `${name}: ${v}`).toBe(true);
      }
    }
  });

  it('Prometheus scrapes the pi5 service on its port and loads the alert rules from the mounted folder', () => {
    const cfg = readYaml('prometheus/prometheus.yml') as { rule_files: string[]; scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[] }[] };
    const job = cfg.scrape_configs.find((j) => j.job_name === 'pi5');
    expect(job?.metrics_path).toBe('/metrics');
    expect(job?.static_configs[0]?.targets).toEqual(['pi5:8080']);
    expect(compose.services.pi5?.ports).toEqual(['127.0.0.1:8080:8080']);
    const mount = ((compose.services.prometheus?.volumes ?? []) as string[]).find((v) => v.startsWith('./monitoring/prometheus:'));
    const inContainer = mount?.split(':')[1] ?? '';
    for (const f of cfg.rule_files) expect(existsSync(join(MONITORING, 'prometheus', f.slice(inContainer.length + 1))), f).toBe(true);
  });

  it('has an alert for each condition the issue names, each with a severity and a summary', () => {
    const rules = alertRules();
    const byExpr = (metric: string): boolean => rules.some((r) => metricNames(r.expr ?? '').includes(metric));
    for (const m of ['pi5_feed_lag_seconds', 'pi5_broker_up', 'pi5_kill_switch_tripped', 'pi5_drawdown_ratio', 'pi5_backup_last_success_timestamp_seconds', 'pi5_data_disk_free_bytes']) {
      expect(byExpr(m), m).toBe(true);
    }
    expect(rules.find((r) => (r.expr ?? '').includes('pi5_backup_last_success'))?.expr).toMatch(/> 26 \* 3600/);
    for (const r of rules) {
      expect(r.alert, JSON.stringify(r)).toMatch(/^Pi5[A-Za-z]+$/);
      expect(['warning', 'critical']).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it('Grafana provisions the Prometheus data source and every dashboard panel queries it', () => {
    const ds = readYaml('grafana/provisioning/datasources/prometheus.yml') as { datasources: { uid: string; url: string; type: string }[] };
    const source = ds.datasources[0];
    expect(source).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    const provider = readYaml('grafana/provisioning/dashboards/dashboards.yml') as { providers: { options: { path: string } }[] };
    const mount = ((compose.services.grafana?.volumes ?? []) as string[]).find((v) => v.startsWith('./monitoring/grafana/dashboards:'));
    expect(mount?.split(':')[1]).toBe(provider.providers[0]?.options.path);
    const all = dashboards();
    expect(all.length).toBeGreaterThan(0);
    for (const d of all) {
      expect(new Set(d.panels.map((p) => p.id)).size, d.file).toBe(d.panels.length);
      for (const p of d.panels.filter((x) => x.type !== 'row')) {
        expect(p.datasource?.uid, p.title).toBe(source?.uid);
        expect((p.targets ?? []).length, p.title).toBeGreaterThan(0);
        for (const t of p.targets ?? []) expect(metricNames(t.expr ?? '').length, `${p.title}: ${t.expr}`).toBeGreaterThan(0);
      }
    }
  });

  it('the dashboards cover trading, risk, latency, feed, system and backups', () => {
    const titles = dashboards().flatMap((d) => d.panels.filter((p) => p.type === 'row').map((p) => p.title));
    expect(titles).toEqual(expect.arrayContaining(['Trading', 'Risk', 'Latency', 'Feed and venue', 'System', 'Backups and disk']));
  });
});
