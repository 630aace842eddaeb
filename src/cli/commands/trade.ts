// `pi5 trade`: a trading node whose session trades at the venue the config's `broker` section names (the simulated
// exchange, or a broker such as Alpaca), without the HTTP server unless --http. --paper forces the broker's paper
// endpoint; --live insists on a live one, which the config must confirm with `broker.live: true`.

import type { Command } from 'commander';
import type { RunningServer } from '../../api/app.js';
import { loadConfig } from '../../config/configFile.js';
import { Pi5Error } from '../../core/errors.js';
import { TradingNode } from '../../node/tradingNode.js';
import { assertPortFree } from '../portCheck.js';
import { replayFlags, replaySource } from './serve.js';

interface TradeFlags {
  config?: string;
  paper?: boolean;
  live?: boolean;
  http?: boolean;
  port?: string;
  session?: string;
  replayData?: string[];
  barTime?: string;
}

export function registerTrade(program: Command): void {
  program
    .command('trade')
    .description('run a trading node at the configured venue (pi5.config.yaml `broker`), without HTTP unless --http')
    .option('--config <path>', 'configuration file (default ./pi5.config.yaml when present; docs/live-trading.md)')
    .option('--paper', "use the broker's paper endpoint, whatever APCA_API_BASE_URL says")
    .option('--live', 'trade real money at the live endpoint (the config must say broker.live: true)')
    .option('--http', 'also serve the API and dashboard (PI5_HOST / PI5_PORT)')
    .option('--port <port>', 'with --http: listen port')
    .option('--session <id>', 'session id; an existing one is resumed from its journal and reconciled with the broker')
    .option('--replay-data <paths...>', 'trade on a replay of these CSV files or directories (tests, rehearsals)')
    .option('--bar-time <open|close>', 'with --replay-data: what the CSV timestamps name, bar opens (default) or bar ends')
    .action(async (flags: TradeFlags) => {
      if (flags.paper === true && flags.live === true) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--paper and --live exclude each other');
      if (flags.http !== true && flags.port !== undefined) throw new Pi5Error('PI5_ERR_BAD_USAGE', '--port goes with --http');
      const replay = replayFlags({ ...(flags.replayData === undefined ? {} : { replayData: flags.replayData }), ...(flags.barTime === undefined ? {} : { barTime: flags.barTime }) });
      const { server, replay: replaySettings } = loadConfig({
        env: process.env,
        ...(flags.config === undefined ? {} : { configPath: flags.config }),
        ...(replay === undefined ? {} : { replayFlags: replay }),
        flags: { sessionId: flags.session, port: flags.port },
      });
      if (flags.http === true) await assertPortFree(server.host, server.port);
      const source = await replaySource(replaySettings);
      const mode = flags.paper === true ? 'paper' : flags.live === true ? 'live' : undefined;
      const node = await TradingNode.open(server, { ...(source === undefined ? {} : { replay: source }), ...(mode === undefined ? {} : { tradeMode: mode }) });
      let http: RunningServer | null = null;
      try {
        // The API (Fastify, its routes and schemas) is loaded only with --http: a session alone never needs it.
        if (flags.http === true) http = await (await import('../../api/app.js')).startServer(node);
        else node.startSessions();
      } catch (e) {
        await node.stop();
        throw e;
      }
      const venue = node.session.status().broker?.name ?? 'the simulated exchange';
      process.stderr.write(`pi5 trading: session ${server.sessionId} at ${venue}${http === null ? '' : `, serving ${http.url}`} (Ctrl-C stops)\n`);
      await new Promise<void>((done) => {
        const stop = (signal: string): void => {
          process.stderr.write(`${signal}: stopping gracefully\n`);
          void (async () => {
            await http?.close();
            await node.stop();
            done();
          })();
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
