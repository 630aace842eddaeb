// The trading node: the one place that assembles a running system from the server config — storage (opened and
// migrated), cache, auth, the live feed or replay, the trading session, backtest jobs and any extra services
// (notifiers, backup scheduler) — starts them in order, stops them in reverse, and reports each one's health.
// `pi5 serve` and the tests start a node and mount the API on it; a node also runs with no HTTP server at all.

import { join, resolve } from 'node:path';
import { BacktestJobs } from '../backtest/jobs/backtestJobs.js';
import { OptimizationJobs } from '../optimize/jobs/optimizationJobs.js';
import { AuthService, bootstrapAdmin, bootstrapNotice, loadJwtSecret, type ScryptParams } from '../auth/index.js';
import { openCache } from '../cache/openCache.js';
import type { Cache } from '../cache/types.js';
import { createLogger, type Logger } from '../core/log.js';
import type { Quote } from '../model/types.js';
import { sessionView, type SessionView } from '../engine/live/sessionView.js';
import { TradingSession } from '../engine/live/tradingSession.js';
import { BarStore } from '../persistence/barStore.js';
import type { Database } from '../persistence/database.js';
import { migrate } from '../persistence/migrations/index.js';
import { openDatabase } from '../persistence/openDatabase.js';
import { QueryTimings, timeQueries } from '../persistence/queryTimings.js';
import { AuditRepository } from '../persistence/repositories/audit.js';
import { TradingSessionRepository } from '../persistence/repositories/tradingSessions.js';
import { findBuiltin } from '../strategy/registry.js';
import type { BackupScheduler } from '../ops/backupScheduler.js';
import { backupBeforeMigrations, startBackupScheduler } from '../ops/serverBackups.js';
import type { ServerConfig } from '../config/serverConfig.js';
import { liveSession, replaySession, type ReplaySource } from './demoSession.js';
import { NodeBrokers } from './brokers.js';
import { nodeHealth, type NodeHealth } from './health.js';
import type { LiveWiring } from './liveWiring.js';
import type { Notifier } from '../notify/notifier.js';
import type { Notify } from '../notify/types.js';
import { failoverBrokers, sessionBroker, type TradeMode } from './brokerWiring.js';
import { IbSessionBroker } from '../execution/venues/ib/sessionBroker.js';
import type { SessionBroker } from '../execution/venues/brokerVenue.js';

/** A component started after the built-in ones and stopped before them (notifiers, a backup scheduler). */
export interface NodeService {
  readonly name: string;
  start(node: TradingNode): Promise<void>;
  stop(): Promise<void>;
}

