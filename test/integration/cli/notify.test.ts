// `pi5 notify test` through the built CLI: one message to each configured channel (local fakes), each result
// reported, exit 1 naming a channel that failed, `--channel` for one, and a clear error without channels.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pi5Async, type CliRun } from '../../helpers/cli.js';
import { startFakeHttp, startFakeSmtp, type FakeHttp, type FakeSmtp } from '../../helpers/fakeReceivers.js';

let dir: string;
let http: FakeHttp;
let smtp: FakeSmtp;

function pi5(args: readonly string[]): Promise<CliRun> {
  return pi5Async(args, { cwd: dir });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pi5-notify-cli-'));
  http = await startFakeHttp();
  smtp = await startFakeSmtp();
  await writeFile(
    join(dir, 'pi5.config.yaml'),
    [
      'notifications:',
      '  channels:',
      '    - type: discord',
      `      webhookUrl: ${http.url}/api/webhooks/9/t`,
      '    - type: ntfy',
      `      url: ${http.url}`,
      '      topic: pi5',
      '    - type: email',
      '      host: 127.0.0.1',
      `      port: ${smtp.port}`,
      '      from: pi5@example.com',
      '      to: [ops@example.com]',
    ].join('\n') + '\n',
  );
  await writeFile(join(dir, 'empty.yaml'), 'server:\n  port: 8080\n');
});

afterAll(async () => {
  await http.close();
  await smtp.close();
  await rm(dir, { recursive: true, force: true });
});

describe('pi5 notify test', () => {
  it('sends one message to every channel and reports each', async () => {
    const r = await pi5(['notify', 'test', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as { channel: string; ok: boolean }[];
    expect(results.map((x) => [x.channel, x.ok])).toEqual([['discord', true], ['ntfy', true], ['email', true]]);
    expect(http.requests.map((q) => q.path).sort()).toEqual(['/', '/api/webhooks/9/t']);
    expect(http.requests.find((q) => q.path === '/')?.body).toMatchObject({ topic: 'pi5', title: 'pi5 test notification', tags: ['test'] });
    expect(smtp.mails).toHaveLength(1);
  });

  it('exits 1 naming the channel that failed; --channel sends to that one only', async () => {
    http.requests.length = 0;
    http.answers.push({ status: 401, body: { message: '401: Unauthorized' } });
    const r = await pi5(['notify', 'test', '--channel', 'discord']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^discord {2}FAILED {2}\d+ ms {2}POST http:\/\/127\.0\.0\.1:\d+: HTTP 401/);
    expect(r.stderr).toContain('error [PI5_ERR_NOTIFY]: not delivered to discord');
    expect(http.requests).toHaveLength(1);

    const bad = await pi5(['notify', 'test', '--channel', 'pager']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--channel "pager": no such channel (configured: discord, ntfy, email)');
  });

  it('says when no channel is configured', async () => {
    const r = await pi5(['notify', 'test', '--config', 'empty.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('empty.yaml: no notification channels configured');
  });
});
