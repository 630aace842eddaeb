// Which session events go to which WebSocket channel. Bars and portfolio updates come once per step; order,
// fill and risk events as they happen; positions after every fill.

import type { SessionView } from '../engine/live/sessionView.js';
import type { BacktestJobs } from '../backtest/jobs/backtestJobs.js';
import type { OptimizationJobs } from '../optimize/jobs/optimizationJobs.js';
import type { LogRing } from './logRing.js';
import { portfolioJson, positionsOf } from './routes/portfolio.js';
import type { WsHub } from './ws.js';

export function wireSessionToHub(session: SessionView, hub: WsHub, logs: LogRing, backtests: BacktestJobs, optimizations: OptimizationJobs): void {
  const ev = session.events;
  ev.subscribe('order', (o) => hub.publish('orders', o));
  ev.subscribe('fill', (f) => {
    hub.publish('fills', f);
    hub.publish('positions', positionsOf(session));
  });
  ev.subscribe('bar', (b) => hub.publish('bars', b));
  ev.subscribe('portfolio', () => hub.publish('portfolio', portfolioJson(session)));
  ev.subscribe('risk', (r) => hub.publish('risk', { kind: 'snapshot', snapshot: r }));
  ev.subscribe('denial', (d) => hub.publish('risk', { kind: 'denial', denial: d }));
  ev.subscribe('killSwitch', (k) => hub.publish('risk', { kind: 'killSwitch', change: k }));
  ev.subscribe('status', (s) => hub.publish('status', s));
  logs.listen((entry) => hub.publish('logs', entry));
  backtests.onProgress((p) => hub.publish('backtests', p));
  optimizations.onProgress((p) => hub.publish('optimizations', p));
}
