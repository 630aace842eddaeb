// Every channel through its real client code against local fakes speaking the service's wire format: the exact
// request each service documents (Slack/Discord incoming webhooks, Telegram sendMessage, Gotify /message, ntfy
// JSON publish, our JSON webhook) and a mail over SMTP; retries on server errors, no retry on a refusal.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationsConfigSchema } from '../../../src/notify/config.js';
import type { Notification } from '../../../src/notify/types.js';
import { buildNotifier } from '../../../src/node/notifications.js';
import { mailHeader, mailText, startFakeHttp, startFakeSmtp, type FakeHttp, type FakeSmtp } from '../../helpers/fakeReceivers.js';
import { expectCode } from '../../helpers/errors.js';

let http: FakeHttp;
let smtp: FakeSmtp;

beforeAll(async () => {
  http = await startFakeHttp();
  smtp = await startFakeSmtp();
});
afterAll(async () => {
  await http.close();
  await smtp.close();
});

const fill: Notification = {
  kind: 'fill',
  ts: Date.UTC(2026, 11, 7, 15, 30),
  title: 'Filled BUY 10 AAPL @ 190.5',
  text: 'Bought 10 AAPL at 190.5 <sma> & more',
  data: { symbol: 'AAPL', quantity: 10 },
};

function notifierFor(channels: unknown[], env: NodeJS.ProcessEnv = {}, extra: Record<string, unknown> = {}) {
  const config = notificationsConfigSchema.parse({ channels, retryBaseMs: 1, ...extra });
  return buildNotifier(config, env);
}

