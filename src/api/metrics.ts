// Prometheus metrics (GET /metrics): HTTP latency, tick→order latency, session events, orders by state, fills, P&L, equity,
// drawdown, risk rejections, feed lag, WebSocket clients and the process's own metrics.

import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SessionView } from '../engine/live/sessionView.js';
import type { WsHub } from './ws.js';

const DEFAULT_GAUGES_NAMED_TOTAL = ['pi5_nodejs_active_handles_total', 'pi5_nodejs_active_requests_total', 'pi5_nodejs_active_resources_total'];

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private readonly events: Counter<'type'>;
  private lastStepWallMs = Date.now();

  constructor(session: SessionView, ws: WsHub) {
    const r = this.registry;
    collectDefaultMetrics({ register: r, prefix: 'pi5_' });
    // prom-client names three gauges `_total`, which promtool rejects (only counters end so); the per-type gauges
    // it also exports carry the same numbers, summed in a query.
    for (const name of DEFAULT_GAUGES_NAMED_TOTAL) r.removeSingleMetric(name);
    this.http = new Histogram({
      name: 'pi5_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [r],
    });
    this.events = new Counter({ name: 'pi5_events_total', help: 'Session events published, by type', labelNames: ['type'], registers: [r] });
    const fills = new Counter({ name: 'pi5_fills_total', help: 'Fills booked', registers: [r] });
    const rejections = new Counter({ name: 'pi5_risk_rejections_total', help: 'Orders refused by a pre-trade check, by reason code', labelNames: ['code'], registers: [r] });
    for (const type of ['order', 'fill', 'bar', 'risk', 'denial', 'killSwitch', 'portfolio', 'status'] as const) {
      session.events.subscribe(type, () => this.events.inc({ type }));
    }
    // One observation per step that sent orders: from the step being ready (live: its bars complete) to its
    // orders handed to the venue after their journal write, so the database write is in it.
    const tickToOrder = new Histogram({
      name: 'pi5_tick_to_order_seconds',
      help: 'From a step being ready (live: its bars complete) to its orders handed to the venue, per step that sent orders',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [r],
    });
    session.events.subscribe('ordersSent', (e) => tickToOrder.observe(e.latencySeconds));
    session.events.subscribe('fill', () => fills.inc());
    session.events.subscribe('denial', (d) => rejections.inc({ code: d.code }));
    session.events.subscribe('portfolio', () => (this.lastStepWallMs = Date.now()));
    new Gauge({
      name: 'pi5_orders',
      help: 'Orders of the session by state',
      labelNames: ['state'],
      registers: [r],
      collect() {
        const counts = new Map<string, number>();
        for (const o of session.orders()) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
        this.reset();
        for (const [state, n] of counts) this.set({ state }, n);
      },
    });
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({ name, help, registers: [r], collect() { this.set(read()); } });
    };
    gauge('pi5_equity', 'Account equity', () => session.equity());
    gauge('pi5_cash', 'Account cash', () => session.cash());
    gauge('pi5_pnl_realized', 'Realized P&L', () => session.account().realizedPnl);
    gauge('pi5_pnl_unrealized', 'Unrealized P&L', () => session.account().unrealizedPnl);
    gauge('pi5_pnl_day', 'Equity change since the previous day\'s close', () => session.account().dayPnl);
    // The session's risk monitor keeps the peak step by step; a scrape need not walk the equity curve again.
    gauge('pi5_drawdown_ratio', 'Drawdown from peak equity, as a fraction', () => session.riskSnapshot()?.drawdown ?? 0);
    gauge('pi5_feed_lag_seconds', 'Wall time since the last step beyond the configured pace (0 when on time or paused)', () => {
      const st = session.status();
      if (st.state !== 'running') return 0;
      // Live, a step is due one bar length (plus the grace period) after the last; a replay, one interval after.
      const dueMs = st.live === null ? st.stepIntervalMs : session.baseTimeframe.ms + st.live.graceMs;
      return Math.max(0, (Date.now() - this.lastStepWallMs - dueMs) / 1000);
    });
    gauge('pi5_session_step', 'Steps processed by the paper session', () => session.curve().ts.length);
    gauge('pi5_ws_clients', 'Connected WebSocket clients', () => ws.stats.clients);
    gauge('pi5_ws_dropped_clients', 'WebSocket clients dropped for reading too slowly', () => ws.stats.dropped);
  }

  register(app: FastifyInstance): void {
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? 'unmatched';
      this.http.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
    app.get('/metrics', { schema: { hide: true } as Record<string, unknown> }, async (_req, reply) => {
      reply.header('content-type', this.registry.contentType);
      return this.registry.metrics();
    });
  }
}
