// Broker health as Prometheus metrics, per venue: up (not down), the state, the error share of recent requests,
// and a latency histogram of acknowledgements and probes (alert: pi5_broker_up == 0).

import { Gauge, Histogram, type Registry } from 'prom-client';
import type { BrokerHealth, BrokerState } from '../execution/venues/health/brokerHealth.js';

const STATES: readonly BrokerState[] = ['healthy', 'degraded', 'down'];

/** `sessionFailed`: the session's own venue (sim) counts as down once the session has failed. */
export function registerBrokerMetrics(registry: Registry, monitors: readonly BrokerHealth[], sessionFailed: () => boolean): void {
  new Gauge({ name: 'pi5_broker_up', help: '1 while the venue accepts orders, by venue (0: disconnected, or the session failed)', labelNames: ['venue'], registers: [registry], collect() {
    for (const m of monitors) this.set({ venue: m.venue }, m.status().state === 'down' || (m.venue === 'sim' && sessionFailed()) ? 0 : 1);
  } });
  new Gauge({ name: 'pi5_broker_state', help: 'The broker health state (1 for the current one), by venue', labelNames: ['venue', 'state'], registers: [registry], collect() {
    for (const m of monitors) {
      const now = m.status().state;
      for (const state of STATES) this.set({ venue: m.venue, state }, state === now ? 1 : 0);
    }
  } });
  new Gauge({ name: 'pi5_broker_error_ratio', help: 'Share of recent broker requests that failed, by venue', labelNames: ['venue'], registers: [registry], collect() {
    for (const m of monitors) this.set({ venue: m.venue }, m.status().errorRate);
  } });
  const latency = new Histogram({
    name: 'pi5_broker_latency_seconds',
    help: 'Broker answer latency (order acknowledgements, probes), by venue',
    labelNames: ['venue'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  for (const m of monitors) {
    latency.zero({ venue: m.venue });
    m.onLatency((ms) => latency.observe({ venue: m.venue }, ms / 1000));
  }
}
