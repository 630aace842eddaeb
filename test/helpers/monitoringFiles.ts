// The monitoring profile's files (monitoring/): Prometheus config, alert rules, Grafana provisioning and
// dashboards, read and parsed, and every pi5 metric name their queries use.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PROJECT_ROOT } from './shared.js';

export const MONITORING = join(PROJECT_ROOT, 'monitoring');

export interface AlertRule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface DashboardPanel {
  type: string;
  id: number;
  title: string;
  datasource?: { uid?: string };
  targets?: { expr?: string }[];
}

export const readYaml = (rel: string): unknown => parseYaml(readFileSync(join(MONITORING, rel), 'utf8'));

export function alertRules(): AlertRule[] {
  const doc = readYaml('prometheus/alerts.yml') as { groups: { rules: AlertRule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

export function dashboards(): { file: string; uid: string; panels: DashboardPanel[] }[] {
  const dir = join(MONITORING, 'grafana', 'dashboards');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => {
      const d = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { uid: string; panels: DashboardPanel[] };
      return { file, uid: d.uid, panels: d.panels };
    });
}

/** Every PromQL expression of the rules and dashboards, with where it is. */
export function queries(): { where: string; expr: string }[] {
  const out = alertRules().map((r) => ({ where: `alert ${r.alert ?? '?'}`, expr: r.expr ?? '' }));
  for (const d of dashboards()) {
    for (const p of d.panels) for (const t of p.targets ?? []) out.push({ where: `${d.file}: ${p.title}`, expr: t.expr ?? '' });
  }
  return out;
}

/** pi5_* names in a PromQL expression (label values in quotes are not names). */
export function metricNames(expr: string): string[] {
  return [...expr.replace(/"[^"]*"/g, '""').matchAll(/\bpi5_[a-zA-Z0-9_]+/g)].map((m) => m[0]);
}
