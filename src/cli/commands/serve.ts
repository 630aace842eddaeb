// `pi5 serve` (and `npm start`): the API server with its paper session, on embedded defaults unless
// DATABASE_URL / REDIS_URL say otherwise. SIGINT/SIGTERM stop it gracefully; an admin's restart request
// closes everything and starts again in the same process.

import type { Command } from 'commander';
import { resolve } from 'node:path';
import { startApp, type ReplaySource, type RunningApp } from '../../api/app.js';
import { Pi5Error } from '../../core/errors.js';
import { loadSeries, loadStoreSeries } from '../loadData.js';
import { parseList } from '../options.js';
import { loadServerConfig, type ServerConfig } from '../../api/serverConfig.js';

interface ServeFlags {
  host?: string;
  port?: string;
  stepInterval?: string;
  session?: string;
  paused?: boolean;
  replayData?: string[];
  replaySymbols?: string;
  replayTimeframe?: string;
  speed?: string;
}

/** The bars to replay: CSV files (--replay-data) or the store (--replay-symbols), else the generated demo data. */
async function replaySource(flags: ServeFlags): Promise<ReplaySource | undefined> {
  const symbols = flags.replaySymbols === undefined ? undefined : parseList(flags.replaySymbols).map((x) => x.toUpperCase());
  if (flags.replayData !== undefined) {
    const paths = flags.replayData.map((p) => resolve(p));
    const series = await loadSeries({ paths, ...(symbols === undefined ? {} : { symbols }), ...(flags.replayTimeframe === undefined ? {} : { timeframe: flags.replayTimeframe }) });
    return { series, description: { kind: 'csv', paths, symbols: series.map((x) => x.symbol), timeframe: series[0]?.timeframe ?? null } };
  }
  if (symbols === undefined) return undefined;
  if (flags.replayTimeframe === undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--replay-symbols needs --replay-timeframe (e.g. 1d, 5m)');
  const series = await loadStoreSeries({ symbols, timeframe: flags.replayTimeframe });
  return { series, description: { kind: 'store', symbols, timeframe: flags.replayTimeframe } };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the API server and its paper-trading session (http://127.0.0.1:8080 by default)')
    .option('--host <host>', 'listen address (PI5_HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port (PI5_PORT, default 8080; 0 picks a free one)')
    .option('--step-interval <ms>', 'wall-clock ms between replayed steps of the paper session (PI5_STEP_INTERVAL_MS, default 500)')
    .option('--session <id>', 'paper session id; an existing one is resumed (PI5_SESSION_ID, default demo)')
    .option('--paused', 'open the session without starting the replay (resume over the API)')
    .option('--replay-data <paths...>', 'paper-trade a replay of these CSV files or directories instead of the generated sample data')
    .option('--replay-symbols <list>', 'paper-trade a replay of these symbols from the bar store (with --replay-timeframe)')
    .option('--replay-timeframe <tf>', 'timeframe of the replayed bars (resamples CSV data when coarser)')
    .option('--speed <n|max>', 'replay pace: ×N real time (a 1m bar every 60/N s), or max (PI5_REPLAY_SPEED)')
    .action(async (flags: ServeFlags) => {
      const replay = await replaySource(flags);
      const config = loadServerConfig(process.env, {
        speed: flags.speed,
        host: flags.host,
        port: flags.port,
        stepIntervalMs: flags.stepInterval,
        // A replay is another session than the demo: it gets its own default id.
        sessionId: flags.session ?? (replay !== undefined && process.env.PI5_SESSION_ID === undefined ? 'replay' : undefined),
        ...(flags.paused === true ? { autostart: false } : {}),
      });
      await serve(config, replay);
    });
}

async function serve(config: ServerConfig, replay: ReplaySource | undefined): Promise<void> {
  let running: RunningApp | null = null;
  let restarting = false;
  let current = config;
  const start = async (): Promise<void> => {
    running = await startApp(current, { onRestart: () => void restart(), ...(replay === undefined ? {} : { replay }) });
    // A restart listens where clients already connect, also when the first start picked a free port.
    current = { ...current, port: Number(new URL(running.url).port) };
    process.stderr.write(`pi5 serving on ${running.url} (status page /, API /api/v1, docs /docs)\n`);
  };
  const restart = async (): Promise<void> => {
    if (restarting) return;
    restarting = true;
    await running?.close();
    await start();
    restarting = false;
  };
  await start();
  await new Promise<void>((resolveStop) => {
    const stop = (signal: string): void => {
      process.stderr.write(`${signal}: stopping gracefully\n`);
      void (running?.close() ?? Promise.resolve()).then(() => resolveStop());
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
