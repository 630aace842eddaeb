// `pi5 serve` (and `npm start`): a trading node (src/node/) with its paper session and the API mounted on it, configured by pi5.config.yaml (or
// --config PATH), environment variables and flags, on embedded defaults unless DATABASE_URL / REDIS_URL say otherwise. SIGINT/SIGTERM stop it gracefully; an admin's restart request
// closes everything and starts again in the same process.

import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { RunningServer } from '../../api/app.js';
import type { ReplaySource } from '../../node/demoSession.js';
import { TradingNode } from '../../node/tradingNode.js';
import { Pi5Error } from '../../core/errors.js';
import { releaseNursery } from '../../core/startupNursery.js';
import { loadSeries, loadStoreSeries } from '../loadData.js';
import { parseList } from '../options.js';
import { assertPortFree } from '../portCheck.js';
import { parseBarTime } from '../../data/barTime.js';
import { loadConfig } from '../../config/configFile.js';
import type { ReplaySettings } from '../../config/schema.js';
import type { ServerConfig } from '../../config/serverConfig.js';

interface ServeFlags {
  config?: string;
  host?: string;
  port?: string;
  stepInterval?: string;
  session?: string;
  paused?: boolean;
  replayData?: string[];
  replaySymbols?: string;
  replayTimeframe?: string;
  barTime?: string;
  speed?: string;
  live?: string;
  symbols?: string;
  timeframe?: string;
  liveFeed?: string;
  logFormat?: string;
}

/** The `--live` flags as live settings (they replace the config file's session.live); checked with the config. */
function liveFlags(flags: ServeFlags): Record<string, unknown> | undefined {
  if (flags.live === undefined) {
    if (flags.symbols !== undefined || flags.timeframe !== undefined || flags.liveFeed !== undefined) {
      throw new Pi5Error('PI5_ERR_BAD_USAGE', '--symbols, --timeframe and --live-feed go with --live <provider>');
    }
    return undefined;
  }
  return {
    provider: flags.live,
    symbols: flags.symbols === undefined ? [] : parseList(flags.symbols),
    ...(flags.timeframe === undefined ? {} : { timeframe: flags.timeframe }),
    ...(flags.liveFeed === undefined ? {} : { feed: flags.liveFeed }),
  };
}

/** The `--replay-*` flags as replay settings (they replace the config file's session.replay). */
export function replayFlags(flags: ServeFlags): ReplaySettings | undefined {
  const symbols = flags.replaySymbols === undefined ? undefined : parseList(flags.replaySymbols).map((x) => x.toUpperCase());
  if (flags.replayData === undefined && symbols === undefined) return undefined;
  return {
    ...(flags.replayData === undefined ? {} : { data: flags.replayData }),
    ...(flags.barTime === undefined ? {} : { barTime: parseBarTime(flags.barTime) }),
    ...(symbols === undefined ? {} : { symbols }),
    ...(flags.replayTimeframe === undefined ? {} : { timeframe: flags.replayTimeframe }),
  };
}

