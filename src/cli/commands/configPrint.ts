// `pi5 config print`: the effective server configuration, every value with where it came from (default, the
// config file and its YAML path, or an environment variable), URLs masked and secrets only said to be set.

import type { Command } from 'commander';
import { fileLayer, loadConfig, readConfigFile } from '../../config/configFile.js';
import { ENV, maskUrl, publicNotifications, type ServerConfig } from '../../config/serverConfig.js';

/** Secrets are read from the environment only; printed as set or unset, never their value. */
const SECRET_VARIABLES = ['PI5_ADMIN_PASSWORD', 'PI5_JWT_SECRET', 'ALPHAVANTAGE_API_KEY', 'APCA_API_KEY_ID', 'APCA_API_SECRET_KEY', 'POSTGRES_PASSWORD',
  // Notification channels' default secret variables (docs/notifications.md) and the operator commands' token.
  'PI5_SLACK_WEBHOOK_URL', 'PI5_DISCORD_WEBHOOK_URL', 'PI5_TELEGRAM_BOT_TOKEN', 'PI5_SMTP_PASSWORD', 'PI5_GOTIFY_TOKEN', 'PI5_NTFY_TOKEN', 'PI5_WEBHOOK_URL', 'PI5_TOKEN'];

export interface PrintedValue {
  readonly key: string;
  readonly value: unknown;
  readonly source: string;
}

export function effectiveConfig(env: NodeJS.ProcessEnv, configPath?: string, cwd?: string): PrintedValue[] {
  const server = loadConfig({ env, ...(configPath === undefined ? {} : { configPath }), ...(cwd === undefined ? {} : { cwd }) }).server;
  const read = readConfigFile(configPath, cwd);
  const fromFile = read === null ? {} : fileLayer(read.doc, read.file).sources;
  const fromEnv = new Map(Object.entries(ENV).filter(([name]) => env[name] !== undefined && env[name] !== '').map(([name, key]) => [key, `env ${name}`]));
  const masked: Partial<Record<keyof ServerConfig, unknown>> = { databaseUrl: maskUrl(server.databaseUrl), redisUrl: maskUrl(server.redisUrl), notifications: publicNotifications(server.notifications) };
  const out: PrintedValue[] = (Object.keys(server) as (keyof ServerConfig)[]).map((key) => ({
    key,
    value: key in masked ? masked[key] : server[key],
    source: fromEnv.get(key) ?? (fromFile[key] === undefined ? 'default' : `file ${fromFile[key]}`),
  }));
  for (const name of SECRET_VARIABLES) {
    const set = env[name] !== undefined && env[name] !== '';
    out.push({ key: name, value: set ? '[redacted]' : null, source: set ? `env ${name}` : 'unset' });
  }
  return out;
}

export function registerConfigPrint(config: Command): void {
  config
    .command('print')
    .description('print the effective configuration with the source of every value (default, file, environment), secrets redacted')
    .option('--config <path>', 'configuration file (default ./pi5.config.yaml when present)')
    .option('--json', 'print JSON')
    .action((f: { config?: string; json?: boolean }) => {
      const values = effectiveConfig(process.env, f.config);
      if (f.json === true) {
        process.stdout.write(`${JSON.stringify(values, null, 2)}\n`);
        return;
      }
      const width = Math.max(...values.map((v) => v.key.length));
      for (const v of values) process.stdout.write(`${v.key.padEnd(width)}  ${JSON.stringify(v.value ?? null)}  # ${v.source}\n`);
    });
}
