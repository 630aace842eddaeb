// Notifications in a running node: its session's fills and kill-switch changes reach a local fake receiver in
// the channel's wire format, a receiver that never answers does not hold the session back (the session runs
// hundreds of steps while that channel's messages are still stuck), and node.notify is the venues' hook. A node
// whose backup copy target fails tells a webhook `backup_failed`. One node for the file (a node costs a database
// open): its config has the three channels and the failing backup target.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/configFile.js';
import { TradingNode } from '../../../src/node/tradingNode.js';
import { startFakeHttp, type FakeHttp } from '../../helpers/fakeReceivers.js';

let dataDir: string;
let ok: FakeHttp;
let dead: FakeHttp;
let hook: FakeHttp;
let node: TradingNode;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pi5-node-notify-'));
  ok = await startFakeHttp();
  dead = await startFakeHttp();
  hook = await startFakeHttp();
  // Every answer from the dead receiver is "never".
  for (let i = 0; i < 1000; i++) dead.answers.push('hang');
  // The backups' copy target is a regular file: the backup is taken, copying it there fails.
  const notADir = join(dataDir, 'not-a-directory');
  await writeFile(notADir, 'x');
  const file = join(dataDir, 'pi5.config.yaml');
  await writeFile(
    file,
    [
      'notifications:',
      '  retries: 0',
      '  timeoutMs: 120000',
      '  channels:',
      '    - type: slack',
      `      webhookUrl: ${ok.url}/services/T/B/x`,
      '      ratePerMin: 6000',
      '    - type: webhook',
      '      name: dead',
      `      url: ${dead.url}/hook`,
      '    - type: webhook',
      '      name: backups',
      `      url: ${hook.url}/hook`,
      '      events: [backup_failed]',
    ].join('\n') + '\n',
  );
  const env = {
    PI5_DATA_DIR: join(dataDir, 'data'), PI5_LOG_LEVEL: 'silent', PI5_ADMIN_PASSWORD: 'correct-horse-battery-9', PI5_DEMO_BARS: '300', PI5_STEP_INTERVAL_MS: '0',
    PI5_BACKUP_SCHEDULE: 'daily', PI5_BACKUP_DIR: join(dataDir, 'backups'), PI5_BACKUP_COPY_DIR: notADir,
  };
  const config = loadConfig({ env, cwd: dataDir, configPath: file }).server;
  node = await TradingNode.open(config, { notice: () => undefined, env });
});

afterAll(async () => {
  await node?.stop();
  await ok.close();
  await dead.close();
  await hook.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Resolves once the session has published `n` portfolio updates (one per step). */
function steps(n: number): Promise<void> {
  return new Promise((done) => {
    let seen = 0;
    const off = node.sessionView.events.subscribe('portfolio', () => {
      if (++seen < n) return;
      off();
      done();
    });
  });
}

describe('notifications in a trading node', () => {
  it('sends fills and kill-switch changes; a dead receiver does not hold back a single step', async () => {
    expect(node.notifier?.channels.map((c) => c.name)).toEqual(['slack', 'dead', 'backups']);
    const done = steps(250);
    node.startSessions();
    await done;
    await node.session.pause();
    const fills = node.sessionView.orders().filter((o) => o.filledQuantity > 0).length;
    expect(fills).toBeGreaterThan(0);
    // The dead channel took its first message and never finished it: the rest queued or dropped, none sent.
    await dead.received(1);
    const deadStats = node.notifier?.stats().find((s) => s.channel === 'dead');
    expect(deadStats).toMatchObject({ sent: 0, failed: 0 });
    expect((deadStats?.queued ?? 0) + (deadStats?.dropped ?? 0)).toBeGreaterThan(0);

    await node.sessionView.act({ kind: 'tripKillSwitch', reason: 'drill', by: 'alice' });
    node.notify({ kind: 'broker_disconnect', ts: 1, title: 'alpaca disconnected', text: 'stream closed' });
    await ok.received(fills + 2);
    const texts = ok.requests.map((r) => (r.body as { text: string }).text);
    expect(texts.filter((t) => t.startsWith('*Filled ')).length).toBeGreaterThanOrEqual(fills);
    expect(texts).toContain('*Kill switch TRIPPED*\nTripped by alice: drill. Only orders that reduce a position are accepted.');
    expect(texts).toContain('*alpaca disconnected*\nstream closed');
    // The backups channel takes only its kind: none of these reached it.
    expect(hook.requests).toEqual([]);
  });

  it('tells a webhook backup_failed when the node\'s backup cannot reach its copy target', async () => {
    expect(await node.backups?.runNow()).toBe(false);
    await hook.received(1);
    const body = hook.requests[0]?.body as { kind: string; title: string; text: string; data: { file: string; error: string } };
    expect(body.kind).toBe('backup_failed');
    expect(body.title).toBe('Backup failed');
    expect(body.data.file).toMatch(/^pi5-backup-\d{8}T\d{6}Z\.tar\.gz$/);
    expect(body.data.error).toMatch(/copy to .*not-a-directory/);
    expect(node.backups?.status()).toMatchObject({ failures: 1, successes: 0 });
  });
});
