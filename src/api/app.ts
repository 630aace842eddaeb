// Starts the whole server: storage (migrated), cache, auth (first-run admin), the configured paper session over
// the replayed (by default the project's own sample) data or live market data, backtest jobs, WebSocket fan-out,
// metrics, and the HTTP listener.

import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openCache } from '../cache/openCache.js';
import type { Cache } from '../cache/types.js';
import { createLogger, type Logger } from '../core/log.js';
import { ENGINE_VERSION } from '../engine/backtestRunner.js';
import { PaperSession, type PaperSessionConfig } from '../engine/live/paperSession.js';
import { ReplayFeed } from '../engine/live/replayFeed.js';
import { EndlessSyntheticFeed } from '../engine/live/endlessSyntheticFeed.js';
import type { StrategyInstanceConfig } from '../engine/live/sessionActions.js';
import { isDailyOrCoarser, parseTimeframe, type TimeframeSpec } from '../model/timeframe.js';
import type { BarSeries } from '../model/barSeries.js';
import { Pi5Error } from '../core/errors.js';
import type { Instrument } from '../model/types.js';
import { BarStore } from '../persistence/barStore.js';
import type { Database } from '../persistence/database.js';
import { migrate } from '../persistence/migrations/index.js';
import { openDatabase } from '../persistence/openDatabase.js';
import { AuditRepository } from '../persistence/repositories/audit.js';
import { PaperSessionRepository } from '../persistence/repositories/paperSessions.js';
import { findBuiltin } from '../strategy/registry.js';
import { AuthService, bootstrapAdmin, bootstrapNotice, loadJwtSecret } from './auth/index.js';
import { BacktestJobs } from './backtestJobs.js';
import type { ApiContext } from './context.js';
import { LogRing } from './logRing.js';
import { ApiMetrics } from './metrics.js';
import { buildServer } from './server.js';
import { publicConfig, type ServerConfig } from '../config/serverConfig.js';
import { WsHub } from './ws.js';
import { openLiveWiring, type LiveWiring } from './liveSession.js';
import { wireSessionToHub } from './wsFeed.js';

export const DEMO_SYMBOLS = [
  { symbol: 'DEMOA', seed: 1, startPrice: 50 },
  { symbol: 'DEMOB', seed: 2, startPrice: 120 },
  { symbol: 'DEMOC', seed: 3, startPrice: 30 },
] as const;

export interface RunningApp {
  readonly app: FastifyInstance;
  /** http://host:port the server listens on. */
  readonly url: string;
  readonly session: PaperSession;
  readonly db: Database;
  readonly cache: Cache;
  readonly hub: WsHub;
  /** Stops the session (waiting for its write), closes connections, the cache and the database. */
  close(): Promise<void>;
}

/** Bars to replay instead of the generated sample data (`pi5 serve --replay-data/--replay-symbols`). */
export interface ReplaySource {
  readonly series: readonly BarSeries[];
  /** How the series were chosen (stored with the session and compared when it is reopened). */
  readonly description: Readonly<Record<string, unknown>>;
}

export interface StartOptions {
  readonly replay?: ReplaySource;
  /** Where start-up notices (the one-time admin password) go; default stderr. */
  readonly notice?: (text: string) => void;
  /** Log stream copy target; default stdout (null: keep logs in memory only, for tests). */
  readonly logOut?: { write(s: string): unknown } | null;
  readonly env?: NodeJS.ProcessEnv;
  readonly onRestart?: () => void;
}

/** The demo session's strategy, when the config file names none: an SMA crossover on every replayed symbol. */
function demoStrategy(symbols: readonly string[]): StrategyInstanceConfig {
  return { id: 'sma-demo', strategy: 'sma-cross', params: { fast: 10, slow: 30 }, symbols };
}