export interface NodeOptions {
  readonly replay?: ReplaySource;
  /** Where start-up notices (the one-time admin password) go; default stderr. */
  readonly notice?: (text: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  readonly services?: readonly NodeService[];
  /** `pi5 trade --paper|--live`: the broker endpoint the operator insists on. */
  readonly tradeMode?: TradeMode;
  /**
   * Password-hashing cost; default DEFAULT_SCRYPT. Only code passes it (tests that sign in dozens of times, where
   * each default hash costs ~0.3 CPU-s): no config key or variable, so an operator cannot weaken it by accident.
   */
  readonly scrypt?: ScryptParams;
}

interface Parts {
  readonly db: Database;
  readonly queryTimings: QueryTimings;
  readonly cache: Cache;
  readonly auth: AuthService;
  readonly live: LiveWiring | null;
  readonly session: TradingSession;
  readonly backtests: BacktestJobs;
  readonly optimizations: OptimizationJobs;
  readonly backups: BackupScheduler | null;
  readonly notifier: Notifier | null;
  readonly brokers: NodeBrokers;
}

/** Components in start order; stopping runs the list backwards. */
type Stops = { readonly name: string; readonly stop: () => Promise<void> }[];

/** Trading events (orders, fills, risk) at info; Fastify's levels folded onto ours; JSON lines when asked. */
function nodeLogger(config: ServerConfig): Logger {
  const l = config.logLevel;
  const level = l === 'silent' ? 'silent' : l === 'debug' || l === 'trace' ? 'debug' : l === 'info' ? 'info' : l === 'warn' ? 'warn' : 'error';
  return createLogger(level, undefined, {}, config.logFormat === 'json');
}

async function openAuth(db: Database, config: ServerConfig, opts: { env: NodeJS.ProcessEnv; notice: (t: string) => void; scrypt: ScryptParams | undefined }, log: Logger): Promise<AuthService> {
  const { env, notice } = opts;
  const secret = await loadJwtSecret({ ...env, PI5_DATA_DIR: config.dataDir });
  log.info('token signing secret loaded', { source: secret.source });
  const scrypt = opts.scrypt === undefined ? {} : { scrypt: opts.scrypt };
  const text = bootstrapNotice(await bootstrapAdmin(db, { env, ...scrypt }));
  if (text !== undefined) notice(text);
  return new AuthService(db, { secret: secret.key, accessTtlSec: config.accessTtlSec, ...scrypt });
}

async function openSession(config: ServerConfig, db: Database, live: LiveWiring | null, replay: ReplaySource | undefined, brokers: readonly SessionBroker[], log: Logger): Promise<TradingSession> {
  const setup = live === null ? replaySession(config, replay) : liveSession(config, live);
  const [broker, ...failover] = brokers;
  return TradingSession.open({
    ...(broker === undefined ? {} : { broker, failover }),
    config: setup.session,
    feed: setup.feed,
    instruments: setup.instruments,
    baseTimeframe: setup.timeframe,
    store: new TradingSessionRepository(db),
    resolveStrategy: findBuiltin,
    log,
    stepIntervalMs: config.speed === undefined ? config.stepIntervalMs : config.speed === 'max' ? 0 : Math.round(setup.timeframe.ms / config.speed),
  });
}

/** Opens every component in order, registering each one's stop as soon as it is open. */
async function openParts(config: ServerConfig, opts: NodeOptions, log: Logger, stops: Stops): Promise<Parts> {
  const env = opts.env ?? process.env;
  const notice = opts.notice ?? ((t: string) => process.stderr.write(`${t}\n`));
  // The broker settings and keys are checked before anything is opened.
  const wiring = { env, log, notice, ...(opts.tradeMode === undefined ? {} : { mode: opts.tradeMode }), ...(config.ib === undefined ? {} : { ib: config.ib }) };
  const primary = sessionBroker(config.broker, wiring);
  const sessionBrokers = primary === undefined ? [] : [primary, ...failoverBrokers(config.broker, wiring)];
  // Every database call is timed for /metrics (listeners attach once the metrics registry exists).
  const queryTimings = new QueryTimings();
  const db = timeQueries(await openDatabase(config.databaseUrl === undefined ? { dataDir: join(resolve(config.dataDir)) } : { databaseUrl: config.databaseUrl }), queryTimings);
  stops.push({ name: 'database', stop: () => db.close() });
  // Backups (src/ops, docs/operations.md): one before an upgrade's migrations change the schema, then daily.
  await backupBeforeMigrations(db, config, Date.now, log);
  await migrate(db);
  // The scheduler starts before the notifier exists: a failed backup is told to whoever is listening by then.
  let notifyLater: Notify = () => undefined;
  const backups = await startBackupScheduler(db, config, Date.now, log, (file, error) =>
    notifyLater({ kind: 'backup_failed', ts: Date.now(), title: 'Backup failed', text: `${file}: ${error}. The next hourly check tries again.`, data: { file, error } }),
  );
  if (backups !== null) stops.push({ name: 'backups', stop: () => backups.stop() });
  const cache = await openCache({ ...(config.redisUrl === undefined ? {} : { redisUrl: config.redisUrl }), prefix: config.cachePrefix, log });
  stops.push({ name: 'cache', stop: () => cache.close() });
  const auth = await openAuth(db, config, { env, notice, scrypt: opts.scrypt }, log);
  // IB allows one connection per client id: a session trading at IB shares the node's.
  const brokers = await NodeBrokers.open(config.ib, log, sessionBrokers.find((b): b is IbSessionBroker => b instanceof IbSessionBroker)?.ib);
  stops.push({ name: 'brokers', stop: () => brokers.stop() });
  // A live feed's providers and the notification channels (below) are loaded only when the config has them: a
  // replay or a broker session without notifications starts without those modules (start-up cost, docs/benchmarks.md).
  const live = config.live === undefined ? null : await (await import('./liveWiring.js')).openLiveWiring(config.live, { db, sessionId: config.sessionId, timeZone: config.timeZone, env, log, now: Date.now });
  if (live !== null) stops.push({ name: 'feed', stop: () => live.close() });
  const session = await openSession(config, db, live, opts.replay, sessionBrokers, log);
  stops.push({ name: 'session', stop: () => session.stop() });
  brokers.watch(session.brokerMonitors());
  // Bars flow only once the session has re-run its stored steps: those come back from the bar store first.
  await live?.start();
  live?.feed.on('quote', (q) => void cache.setQuote(q));
  const backtests = new BacktestJobs({ db, bars: new BarStore(db) });
  await backtests.failInterrupted();
  stops.push({ name: 'backtests', stop: () => backtests.close() });
  const optimizations = new OptimizationJobs({ db, bars: new BarStore(db) });
  await optimizations.resumeUnfinished();
  stops.push({ name: 'optimizations', stop: () => optimizations.close() });
  // Notifications (docs/notifications.md): after the session, so they hear only what happens from now on.
  const notifications = config.notifications === undefined ? null : (await import('./notifications.js')).openNotifications(config.notifications, sessionView(session), env, log, Date.now, [brokers, ...sessionBrokers]);
  if (notifications !== null) {
    stops.push({ name: 'notifications', stop: () => notifications.stop() });
    notifyLater = notifications.notifier.notify;
  }
  return { db, queryTimings, cache, auth, live, session, backtests, optimizations, backups, brokers, notifier: notifications?.notifier ?? null };
}

async function stopAll(stops: Stops, log: Logger): Promise<void> {
  for (const s of [...stops].reverse()) {
    await s.stop().catch((e: unknown) => log.warn(`node: stopping ${s.name} failed: ${(e as Error).message}`));
  }
}

export class TradingNode {
  readonly db: Database;
  /** Durations of every database call (the /metrics histogram listens). */
  readonly queryTimings: QueryTimings;
  readonly cache: Cache;
  readonly auth: AuthService;
  readonly audit: AuditRepository;
  readonly bars: BarStore;
  readonly backtests: BacktestJobs;
  /** Optimizations requested over the API (runs and trials in the database). */
  readonly optimizations: OptimizationJobs;
  /** The daily backup scheduler, when backups are on. */
  readonly backups: BackupScheduler | null;
  /** The notifier when the config has a `notifications:` block (its stats feed /metrics). */
  readonly notifier: Notifier | null;
  /**
   * Tells a person something (broker venues: disconnects, reconnects, reconciliation corrections): queued per
   * channel and delivered off the caller's path; does nothing without notifications configured. Never throws.
   */
  readonly notify: Notify;
  readonly session: TradingSession;
  /** Broker connections and their health monitors. */
  readonly brokers: NodeBrokers;
  /** What the API reads and acts through: never the session's kernel. */
  readonly sessionView: SessionView;
  readonly startedAt = Date.now();
  private readonly live: LiveWiring | null;
  private stopped = false;

