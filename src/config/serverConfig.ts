// The server's configuration: the config file (configFile.ts), environment variables over it (DESIGN.md §13),
// `pi5 serve` flags over both, validated at start: a bad value stops the start with a message naming where it
// came from (variable, flag or YAML path), before anything is opened.

import { z } from 'zod';
import { Pi5Error } from '../core/errors.js';
import { describeIssues } from './issues.js';
import { ibSettingsSchema } from './ibSettings.js';
import { brokerSettingsSchema, liveSettingsSchema, paperSettingsSchema } from './schema.js';
import { notificationsConfigSchema } from '../notify/config.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(8080),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z.string().url().optional(),
  redisUrl: z.string().url().optional(),
  /** Redis key and channel prefix; instances that share one prefix share caches, limits and the event stream. */
  cachePrefix: z.string().regex(/^[A-Za-z0-9:._-]{1,64}$/).default('pi5:'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Trading events on stderr: one readable line each (pretty) or JSON lines. */
  logFormat: z.enum(['pretty', 'json']).default('pretty'),
  corsOrigin: z.string().url().optional(),
  bodyLimitBytes: positiveInt.default(64 * 1024),
  /** HTTP limits (src/api/connectionLimits.ts): a request must arrive whole within requestTimeoutMs, its headers within
   * headersTimeoutMs; idle keep-alive connections close after keepAliveTimeoutMs; one IP holds at most maxConnectionsPerIp. */
  requestTimeoutMs: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  headersTimeoutMs: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  keepAliveTimeoutMs: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  maxConnectionsPerIp: z.coerce.number().int().min(1).max(100_000).default(128),
  accessTtlSec: positiveInt.default(900),
  loginRatePerMin: positiveInt.default(10),
  orderRatePerMin: positiveInt.default(120),
  /** Paper session over generated sample data. */
  sessionId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).default('demo'),
  stepIntervalMs: z.coerce.number().int().min(0).max(3_600_000).default(500),
  demoBars: z.coerce.number().int().min(100).max(1_000_000).default(2520),
  autostart: z.boolean().default(true),
  /** ×N real time (a bar every bar-length ÷ N), or 'max'; overrides stepIntervalMs. */
  speed: z.union([z.literal('max'), z.coerce.number().positive()]).optional(),
  /** Exchange time zone of intraday replayed data (sessions, DAY orders). */
  timeZone: z.string().min(1).default('America/New_York'),
  /** Cash, costs, strategies, risk and allocation of the paper session (the file's `session` section). */
  paper: paperSettingsSchema.prefault({}),
  /** Daily backups inside the server (docs/operations.md); 'off' leaves backups to cron and `pi5 db backup`. */
  backupSchedule: z.enum(['daily', 'off']).default('daily'),
  /** Where scheduled backups go; default <dataDir>/backups (put it on another disk than the database). */
  backupDir: z.string().min(1).optional(),
  /** A second folder (another disk, a mounted share) that receives a copy of every scheduled backup. */
  backupCopyDir: z.string().min(1).optional(),
  /** An S3-compatible bucket (s3://bucket/prefix) that receives a copy of every scheduled backup, rotated alike. */
  backupS3Url: z.string().min(1).optional(),
  /** The bucket service's endpoint when it is not AWS (MinIO, R2, B2, ...); path-style addressing. */
  backupS3Endpoint: z.url().optional(),
  /** A backup before migrations change an existing schema (a failure stops the start); off only if you back up yourself. */
  backupBeforeMigrations: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(true),
  /** Paper trading on live market data instead of a replay (the file's session.live, or --live flags). */
  live: liveSettingsSchema.optional(),
  /** Notification channels and the daily summary (the file's `notifications:` block; docs/notifications.md). */
  notifications: notificationsConfigSchema.optional(),
  /** Interactive Brokers: connected at start when present (the file's `ib` section). */
  ib: ibSettingsSchema.optional(),
  /** Where the session's orders go (the file's `broker` section); default the simulated exchange. */
  broker: brokerSettingsSchema.prefault({}),
});

export type ServerConfig = z.output<typeof schema>;

export type ConfigValues = Partial<Record<keyof ServerConfig, unknown>>;

/** Values from one source below the environment, each with where it came from (for error messages). */
export interface ConfigLayer {
  readonly values: ConfigValues;
  readonly sources: Partial<Record<keyof ServerConfig, string>>;
}

