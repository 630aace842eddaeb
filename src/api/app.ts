// Mounts HTTP and WebSocket on a running trading node (src/node/): the route context over the node's components,
// the WebSocket hub and its fan-out of session events, metrics, and the HTTP listener. It builds nothing of the
// trading system itself; stopping the server leaves the node running.

import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ENGINE_VERSION } from '../engine/backtestRunner.js';
import { publicConfig } from '../config/serverConfig.js';
import type { TradingNode } from '../node/tradingNode.js';
import { registerBackupMetrics } from '../ops/backupMetrics.js';
import { registerBrokerMetrics } from '../ops/brokerMetrics.js';
import { registerHealthMetrics } from '../ops/healthMetrics.js';
import { registerSystemMetrics } from '../ops/systemMetrics.js';
import { breakerStates } from '../data/providers/resilience/index.js';
import type { ApiContext } from './context.js';
import { LogRing } from './logRing.js';
import { registerNotifyMetrics } from '../notify/metrics.js';
import { ApiMetrics } from './metrics.js';
import { buildServer } from './server.js';
import { WsHub } from './ws.js';
import { wireSessionToHub } from './wsFeed.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  /** http://host:port the server listens on. */
  readonly url: string;
  readonly hub: WsHub;
  /** Closes connections and the WebSocket hub; the node keeps running (stop it after). */
  close(): Promise<void>;
}

export interface HttpOptions {
  /** Log stream copy target; default stdout (null: keep logs in memory only, for tests). */
  readonly logOut?: { write(s: string): unknown } | null;
  readonly onRestart?: () => void;
}

function contextOf(node: TradingNode, logs: LogRing, opts: HttpOptions): ApiContext {
  const c = node.config;
  return {
    db: node.db, cache: node.cache, auth: node.auth, audit: node.audit, session: node.sessionView, bars: node.bars,
    backtests: node.backtests, optimizations: node.optimizations, brokers: () => node.brokers.statuses(), health: () => node.health(), log: node.log, logs,
    version: ENGINE_VERSION, startedAt: node.startedAt, publicConfig: publicConfig(c),
    orderRatePerMin: c.orderRatePerMin, loginRatePerMin: c.loginRatePerMin,
    requestRestart: opts.onRestart ?? (() => undefined),
    ...(node.backups === null ? {} : { backups: node.backups }),
    ...(node.brokers.ibAccount === null ? {} : { ibAccount: node.brokers.ibAccount }),
  };
}

/** Serves the node's API on the configured host and port, then lets the node's sessions step. */
export async function startServer(node: TradingNode, opts: HttpOptions = {}): Promise<RunningServer> {
  const config = node.config;
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of closers) await c().catch(() => undefined);
  };
  try {
    const logs = new LogRing(500, opts.logOut === undefined ? process.stdout : opts.logOut);
    const hub = new WsHub(node.cache, node.auth);
    await hub.start();
    closers.unshift(() => hub.close());
    const ctx = contextOf(node, logs, opts);
    wireSessionToHub(node.sessionView, hub, logs, node.backtests, node.optimizations);
    const unquote = node.onQuote((q) => hub.publish('quotes', q));
    closers.unshift(async () => unquote());
    const metrics = new ApiMetrics(node.sessionView, hub);
    if (node.backups !== null) registerBackupMetrics(metrics.registry, node.backups);
    if (node.notifier !== null) registerNotifyMetrics(metrics.registry, node.notifier);
    registerHealthMetrics(metrics.registry, node.sessionView, resolve(config.dataDir));
    registerSystemMetrics(metrics.registry, { queries: node.queryTimings, pool: () => node.db.poolStats?.() ?? null, cache: node.cache, breakers: breakerStates });
    registerBrokerMetrics(metrics.registry, node.brokers.monitors, () => node.sessionView.status().state === 'failed');
    const app = await buildServer(ctx, hub, metrics, {
      logLevel: config.logLevel,
      bodyLimitBytes: config.bodyLimitBytes,
      limits: { requestTimeoutMs: config.requestTimeoutMs, headersTimeoutMs: config.headersTimeoutMs, keepAliveTimeoutMs: config.keepAliveTimeoutMs, maxConnectionsPerIp: config.maxConnectionsPerIp },
      ...(config.corsOrigin === undefined ? {} : { corsOrigin: config.corsOrigin }),
    });
    closers.unshift(() => app.close());
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    node.startSessions();
    return { app, url: `http://${config.host}:${port}`, hub, close };
  } catch (e) {
    await close();
    throw e;
  }
}
