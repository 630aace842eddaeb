// /metrics of the running server passes Prometheus naming rules (our own check of promtool's rules, and promtool
// itself where installed).

import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/apiServer.js';
import { lintMetrics } from '../../helpers/promLint.js';
import { promtool, promtoolPath } from '../../helpers/promtool.js';

let s: TestServer;
let text = '';
beforeAll(async () => {
  s = await startTestServer();
  await s.request('GET', '/health');
  await s.session.advance(5);
  text = String((await s.request('GET', '/metrics')).body);
}, 60_000);
afterAll(async () => s?.close());

describe('metric names', () => {
  it('every metric family of /metrics passes the naming rules (gauges never end in _total, counters do)', () => {
    const families = parsePrometheusTextFormat(text);
    expect(families.length).toBeGreaterThan(20);
    expect(lintMetrics(families)).toEqual([]);
  });

  it.runIf(promtoolPath() !== null)('promtool check metrics accepts /metrics', () => {
    const r = promtool(['check', 'metrics'], text);
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });
});