/** The configured strategies, each on its symbols (default every replayed one), which must be replayed. */
function sessionStrategies(paper: ServerConfig['paper'], symbols: readonly string[]): StrategyInstanceConfig[] {
  if (paper.strategies === undefined) return [demoStrategy(symbols)];
  return paper.strategies.map((s, i) => {
    const missing = (s.symbols ?? []).filter((x) => !symbols.includes(x));
    if (missing.length > 0) {
      throw new Pi5Error('PI5_ERR_BAD_CONFIG', `session.strategies[${i}].symbols: ${missing.join(', ')} not in the replayed data (${symbols.join(', ')})`);
    }
    return { id: s.id, strategy: s.strategy, params: s.params, symbols: s.symbols ?? symbols, ...(s.size === undefined ? {} : { size: s.size }) };
  });
}

/**
 * The paper session as configured (the file's `session` section), over the replayed data: by default seeded
 * daily bars of three symbols the project generates itself. Without a file the config is exactly the one
 * sessions stored before there was a file, so they reopen.
 */
export function paperSession(config: ServerConfig, replay: ReplaySource | undefined): { session: PaperSessionConfig; feed: ReplayFeed | EndlessSyntheticFeed; instruments: Instrument[]; timeframe: TimeframeSpec } {
  // The demo never runs out: its walk rolls on past `bars` (the description stays, so stored demos reopen).
  if (replay === undefined) return demoSession(config);
  const feedConfig = replay.description;
  const series = replay.series;
  const first = series[0];
  if (first === undefined) throw new Pi5Error('PI5_ERR_NO_DATA', 'nothing to replay: no series');
  const timeframe = parseTimeframe(first.timeframe);
  if (timeframe === null) throw new Pi5Error('PI5_ERR_BAD_USAGE', `unknown timeframe ${first.timeframe}`);
  const intraday = !isDailyOrCoarser(timeframe);
  return {
    session: sessionConfig(config, series.map((s) => s.symbol), feedConfig),
    feed: new ReplayFeed(series),
    instruments: series.map((s) => ({ symbol: s.symbol, priceDecimals: s.priceDecimals, lotSize: 1, currency: 'USD', timeZone: intraday ? config.timeZone : 'UTC' })),
    timeframe,
  };
}

function demoSession(config: ServerConfig): { session: PaperSessionConfig; feed: EndlessSyntheticFeed; instruments: Instrument[]; timeframe: TimeframeSpec } {
  const feedConfig = { kind: 'synthetic', timeframe: '1d', bars: config.demoBars, start: '2015-01-01', symbols: DEMO_SYMBOLS };
  const feed = new EndlessSyntheticFeed({ symbols: DEMO_SYMBOLS, chunkBars: config.demoBars, start: Date.UTC(2015, 0, 1), timeframe: '1d' });
  const symbols = DEMO_SYMBOLS.map((d) => d.symbol);
  return {
    session: sessionConfig(config, symbols, feedConfig),
    feed,
    instruments: symbols.map((symbol) => ({ symbol, priceDecimals: 2, lotSize: 1, currency: 'USD', timeZone: 'UTC' })),
    timeframe: parseTimeframe('1d') as TimeframeSpec,
  };
}

function sessionConfig(config: ServerConfig, symbols: readonly string[], feed: unknown): PaperSessionConfig {
  const p = config.paper;
  return {
    id: config.sessionId,
    cash: p.cash,
    size: p.size,
    commission: p.commission,
    slippage: p.slippage,
    ...(p.risk === undefined ? {} : { risk: p.risk }),
    ...(p.allocation === undefined ? {} : { allocation: p.allocation }),
    strategies: sessionStrategies(p, symbols),
    feed,
  };
}

/** The paper session over live market data: the configured symbols, their feed, and the stored start time. */
function livePaperSession(config: ServerConfig, live: LiveWiring): { session: PaperSessionConfig; feed: LiveWiring['source']; instruments: Instrument[]; timeframe: TimeframeSpec } {
  const symbols = live.instruments.map((i) => i.symbol);
  return { session: sessionConfig(config, symbols, live.description), feed: live.source, instruments: live.instruments, timeframe: live.timeframe };
}

async function openAuth(db: Database, config: ServerConfig, env: NodeJS.ProcessEnv, notice: (t: string) => void, log: Logger): Promise<AuthService> {
  const secret = await loadJwtSecret({ ...env, PI5_DATA_DIR: config.dataDir });
  log.info('token signing secret loaded', { source: secret.source });
  const text = bootstrapNotice(await bootstrapAdmin(db, { env }));
  if (text !== undefined) notice(text);
  return new AuthService(db, { secret: secret.key, accessTtlSec: config.accessTtlSec });
}

