// `pi5 config check`: validates the configuration as `pi5 serve` would (file < environment < flags) and prints
// the effective result with secrets masked, so a deployment can be checked before it starts.

import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadConfig, type LoadedConfig } from '../../config/configFile.js';
import { maskUrl } from '../../config/serverConfig.js';
import { registerConfigPrint } from './configPrint.js';

/** The effective configuration in the file's own sections; URLs masked, secrets only said to be set or not. */
export function printableConfig(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const c = loaded.server;
  const isSet = (name: string): boolean => env[name] !== undefined && env[name] !== '';
  return {
    file: loaded.file,
    server: {
      host: c.host, port: c.port, dataDir: c.dataDir, logLevel: c.logLevel, corsOrigin: c.corsOrigin ?? null,
      bodyLimitBytes: c.bodyLimitBytes, accessTtlSec: c.accessTtlSec, loginRatePerMin: c.loginRatePerMin,
      orderRatePerMin: c.orderRatePerMin, cachePrefix: c.cachePrefix,
    },
    database: { url: maskUrl(c.databaseUrl) ?? `(embedded PGlite in ${c.dataDir})` },
    redis: { url: maskUrl(c.redisUrl) ?? '(in memory)' },
    session: {
      id: c.sessionId, stepIntervalMs: c.stepIntervalMs, speed: c.speed ?? null, timeZone: c.timeZone,
      demoBars: c.demoBars, autostart: c.autostart, ...c.paper,
      strategies: c.paper.strategies ?? '(demo: sma-cross 10/30 on every replayed symbol)',
      replay: loaded.replay ?? '(generated demo data)',
    },
    secrets: {
      PI5_ADMIN_PASSWORD: isSet('PI5_ADMIN_PASSWORD') ? 'set' : 'unset (a one-time password is printed at first start)',
      PI5_JWT_SECRET: isSet('PI5_JWT_SECRET') ? 'set' : 'unset (generated once into the data dir)',
    },
  };
}

export function registerConfig(program: Command): void {
  const config = program.command('config').description('the configuration file (pi5.config.yaml)');
  config
    .command('check')
    .description('validate the configuration (file < environment) and print it, secrets masked; exit 2 when invalid')
    .option('--config <path>', 'configuration file (default ./pi5.config.yaml when present)')
    .action((flags: { config?: string }) => {
      const loaded = loadConfig({ env: process.env, ...(flags.config === undefined ? {} : { configPath: flags.config }) });
      process.stdout.write(`# effective configuration: ${loaded.file ?? 'no file'} < environment\n${stringify(printableConfig(loaded, process.env))}`);
    });
  registerConfigPrint(config);
}