describe('notification channels against local fakes', () => {
  it('sends each service its own payload shape', async () => {
    http.requests.length = 0;
    const n = notifierFor(
      [
        { type: 'webhook', url: `${http.url}/hook`, tokenEnv: 'HOOK_TOKEN' },
        { type: 'slack', webhookUrl: `${http.url}/services/T0/B0/xyz` },
        { type: 'discord', webhookUrl: `${http.url}/api/webhooks/1/abc` },
        { type: 'telegram', apiUrl: http.url, chatId: -100123 },
        { type: 'gotify', url: `${http.url}/gotify`, priority: 8 },
        { type: 'ntfy', url: `${http.url}/ntfy`, topic: 'pi5-alerts' },
      ],
      { HOOK_TOKEN: 'h-secret', PI5_TELEGRAM_BOT_TOKEN: '123:ABC', PI5_GOTIFY_TOKEN: 'g-token', PI5_NTFY_TOKEN: 'n-token' },
    );
    n.notify(fill);
    await n.idle();
    const by = (p: string) => http.requests.find((r) => r.path === p);
    expect(http.requests).toHaveLength(6);
    expect(by('/hook')?.headers.authorization).toBe('Bearer h-secret');
    expect(by('/hook')?.body).toEqual({ kind: 'fill', ts: '2026-12-07T15:30:00.000Z', title: fill.title, text: fill.text, data: { symbol: 'AAPL', quantity: 10 } });
    expect(by('/services/T0/B0/xyz')?.body).toEqual({ text: '*Filled BUY 10 AAPL @ 190.5*\nBought 10 AAPL at 190.5 &lt;sma&gt; &amp; more' });
    expect(by('/api/webhooks/1/abc')?.body).toEqual({ content: `**${fill.title}**\n${fill.text}`, allowed_mentions: { parse: [] } });
    expect(by('/bot123:ABC/sendMessage')?.body).toEqual({ chat_id: '-100123', text: `${fill.title}\n${fill.text}`, disable_web_page_preview: true });
    expect(by('/gotify/message')?.headers['x-gotify-key']).toBe('g-token');
    expect(by('/gotify/message')?.body).toEqual({ title: fill.title, message: fill.text, priority: 8 });
    expect(by('/ntfy/')?.headers.authorization).toBe('Bearer n-token');
    expect(by('/ntfy/')?.body).toEqual({ topic: 'pi5-alerts', title: fill.title, message: fill.text, priority: 3, tags: ['fill'] });
    expect(n.stats().map((s) => [s.channel, s.sent, s.failed])).toEqual([
      ['webhook', 1, 0], ['slack', 1, 0], ['discord', 1, 0], ['telegram', 1, 0], ['gotify', 1, 0], ['ntfy', 1, 0],
    ]);
  });

  it('mails over SMTP with AUTH PLAIN, the envelope and a UTF-8 subject and body', async () => {
    const n = notifierFor([{ type: 'email', host: '127.0.0.1', port: smtp.port, user: 'bot@example.com', from: 'pi5@example.com', to: ['ops@example.com', 'me@example.com'] }], { PI5_SMTP_PASSWORD: 'pw' });
    const before = smtp.mails.length;
    n.notify({ ...fill, title: 'Kill switch TRIPPED — drawdown', text: 'line one\n.dot line\nÜmlaut' });
    await n.idle();
    const m = smtp.mails[before];
    expect(n.stats()[0]).toMatchObject({ sent: 1, failed: 0 });
    expect(m?.from).toBe('pi5@example.com');
    expect(m?.to).toEqual(['ops@example.com', 'me@example.com']);
    expect(Buffer.from((m?.auth ?? '').replace(/^PLAIN /, ''), 'base64').toString()).toBe('\0bot@example.com\0pw');
    const subject = mailHeader(m!, 'Subject') ?? '';
    expect(Buffer.from(subject.replace(/^=\?UTF-8\?B\?|\?=$/g, ''), 'base64').toString()).toBe('[pi5] Kill switch TRIPPED — drawdown');
    expect(mailText(m!)).toBe('line one\r\n.dot line\r\nÜmlaut');
  });

  it('retries a 5xx and a 429 until delivered, and gives up at once on a 4xx refusal', async () => {
    http.requests.length = 0;
    http.answers.push({ status: 503 }, { status: 429, headers: { 'retry-after': '0' } });
    const n = notifierFor([{ type: 'slack', webhookUrl: `${http.url}/a` }], {}, { retries: 3 });
    n.notify(fill);
    await n.idle();
    expect(http.requests).toHaveLength(3);
    expect(n.stats()[0]).toMatchObject({ sent: 1, failed: 0 });

    http.requests.length = 0;
    http.answers.push({ status: 404, body: { error: 'no_service' } });
    n.notify(fill);
    await n.idle();
    expect(http.requests).toHaveLength(1);
    expect(n.stats()[0]).toMatchObject({ sent: 1, failed: 1 });
    expect(n.stats()[0]?.lastError).toContain('HTTP 404');
    // The webhook's secret path stays out of errors (they reach logs).
    expect(n.stats()[0]?.lastError).not.toContain('/a');
  });

  it('treats a Telegram answer without ok as a failure, and retries a transient SMTP refusal', async () => {
    http.answers.push({ status: 200, body: { ok: false, description: 'Bad Request: chat not found' } });
    const t = notifierFor([{ type: 'telegram', apiUrl: http.url, chatId: '1' }], { PI5_TELEGRAM_BOT_TOKEN: 't' });
    t.notify(fill);
    await t.idle();
    expect(t.stats()[0]).toMatchObject({ sent: 0, failed: 1, lastError: expect.stringContaining('chat not found') });

    smtp.mailFromAnswers.push(451);
    const before = smtp.mails.length;
    const e = notifierFor([{ type: 'email', host: '127.0.0.1', port: smtp.port, from: 'pi5@example.com', to: ['ops@example.com'] }]);
    e.notify(fill);
    await e.idle();
    expect(e.stats()[0]).toMatchObject({ sent: 1, failed: 0 });
    expect(smtp.mails.length).toBe(before + 1);
  });

  it('names the missing secret and the channel when one is not in the environment', () => {
    const e = expectCode(() => notifierFor([{ type: 'telegram', name: 'phone', chatId: '1' }]), 'PI5_ERR_BAD_CONFIG');
    expect(e.message).toMatch(/channel "phone" needs PI5_TELEGRAM_BOT_TOKEN/);
  });
});