/** Trading events (orders, fills, risk) at info; Fastify's levels folded onto ours. */
function serverLogger(config: ServerConfig): Logger {
  const l = config.logLevel;
  const level = l === 'silent' ? 'silent' : l === 'debug' || l === 'trace' ? 'debug' : l === 'info' ? 'info' : l === 'warn' ? 'warn' : 'error';
  return createLogger(level, undefined, {}, config.logFormat === 'json');
}

export async function startApp(config: ServerConfig, opts: StartOptions = {}): Promise<RunningApp> {
  const env = opts.env ?? process.env;
  const notice = opts.notice ?? ((t: string) => process.stderr.write(`${t}\n`));
  const log = serverLogger(config);
  const dataDir = resolve(config.dataDir);
  const db = await openDatabase(config.databaseUrl === undefined ? { dataDir: join(dataDir) } : { databaseUrl: config.databaseUrl });
  const closers: (() => Promise<void>)[] = [() => db.close()];
  try {
    await migrate(db);
    const cache = await openCache({ ...(config.redisUrl === undefined ? {} : { redisUrl: config.redisUrl }), prefix: config.cachePrefix, log });
    closers.unshift(() => cache.close());
    const auth = await openAuth(db, config, env, notice, log);
    const live = config.live === undefined ? null : await openLiveWiring(config.live, { db, sessionId: config.sessionId, timeZone: config.timeZone, env, log, now: Date.now });
    if (live !== null) closers.unshift(() => live.close());
    const demo = live === null ? paperSession(config, opts.replay) : livePaperSession(config, live);
    const session = await PaperSession.open({
      config: demo.session,
      feed: demo.feed,
      instruments: demo.instruments,
      baseTimeframe: demo.timeframe,
      store: new PaperSessionRepository(db),
      resolveStrategy: findBuiltin,
      log,
      stepIntervalMs: config.speed === undefined ? config.stepIntervalMs : config.speed === 'max' ? 0 : Math.round(demo.timeframe.ms / config.speed),
    });
    closers.unshift(() => session.stop());
    // Bars flow only once the session has re-run its stored steps: those come back from the bar store first.
    await live?.start();
    const logs = new LogRing(500, opts.logOut === undefined ? process.stdout : opts.logOut);
    const bars = new BarStore(db);
    const backtests = new BacktestJobs({ db, bars });
    await backtests.failInterrupted();
    closers.unshift(() => backtests.close());
    const hub = new WsHub(cache, auth);
    await hub.start();
    closers.unshift(() => hub.close());
    const ctx: ApiContext = {
      db, cache, auth, audit: new AuditRepository(db), session, bars, backtests, log, logs,
      version: ENGINE_VERSION, startedAt: Date.now(), publicConfig: publicConfig(config),
      orderRatePerMin: config.orderRatePerMin, loginRatePerMin: config.loginRatePerMin,
      requestRestart: opts.onRestart ?? (() => undefined),
    };
    wireSessionToHub(session, hub, logs, backtests);
    live?.feed.on('quote', (q) => {
      void cache.setQuote(q);
      hub.publish('quotes', q);
    });
    const metrics = new ApiMetrics(session, hub);
    const app = await buildServer(ctx, hub, metrics, {
      logLevel: config.logLevel,
      bodyLimitBytes: config.bodyLimitBytes,
      ...(config.corsOrigin === undefined ? {} : { corsOrigin: config.corsOrigin }),
    });
    closers.unshift(() => app.close());
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    if (config.autostart) session.start();
    return { app, url: `http://${config.host}:${port}`, session, db, cache, hub, close: () => closeAll(closers) };
  } catch (e) {
    await closeAll(closers);
    throw e;
  }
}

async function closeAll(closers: readonly (() => Promise<void>)[]): Promise<void> {
  for (const c of closers) await c().catch(() => undefined);
}