/** The bars to replay: CSV files (data) or the store (symbols), else (undefined) the generated demo data. */
export async function replaySource(r: ReplaySettings | undefined): Promise<ReplaySource | undefined> {
  if (r === undefined) return undefined;
  const symbols = r.symbols;
  if (r.data !== undefined) {
    const paths = r.data.map((p) => resolve(p));
    const series = await loadSeries({ paths, ...(symbols === undefined ? {} : { symbols }), ...(r.timeframe === undefined ? {} : { timeframe: r.timeframe }), barTime: r.barTime ?? 'open' });
    return { series, description: { kind: 'csv', paths, symbols: series.map((x) => x.symbol), timeframe: series[0]?.timeframe ?? null } };
  }
  if (symbols === undefined) return undefined;
  if (r.barTime === 'close') throw new Pi5Error('PI5_ERR_BAD_USAGE', '--bar-time close applies to --replay-data (CSV files); stored bars are keyed by open time (set it on pi5 data import)');
  if (r.timeframe === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--replay-symbols needs --replay-timeframe (e.g. 1d, 5m)');
  const series = await loadStoreSeries({ symbols, timeframe: r.timeframe });
  return { series, description: { kind: 'store', symbols, timeframe: r.timeframe } };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the API server and its paper-trading session (http://127.0.0.1:8080 by default)')
    .option('--config <path>', 'configuration file (default ./pi5.config.yaml when present; docs/configuration.md)')
    .option('--host <host>', 'listen address (PI5_HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port (PI5_PORT, default 8080; 0 picks a free one)')
    .option('--step-interval <ms>', 'wall-clock ms between replayed steps of the paper session (PI5_STEP_INTERVAL_MS, default 500)')
    .option('--session <id>', 'paper session id; an existing one is resumed (PI5_SESSION_ID, default demo)')
    .option('--paused', 'open the session without starting the replay (resume over the API)')
    .option('--replay-data <paths...>', 'paper-trade a replay of these CSV files or directories instead of the generated sample data')
    .option('--replay-symbols <list>', 'paper-trade a replay of these symbols from the bar store (with --replay-timeframe)')
    .option('--bar-time <open|close>', 'with --replay-data: what the CSV timestamps name, bar opens (default) or bar ends')
    .option('--replay-timeframe <tf>', 'timeframe of the replayed bars (resamples CSV data when coarser)')
    .option('--speed <n|max>', 'replay pace: ×N real time (a 1m bar every 60/N s), or max (PI5_REPLAY_SPEED)')
    .option('--live <provider>', 'paper-trade live market data from this provider (alpaca) instead of a replay')
    .option('--symbols <list>', 'with --live: symbols to subscribe and trade (AAPL,MSFT)')
    .option('--timeframe <tf>', 'with --live: bar timeframe of the session (1m)')
    .option('--live-feed <feed>', 'with --live alpaca: iex (default, free) or sip')
    .option('--log-format <pretty|json>', 'trading events (orders, fills, risk) on stderr as readable lines or JSON (PI5_LOG_FORMAT, default pretty)')
    .action(async (flags: ServeFlags) => {
      // The whole configuration is checked before any data is loaded or anything is opened.
      const replay = replayFlags(flags);
      const { server, replay: replaySettings } = loadConfig({
        env: process.env,
        ...(flags.config === undefined ? {} : { configPath: flags.config }),
        ...(replay === undefined ? {} : { replayFlags: replay }),
        flags: {
          speed: flags.speed,
          live: liveFlags(flags),
          host: flags.host,
          port: flags.port,
          stepIntervalMs: flags.stepInterval,
          logFormat: flags.logFormat,
          sessionId: flags.session,
          ...(flags.paused === true ? { autostart: false } : {}),
        },
      });
      await assertPortFree(server.host, server.port);
      await serve(server, await replaySource(replaySettings));
    });
}

async function serve(config: ServerConfig, replay: ReplaySource | undefined): Promise<void> {
  let running: { node: TradingNode; server: RunningServer } | null = null;
  let restarting = false;
  let current = config;
  const close = async (): Promise<void> => {
    // The HTTP side first, so no request reaches a node that is stopping.
    await running?.server.close();
    await running?.node.stop();
  };
  const start = async (): Promise<void> => {
    const node = await TradingNode.open(current, replay === undefined ? {} : { replay });
    try {
      // Imported here, not at the top: `pi5 trade` imports this module for its replay flags and serves no API.
      const { startServer } = await import('../../api/app.js');
      running = { node, server: await startServer(node, { onRestart: () => void restart() }) };
    } catch (e) {
      await node.stop();
      throw e;
    }
    // A restart listens where clients already connect, also when the first start picked a free port.
    current = { ...current, port: Number(new URL(running.server.url).port) };
    releaseNursery();
    process.stderr.write(`pi5 serving on ${running.server.url} (dashboard /, API /api/v1, docs /docs)
`);
  };
  const restart = async (): Promise<void> => {
    if (restarting) return;
    restarting = true;
    await close();
    await start();
    restarting = false;
  };
  await start();
  await new Promise<void>((resolveStop) => {
    const stop = (signal: string): void => {
      process.stderr.write(`${signal}: stopping gracefully\n`);
      void close().then(() => resolveStop());
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
