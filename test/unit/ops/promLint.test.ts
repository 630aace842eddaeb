// The Prometheus naming rules the metrics tests rely on, shown to catch what promtool catches.

import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Counter, Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { lintMetrics } from '../../helpers/promLint.js';

async function lintOf(build: (r: Registry) => void): Promise<string[]> {
  const r = new Registry();
  build(r);
  return lintMetrics(parsePrometheusTextFormat(await r.metrics())).map((p) => `${p.metric}: ${p.text}`);
}

describe('Prometheus naming rules', () => {
  it('flags a gauge ending in _total and a counter without it', async () => {
    const problems = await lintOf((r) => {
      new Gauge({ name: 'x_handles_total', help: 'h', registers: [r] });
      new Counter({ name: 'x_fills', help: 'h', registers: [r] });
    });
    expect(problems).toEqual([
      'x_handles_total: non-counter metrics should not have "_total" suffix',
      'x_fills: counter metrics should have "_total" suffix',
    ]);
  });

  it('flags abbreviated and non-base units, camelCase names and labels, and reserved suffixes', async () => {
    const problems = await lintOf((r) => {
      new Gauge({ name: 'x_lag_ms', help: 'h', registers: [r] });
      new Gauge({ name: 'x_age_hours', help: 'h', registers: [r] });
      new Gauge({ name: 'x_feedLag', help: 'h', registers: [r] });
      new Gauge({ name: 'x_backups_count', help: 'h', labelNames: ['targetDir'], registers: [r] }).set({ targetDir: 'a' }, 1);
    });
    expect(problems).toEqual([
      'x_lag_ms: metric names should not contain abbreviated units (ms)',
      'x_age_hours: use base units, not hours',
      "x_feedLag: metric names should be written in 'snake_case' not 'camelCase'",
      'x_backups_count: non-histogram and non-summary metrics should not have "_count" or "_sum" suffix',
      "x_backups_count: label names should be written in 'snake_case' not 'camelCase' (targetDir)",
    ]);
  });

  it('passes well-named metrics', async () => {
    expect(await lintOf((r) => {
      new Counter({ name: 'x_fills_total', help: 'h', registers: [r] });
      new Gauge({ name: 'x_feed_lag_seconds', help: 'h', labelNames: ['symbol'], registers: [r] }).set({ symbol: 'A' }, 1);
    })).toEqual([]);
  });
});