  private constructor(
    readonly config: ServerConfig,
    readonly log: Logger,
    parts: Parts,
    private readonly stops: Stops,
  ) {
    this.db = parts.db;
    this.queryTimings = parts.queryTimings;
    this.cache = parts.cache;
    this.auth = parts.auth;
    this.audit = new AuditRepository(parts.db);
    this.bars = new BarStore(parts.db);
    this.backtests = parts.backtests;
    this.optimizations = parts.optimizations;
    this.backups = parts.backups;
    this.notifier = parts.notifier;
    this.notify = parts.notifier?.notify ?? (() => undefined);
    this.session = parts.session;
    this.brokers = parts.brokers;
    this.live = parts.live;
    this.sessionView = sessionView(parts.session);
  }

  /**
   * Opens the node: database (migrated), cache, auth (first-run admin), the live feed when configured, the
   * session (recovered from storage), backtest jobs, then the extra services. The session does not step until
   * startSessions(). A failure closes whatever was opened.
   */
  static async open(config: ServerConfig, opts: NodeOptions = {}): Promise<TradingNode> {
    const log = nodeLogger(config);
    const stops: Stops = [];
    try {
      const parts = await openParts(config, opts, log, stops);
      const node = new TradingNode(config, log, parts, stops);
      for (const service of opts.services ?? []) {
        await service.start(node);
        stops.push({ name: service.name, stop: () => service.stop() });
      }
      return node;
    } catch (e) {
      await stopAll(stops, log);
      throw e;
    }
  }

  /** Starts pacing the session when the config says so (default yes; `--paused` no). */
  startSessions(): void {
    if (this.config.autostart) this.session.start();
  }

  /** Quotes from the live feed (they go to the quote cache already); nothing on a replay. */
  onQuote(listener: (q: Quote) => void): () => void {
    return this.live === null ? () => undefined : this.live.feed.on('quote', listener);
  }

  health(): Promise<NodeHealth> {
    return nodeHealth(this.db, this.cache, this.session.status(), this.brokers.statuses());
  }

  /** Stops everything in reverse start order: services, backtest jobs, the session (waiting for its write), feed, cache, database. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await stopAll(this.stops, this.log);
  }
}
