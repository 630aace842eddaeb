// The server's configuration from the environment (DESIGN.md §13) and `pi5 serve` flags, validated at start:
// a bad value stops the start with a message naming the variable, before anything is opened.

import { z } from 'zod';
import { Pi5Error } from '../core/errors.js';

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
  corsOrigin: z.string().url().optional(),
  bodyLimitBytes: positiveInt.default(64 * 1024),
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
});

export type ServerConfig = z.output<typeof schema>;

const ENV: Record<string, keyof ServerConfig> = {
  PI5_HOST: 'host',
  PI5_PORT: 'port',
  PI5_DATA_DIR: 'dataDir',
  DATABASE_URL: 'databaseUrl',
  REDIS_URL: 'redisUrl',
  PI5_CACHE_PREFIX: 'cachePrefix',
  PI5_LOG_LEVEL: 'logLevel',
  PI5_CORS_ORIGIN: 'corsOrigin',
  PI5_BODY_LIMIT_BYTES: 'bodyLimitBytes',
  PI5_ACCESS_TTL_SEC: 'accessTtlSec',
  PI5_LOGIN_RATE_PER_MIN: 'loginRatePerMin',
  PI5_ORDER_RATE_PER_MIN: 'orderRatePerMin',
  PI5_SESSION_ID: 'sessionId',
  PI5_STEP_INTERVAL_MS: 'stepIntervalMs',
  PI5_DEMO_BARS: 'demoBars',
  PI5_REPLAY_SPEED: 'speed',
  PI5_TIME_ZONE: 'timeZone',
};

/** Environment first, flags over it; empty variables count as unset. */
export function loadServerConfig(env: NodeJS.ProcessEnv, flags: Partial<Record<keyof ServerConfig, unknown>> = {}): ServerConfig {
  const raw: Record<string, unknown> = {};
  const source: Record<string, string> = {};
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
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', `${source[key] ?? key}: ${issue?.message ?? 'invalid'}`, { setting: source[key] ?? key });
  }
  return parsed.data;
}

/** The configuration as GET /system/config shows it: URLs without credentials, no secrets. */
export function publicConfig(c: ServerConfig): Record<string, unknown> {
  const redact = (url: string | undefined): string | null => {
    if (url === undefined) return null;
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  };
  return { ...c, databaseUrl: redact(c.databaseUrl), redisUrl: redact(c.redisUrl), database: c.databaseUrl === undefined ? 'pglite' : 'postgres' };
}
