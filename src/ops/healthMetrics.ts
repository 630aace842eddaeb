// The gauges alert rules and the Grafana dashboard need beyond the API's own: kill switch, feed up (venues: brokerMetrics.ts),
// exposure and VaR from the risk monitor, and free space on the data disk (read at each scrape).

import { statfs } from 'node:fs/promises';
import { Gauge, type Registry } from 'prom-client';
import { liveFeedUp } from '../engine/live/liveStepSource.js';
import type { SessionStatus } from '../engine/live/sessionEvents.js';
import type { RiskSnapshot } from '../model/events.js';

/** What these gauges read from the trading session's view: its status and its latest risk snapshot. */
export interface SessionHealthView {
  status(): SessionStatus;
  riskSnapshot(): RiskSnapshot | null;
}

export function registerHealthMetrics(registry: Registry, session: SessionHealthView, dataDir: string): void {
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  };
  const risk = (): RiskSnapshot | null => session.riskSnapshot();
  gauge('pi5_kill_switch_tripped', '1 while the kill switch is tripped', () => (session.status().killSwitch === 'tripped' ? 1 : 0));
  // pi5_broker_up (per venue) is in brokerMetrics.ts.
  gauge('pi5_feed_up', '1 while the market-data feed is connected (a replay: while the session has not failed)', () => {
    const st = session.status();
    return st.state !== 'failed' && (st.live === null || liveFeedUp(st.live.state)) ? 1 : 0;
  });
  gauge('pi5_exposure_gross_ratio', 'Gross exposure as a fraction of equity', () => risk()?.grossFraction ?? 0);
  gauge('pi5_exposure_net_ratio', 'Net exposure as a fraction of equity', () => risk()?.netFraction ?? 0);
  gauge('pi5_var95_ratio', 'Historical 1-step value at risk at 95% as a fraction of equity (0 until enough history)', () => risk()?.var95 ?? 0);
  gauge('pi5_es95_ratio', 'Expected shortfall at 95% as a fraction of equity (0 until enough history)', () => risk()?.es95 ?? 0);
  const disk = (name: string, help: string, read: (s: { bavail: number; blocks: number; bsize: number }) => number): void => {
    new Gauge({ name, help, registers: [registry], async collect() {
      // A missing or unreadable folder reports nothing rather than failing the whole scrape.
      const s = await statfs(dataDir).catch(() => null);
      if (s === null) this.reset();
      else this.set(read(s));
    } });
  };
  disk('pi5_data_disk_free_bytes', 'Free bytes on the disk holding the data directory (for unprivileged users)', (s) => s.bavail * s.bsize);
  disk('pi5_data_disk_size_bytes', 'Size of the disk holding the data directory', (s) => s.blocks * s.bsize);
}
