// Delivery channels: each turns a notification into its service's wire format (Slack and Discord incoming
// webhooks, Telegram Bot API sendMessage, Gotify, ntfy, a generic JSON webhook, SMTP mail) and sends it once.
// Retrying, pacing and queueing are the notifier's job; a channel says only whether a failure is worth a retry.

import { Pi5Error } from '../core/errors.js';
import type { ChannelConfig } from './config.js';
import { sendMail, SmtpError } from './smtp.js';
import type { Notification, NotifyKind } from './types.js';

export interface Channel {
  readonly name: string;
  readonly type: ChannelConfig['type'];
  /** Kinds this channel gets; null: all. */
  readonly events: ReadonlySet<NotifyKind> | null;
  readonly ratePerMin: number;
  send(n: Notification): Promise<void>;
}

/** A failed delivery; `retry` false when sending the same again cannot help (a 4xx other than 408/429). */
export class DeliveryError extends Error {
  constructor(message: string, readonly retry: boolean, readonly retryAfterMs: number | null = null) {
    super(message);
  }
}

interface HttpRequest {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Discord refuses content over 2,000 characters, Telegram over 4,096. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The URL without its path and query: webhook URLs carry their secret there, and errors end up in logs. */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(bad URL)';
  }
}

function retryAfter(res: Response): number | null {
  const v = res.headers.get('retry-after');
  if (v === null) return null;
  const s = Number(v);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : null;
}

async function post(req: HttpRequest, timeoutMs: number, check?: (body: unknown) => string | null): Promise<void> {
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...req.headers },
      body: JSON.stringify(req.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((e as Error & { cause?: Error }).cause?.message ?? (e as Error).message);
    throw new DeliveryError(`POST ${origin(req.url)}: ${why}`, true);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    const retry = res.status >= 500 || res.status === 408 || res.status === 429;
    throw new DeliveryError(`POST ${origin(req.url)}: HTTP ${res.status} ${clip(text.replace(/\s+/g, ' '), 200)}`, retry, retryAfter(res));
  }
  if (check !== undefined) {
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // handled by check
    }
    const problem = check(body);
    if (problem !== null) throw new DeliveryError(`POST ${origin(req.url)}: ${problem}`, false);
  }
}

const plain = (n: Notification): string => `${n.title}\n${n.text}`;

function need(value: string | undefined, what: string, channel: string): string {
  if (value === undefined || value.trim() === '') {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `notifications: channel "${channel}" needs ${what}`);
  }
  return value.trim();
}

function buildSend(c: ChannelConfig, name: string, env: NodeJS.ProcessEnv, timeoutMs: number): (n: Notification) => Promise<void> {
  switch (c.type) {
    case 'webhook': {
      const url = need(env[c.urlEnv] ?? c.url, `url (or ${c.urlEnv} in the environment)`, name);
      const token = c.tokenEnv === undefined ? undefined : need(env[c.tokenEnv], `${c.tokenEnv} in the environment`, name);
      const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
      return (n) => post({ url, headers, body: { kind: n.kind, ts: new Date(n.ts).toISOString(), title: n.title, text: n.text, data: n.data ?? {} } }, timeoutMs);
    }
    case 'slack': {
      const url = need(env[c.webhookUrlEnv] ?? c.webhookUrl, `webhookUrl (or ${c.webhookUrlEnv} in the environment)`, name);
      // Slack's mrkdwn: bold with single asterisks; &, < and > must be escaped.
      const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return (n) => post({ url, body: { text: `*${esc(n.title)}*\n${esc(n.text)}` } }, timeoutMs);
    }
    case 'discord': {
      const url = need(env[c.webhookUrlEnv] ?? c.webhookUrl, `webhookUrl (or ${c.webhookUrlEnv} in the environment)`, name);
      // allowed_mentions: a symbol or reason text never pings @everyone.
      return (n) => post({ url, body: { content: clip(`**${n.title}**\n${n.text}`, 2000), allowed_mentions: { parse: [] } } }, timeoutMs);
    }
    case 'telegram': {
      const token = need(env[c.botTokenEnv], `${c.botTokenEnv} in the environment (the bot token)`, name);
      const url = `${c.apiUrl.replace(/\/+$/, '')}/bot${token}/sendMessage`;
      const check = (b: unknown): string | null => {
        const r = b as { ok?: unknown; description?: unknown } | null;
        return r !== null && r.ok === true ? null : `Telegram refused: ${typeof r?.description === 'string' ? r.description : 'no ok in the answer'}`;
      };
      return (n) => post({ url, body: { chat_id: c.chatId, text: clip(plain(n), 4096), disable_web_page_preview: true } }, timeoutMs, check);
    }
    case 'gotify': {
      const token = need(env[c.tokenEnv], `${c.tokenEnv} in the environment (an application token)`, name);
      const url = `${c.url.replace(/\/+$/, '')}/message`;
      return (n) => post({ url, headers: { 'x-gotify-key': token }, body: { title: n.title, message: n.text, priority: c.priority } }, timeoutMs);
    }
    case 'ntfy': {
      const token = env[c.tokenEnv];
      const headers: Record<string, string> = token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` };
      // JSON publishing goes to the server root with the topic in the body (titles may then be any UTF-8).
      return (n) => post({ url: c.url.replace(/\/+$/, '') + '/', headers, body: { topic: c.topic, title: n.title, message: n.text, priority: c.priority, tags: [n.kind] } }, timeoutMs);
    }
    case 'email': {
      const password = c.user === undefined ? undefined : need(env[c.passwordEnv], `${c.passwordEnv} in the environment (the SMTP password of ${c.user})`, name);
      const smtp = { host: c.host, port: c.port, secure: c.secure, requireTls: c.requireTls, timeoutMs, ...(c.user === undefined ? {} : { user: c.user, password }) };
      return async (n) => {
        try {
          await sendMail(smtp, { from: c.from, to: c.to, subject: `[pi5] ${n.title}`, text: n.text, date: new Date(n.ts) });
        } catch (e) {
          throw new DeliveryError(`${c.host}:${c.port}: ${(e as Error).message}`, !(e instanceof SmtpError && e.permanent));
        }
      };
    }
  }
}

/** Builds the configured channels, reading secrets from `env`; a missing secret is a config error naming it. */
export function buildChannels(configs: readonly ChannelConfig[], env: NodeJS.ProcessEnv, timeoutMs: number): Channel[] {
  return configs.map((c) => {
    const name = c.name ?? c.type;
    return { name, type: c.type, events: c.events === undefined ? null : new Set(c.events), ratePerMin: c.ratePerMin, send: buildSend(c, name, env, timeoutMs) };
  });
}
