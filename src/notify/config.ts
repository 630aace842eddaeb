// The `notifications:` block of pi5.config.yaml (docs/notifications.md): channels, which events each gets, the
// daily summary and the delivery limits. Secrets (tokens, passwords, webhook URLs) may come from the environment:
// each channel names its variable (`*Env`), with a default per channel type.

import { z } from 'zod';
import { isTimeZone, parseClockTime } from '../core/tz.js';
import { NOTIFY_KINDS } from './types.js';

const httpUrl = z.string().url().refine((u) => /^https?:\/\//i.test(u), { message: 'expected an http(s) URL' });
const events = z.array(z.enum(NOTIFY_KINDS)).min(1).optional();
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'expected an environment variable name (A-Z, 0-9, _)' });

const common = {
  /** Default: the channel type; must be unique (`pi5 notify test --channel NAME`). */
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'expected 1–64 letters, digits, . _ -' }).optional(),
  /** Default: every kind. */
  events,
  /** Messages per minute at most; more wait in the queue. */
  ratePerMin: z.number().int().min(1).max(6000).default(30),
};

const webhook = z.strictObject({ type: z.literal('webhook'), url: httpUrl.optional(), urlEnv: envName.default('PI5_WEBHOOK_URL'), tokenEnv: envName.optional(), ...common });
const slack = z.strictObject({ type: z.literal('slack'), webhookUrl: httpUrl.optional(), webhookUrlEnv: envName.default('PI5_SLACK_WEBHOOK_URL'), ...common });
const discord = z.strictObject({ type: z.literal('discord'), webhookUrl: httpUrl.optional(), webhookUrlEnv: envName.default('PI5_DISCORD_WEBHOOK_URL'), ...common });
const telegram = z.strictObject({
  type: z.literal('telegram'),
  apiUrl: httpUrl.default('https://api.telegram.org'),
  chatId: z.union([z.string().min(1), z.number().int()]).transform(String),
  botTokenEnv: envName.default('PI5_TELEGRAM_BOT_TOKEN'),
  ...common,
});
const email = z.strictObject({
  type: z.literal('email'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  /** Refuse to send over a connection that is not encrypted. */
  requireTls: z.boolean().default(false),
  user: z.string().min(1).optional(),
  passwordEnv: envName.default('PI5_SMTP_PASSWORD'),
  from: z.string().email(),
  to: z.array(z.string().email()).min(1),
  ...common,
});
const gotify = z.strictObject({ type: z.literal('gotify'), url: httpUrl, tokenEnv: envName.default('PI5_GOTIFY_TOKEN'), priority: z.number().int().min(0).max(10).default(5), ...common });
const ntfy = z.strictObject({ type: z.literal('ntfy'), url: httpUrl.default('https://ntfy.sh'), topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/), tokenEnv: envName.default('PI5_NTFY_TOKEN'), priority: z.number().int().min(1).max(5).default(3), ...common });

export const channelConfigSchema = z.discriminatedUnion('type', [webhook, slack, discord, telegram, email, gotify, ntfy]);
export type ChannelConfig = z.output<typeof channelConfigSchema>;

export const notificationsConfigSchema = z
  .strictObject({
    channels: z.array(channelConfigSchema).default([]),
    /** Messages waiting per channel; beyond it new ones are dropped and counted. */
    queueSize: z.number().int().min(1).max(100_000).default(1000),
    /** Further attempts after a failed delivery, with doubling waits from retryBaseMs. */
    retries: z.number().int().min(0).max(10).default(3),
    retryBaseMs: z.number().int().min(1).max(600_000).default(1000),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** A summary of the trading day at this local time (HH:MM in timeZone). */
    dailySummary: z
      .strictObject({
        at: z.string().refine((t) => !Number.isNaN(parseClockTime(t)), { message: 'expected HH:MM (24 h)' }),
        timeZone: z.string().refine(isTimeZone, { message: 'unknown IANA time zone' }).default('America/New_York'),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.channels.forEach((ch, i) => {
      const name = ch.name ?? ch.type;
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'name'], message: `duplicate channel name "${name}" (give each channel of one type its own name)` });
      seen.add(name);
    });
  });
export type NotificationsConfig = z.output<typeof notificationsConfigSchema>;