export const ENV: Readonly<Record<string, keyof ServerConfig>> = {
  PI5_HOST: 'host',
  PI5_PORT: 'port',
  PI5_DATA_DIR: 'dataDir',
  DATABASE_URL: 'databaseUrl',
  REDIS_URL: 'redisUrl',
  PI5_CACHE_PREFIX: 'cachePrefix',
  PI5_LOG_LEVEL: 'logLevel',
  PI5_LOG_FORMAT: 'logFormat',
  PI5_CORS_ORIGIN: 'corsOrigin',
  PI5_BODY_LIMIT_BYTES: 'bodyLimitBytes',
  PI5_REQUEST_TIMEOUT_MS: 'requestTimeoutMs',
  PI5_HEADERS_TIMEOUT_MS: 'headersTimeoutMs',
  PI5_KEEP_ALIVE_TIMEOUT_MS: 'keepAliveTimeoutMs',
  PI5_MAX_CONNECTIONS_PER_IP: 'maxConnectionsPerIp',
  PI5_ACCESS_TTL_SEC: 'accessTtlSec',
  PI5_LOGIN_RATE_PER_MIN: 'loginRatePerMin',
  PI5_ORDER_RATE_PER_MIN: 'orderRatePerMin',
  PI5_SESSION_ID: 'sessionId',
  PI5_STEP_INTERVAL_MS: 'stepIntervalMs',
  PI5_DEMO_BARS: 'demoBars',
  PI5_REPLAY_SPEED: 'speed',
  PI5_TIME_ZONE: 'timeZone',
  PI5_BACKUP_SCHEDULE: 'backupSchedule',
  PI5_BACKUP_DIR: 'backupDir',
  PI5_BACKUP_COPY_DIR: 'backupCopyDir',
  PI5_BACKUP_S3_URL: 'backupS3Url',
  PI5_BACKUP_S3_ENDPOINT: 'backupS3Endpoint',
  PI5_BACKUP_BEFORE_MIGRATIONS: 'backupBeforeMigrations',
};

/** Defaults, then the file, the environment over it, flags over both; empty variables count as unset. */
export function loadServerConfig(env: NodeJS.ProcessEnv, flags: ConfigValues = {}, file?: ConfigLayer, defaults: ConfigValues = {}): ServerConfig {
  const raw: Record<string, unknown> = { ...defaults };
  const source: Record<string, string> = { ...file?.sources };
  for (const [key, v] of Object.entries(file?.values ?? {})) if (v !== undefined) raw[key] = v;
  for (const [name, key] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') {
      raw[key] = v;
      source[key] = name;
    }
  }
  for (const [key, v] of Object.entries(flags)) {
    if (v !== undefined) {
      raw[key] = v;
      source[key] = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    }
  }
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const problem = issue === undefined ? 'invalid' : (describeIssues([{ ...issue, path: [] }])[0] ?? 'invalid').replace(/^\(root\): /, '');
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `${source[key] ?? key}: ${problem}`, { setting: source[key] ?? key });
  }
  return parsed.data;
}

/** A URL with its password (in the authority or the query) replaced by ***, for printing. */
export function maskUrl(url: string | undefined): string | null {
  if (url === undefined) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '***';
  }
  if (u.password !== '') u.password = '***';
  for (const k of [...u.searchParams.keys()]) if (/pass|secret|token|key/i.test(k)) u.searchParams.set(k, '***');
  return u.toString();
}

/** The configuration as GET /system/config shows it: URLs without credentials, no secrets. */
export function publicConfig(c: ServerConfig): Record<string, unknown> {
  return { ...c, databaseUrl: maskUrl(c.databaseUrl), redisUrl: maskUrl(c.redisUrl), database: c.databaseUrl === undefined ? 'pglite' : 'postgres', notifications: publicNotifications(c.notifications) };
}

/** Webhook URLs (Slack, Discord, generic) carry their secret in the path: only the origin is shown. */
export function publicNotifications(n: ServerConfig['notifications']): unknown {
  if (n === undefined) return undefined;
  const origin = (u: string | undefined): string | undefined => (u === undefined ? undefined : `${maskUrl(u.replace(/^(https?:\/\/[^/]+).*$/i, '$1'))}/***`);
  return { ...n, channels: n.channels.map((ch) => ('webhookUrl' in ch ? { ...ch, webhookUrl: origin(ch.webhookUrl) } : ch.type === 'webhook' ? { ...ch, url: origin(ch.url) } : ch)) };
}
