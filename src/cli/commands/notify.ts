// `pi5 notify test [--channel NAME]`: sends one test message to every channel of the config's `notifications:`
// block (or the one named), once, without retries, and reports each result; exit 1 when any failed.

import type { Command } from 'commander';
import { loadConfig } from '../../config/configFile.js';
import { Pi5Error } from '../../core/errors.js';
import { buildNotifier } from '../../node/notifications.js';

interface NotifyTestFlags {
  config?: string;
  channel?: string;
  json?: boolean;
}

async function notifyTest(flags: NotifyTestFlags): Promise<void> {
  const { server, file } = loadConfig({ env: process.env, ...(flags.config === undefined ? {} : { configPath: flags.config }) });
  const config = server.notifications;
  if (config === undefined || config.channels.length === 0) {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `${file ?? 'no config file'}: no notification channels configured (a notifications: block; docs/notifications.md)`);
  }
  const notifier = buildNotifier(config, process.env);
  const names = notifier.channels.map((c) => c.name);
  if (flags.channel !== undefined && !names.includes(flags.channel)) {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `--channel ${JSON.stringify(flags.channel)}: no such channel (configured: ${names.join(', ')})`);
  }
  const ts = Date.now();
  const results = await notifier.sendNow({ kind: 'test', ts, title: 'pi5 test notification', text: `A test from pi5 notify test at ${new Date(ts).toISOString()}: this channel works.`, data: {} }, flags.channel);
  if (flags.json === true) process.stdout.write(`${JSON.stringify(results)}\n`);
  else {
    const width = Math.max(...results.map((r) => r.channel.length));
    for (const r of results) process.stdout.write(`${r.channel.padEnd(width)}  ${r.ok ? 'ok' : 'FAILED'}  ${r.ms} ms${r.error === null ? '' : `  ${r.error}`}\n`);
  }
  const failed = results.filter((r) => !r.ok).map((r) => r.channel);
  if (failed.length > 0) throw new Pi5Error('PI5_ERR_NOTIFY', `not delivered to ${failed.join(', ')}`);
}

export function registerNotify(program: Command): void {
  const notify = program.command('notify').description('notification channels (docs/notifications.md)');
  notify
    .command('test')
    .description('send a test message to every configured channel (or one) and report each result')
    .option('--config <path>', 'configuration file (default ./pi5.config.yaml when present)')
    .option('--channel <name>', 'only this channel (its name, or its type when unnamed)')
    .option('--json', 'print the results as JSON')
    .action((flags: NotifyTestFlags) => notifyTest(flags));
}
