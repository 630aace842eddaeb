// The schema of pi5.config.yaml (DESIGN.md §13): sections server, database, redis and session. Beyond types it
// runs the checks the engine would otherwise make later (strategy ids and parameters, size and cost specs, risk
// and allocation configs), so every mistake is reported at start-up with its YAML path.

import { z } from 'zod';
import { isPi5Error } from '../core/errors.js';
import { parseCommissionSpec, parseSize, parseSlippageSpec } from '../engine/specs.js';
import { allocationConfigSchema } from '../risk/allocation/config.js';
import { riskConfigSchema } from '../risk/config.js';
import { builtinStrategies, findBuiltin } from '../strategy/registry.js';
import { ibSettingsSchema } from './ibSettings.js';
import { resolveParams } from '../strategy/params.js';
import { notificationsConfigSchema } from '../notify/config.js';

/** A spec string checked by the one spec parser (engine/specs.ts), its message kept; kept as text because the session stores it. */
function spec(parse: (s: string) => unknown): z.ZodString {
  return z.string().min(1).superRefine((s, ctx) => {
    try {
      parse(s);
    } catch (e) {
      // The parsers name their CLI flag (`--commission "x": …`); here the YAML path says where.
      ctx.addIssue({ code: 'custom', message: isPi5Error(e) ? e.message.replace(/^--[a-z-]+ /, '') : String(e) });
    }
  });
}

/**
 * Validates with `schema` but keeps the value as written: the session stores its risk and allocation configs as
 * input and applies their defaults itself, and a reopened session compares what was stored.
 */
function checkedInput<S extends z.ZodType>(schema: S) {
  return z.custom<z.input<S>>().superRefine((v, ctx) => {
    const r = schema.safeParse(v, { reportInput: true });
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ ...i, path: i.path } as Parameters<typeof ctx.addIssue>[0]);
  });
}

const instanceId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'expected 1–64 letters, digits, . _ -' });
const sizeSpec = spec(parseSize);

const strategyInstanceSchema = z
  .strictObject({
    id: instanceId,
    /** A built-in strategy id (`pi5 strategies list`). */
    strategy: z.string().min(1),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** Default: every replayed symbol. */
    symbols: z.array(z.string().min(1).transform((s) => s.toUpperCase())).min(1).optional(),
    size: sizeSpec.optional(),
  })
  .superRefine((s, ctx) => {
    const def = findBuiltin(s.strategy);
    if (def === undefined) {
      ctx.addIssue({ code: 'custom', path: ['strategy'], message: `unknown strategy "${s.strategy}" (built-in: ${builtinStrategies().map((b) => b.id).join(', ')})` });
      return;
    }
    // One parameter at a time, so each bad one gets its own path.
    for (const [name, value] of Object.entries(s.params)) {
      try {
        resolveParams(def.id, def.params, { [name]: value });
      } catch (e) {
        const message = isPi5Error(e) ? e.message.replace(/^strategy [^:]+: parameter [^:]+: /, '') : String(e);
        ctx.addIssue({ code: 'custom', path: ['params', name], message });
      }
    }
  });

export type StrategySettings = z.output<typeof strategyInstanceSchema>;

/** What the paper session trades and with what money; defaults are the demo session's. */
export const paperSettingsShape = {
  cash: z.number().positive().default(100_000),
  /** Default size spec for strategies that give none. */
  size: sizeSpec.default('30%'),
  commission: spec(parseCommissionSpec).default('per-share:0.005:min=1'),
  slippage: spec(parseSlippageSpec).default('bps:2'),
  /** Default: an SMA crossover (10/30) on every replayed symbol. [] starts none. */
  strategies: z
    .array(strategyInstanceSchema)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((s, i) => {
        if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate strategy id "${s.id}"` });
        seen.add(s.id);
      });
    })
    .optional(),
  risk: checkedInput(riskConfigSchema).optional(),
  allocation: checkedInput(allocationConfigSchema).optional(),
  /** Whose position a strategy acts on: its own fills (`strategy`, the default) or the account's net (`netting`). */
  positions: z.enum(['strategy', 'netting']).optional(),
};

export const paperSettingsSchema = z.strictObject(paperSettingsShape);
export type PaperSettings = z.output<typeof paperSettingsSchema>;
export const PAPER_KEYS = Object.keys(paperSettingsShape) as (keyof PaperSettings)[];

/** Bars to replay: CSV files or folders, or symbols of the bar store (with a timeframe). */
export const replaySettingsSchema = z
  .strictObject({
    data: z.array(z.string().min(1)).min(1).optional(),
    symbols: z.array(z.string().min(1).transform((s) => s.toUpperCase())).min(1).optional(),
    timeframe: z.string().min(1).optional(),
    /** What the CSV timestamps name: bar opens (default) or bar ends. */
    barTime: z.enum(['open', 'close']).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.data === undefined && r.symbols === undefined) ctx.addIssue({ code: 'custom', message: 'give data (CSV files or folders) or symbols (from the bar store)' });
    else if (r.data === undefined && r.timeframe === undefined) ctx.addIssue({ code: 'custom', path: ['timeframe'], message: 'required with symbols (e.g. 1d, 5m)' });
  });
export type ReplaySettings = z.output<typeof replaySettingsSchema>;

/**
 * Paper trading on live market data (docs/configuration.md, session.live): the provider's stream, the symbols
 * subscribed, the bar timeframe (Alpaca streams minute bars), and how long after a bar's end its step waits
 * for symbols that have not sent theirs.
 */
export const liveSettingsSchema = z.strictObject({
  /** alpaca: its WebSocket stream; yahoo: its v8 chart endpoint polled (completed bars only; docs/live-trading.md). */
  provider: z.enum(['alpaca', 'yahoo']),
  symbols: z.array(z.string().min(1).transform((s) => s.trim().toUpperCase())).min(1),
  /** 1m: Alpaca's minute bars; 5m, 15m, 1h: built from them; 1d: Alpaca's dailyBars (the day's bar, updated). */
  timeframe: z.enum(['1m', '5m', '15m', '1h', '1d']).default('1m'),
  /** Alpaca's data feed: iex (free) or sip. */
  feed: z.enum(['iex', 'sip']).optional(),
  /** yahoo: time between polls (default YAHOO_POLL_S or 15 s); each poll is one request per symbol. */
  pollMs: z.number().int().min(1_000).max(3_600_000).optional(),
  graceMs: z.number().int().min(0).max(600_000).optional(),
  /**
   * Stale-data guard: a step whose bars ended longer ago than this (wall clock; late bars after a reconnect, a
   * delayed feed) runs, but its strategies place no new orders; unset: no guard.
   */
  maxDataAgeMs: z.number().int().min(1_000).max(7 * 86_400_000).optional(),
});
export type LiveSettings = z.output<typeof liveSettingsSchema>;

/**
 * Where the session's orders go (docs/live-trading.md): the simulated exchange (sim, the default) or a broker.
 * Broker keys stay in the environment (APCA_API_KEY_ID / APCA_API_SECRET_KEY); the endpoint is APCA_API_BASE_URL
 * (default Alpaca's paper one) or alpaca.baseUrl. A live (non-paper) endpoint needs `live: true` here.
 * `ib` trades through the `ib` section's TWS / IB Gateway connection; a live (non-DU) account needs `live: true` too.
 */
const alpacaSettingsShape = {
  baseUrl: z.string().regex(/^https?:\/\//, 'must be an http(s) URL').optional(),
  /** Full trading stream URL; default the base URL's /stream. */
  streamUrl: z.string().regex(/^wss?:\/\//, 'must be a ws(s) URL').optional(),
  /** Lets DAY limit orders trade in the pre- and after-market sessions. */
  extendedHours: z.boolean().default(false),
};
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name');

/**
 * A standby broker (decision 0011): new orders go to it while the brokers before it are down. A standby Alpaca
 * account reads its keys from the variables named here (the primary's APCA_API_KEY_ID / APCA_API_SECRET_KEY by
 * default); an IB standby trades through the `ib` section's connection.
 */
const failoverSettingsSchema = z.strictObject({
  /** The broker's name in the status, the journal and /api/v1/brokers; default `alpaca-standby-<n>` (IB is always `ib`). */
  name: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, { message: 'expected 1–40 letters, digits, . _ -' }).optional(),
  venue: z.enum(['alpaca', 'ib']),
  alpaca: z.strictObject({ ...alpacaSettingsShape, keyIdEnv: envName.optional(), secretKeyEnv: envName.optional() }).prefault({}),
});
export type FailoverSettings = z.output<typeof failoverSettingsSchema>;

export const brokerSettingsSchema = z.strictObject({
  venue: z.enum(['sim', 'alpaca', 'ib']).default('sim'),
  /** Confirms trading real money on a live endpoint; without it only paper endpoints are accepted. */
  live: z.boolean().default(false),
  alpaca: z.strictObject(alpacaSettingsShape).prefault({}),
  /** Standby brokers by priority (first is tried first): new orders go to the first one up when the primary is down. */
  failover: z.array(failoverSettingsSchema).max(4).default([]),
  reconcile: z
    .strictObject({
      /** Broker orders nobody here sent: cancel them (default) or leave them working (adopt). */
      unknownOrders: z.enum(['cancel', 'adopt']).default('cancel'),
      /** Positions that differ from the broker's after missed fills: halt trading (default) or go on (adopt). */
      positionMismatch: z.enum(['halt', 'adopt']).default('halt'),
    })
    .prefault({}),
});
export type BrokerSettings = z.output<typeof brokerSettingsSchema>;

// Types only: ranges and formats are checked once, by the server config schema, after env and flags are merged.
const url = z.strictObject({ url: z.string().min(1) }).partial();

export const configFileSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string(),
      port: z.number(),
      dataDir: z.string(),
      logLevel: z.string(),
      logFormat: z.string(),
      corsOrigin: z.string(),
      bodyLimitBytes: z.number(),
      requestTimeoutMs: z.number(),
      headersTimeoutMs: z.number(),
      keepAliveTimeoutMs: z.number(),
      maxConnectionsPerIp: z.number(),
      accessTtlSec: z.number(),
      loginRatePerMin: z.number(),
      orderRatePerMin: z.number(),
      cachePrefix: z.string(),
      backupSchedule: z.string(),
      backupDir: z.string(),
      backupCopyDir: z.string(),
      backupS3Url: z.string(),
      backupS3Endpoint: z.string(),
      backupBeforeMigrations: z.boolean(),
    })
    .partial()
    .optional(),
  database: url.optional(),
  redis: url.optional(),
  broker: brokerSettingsSchema.optional(),
  session: z
    .strictObject({
      ...paperSettingsShape,
      id: z.string(),
      stepIntervalMs: z.number(),
      speed: z.union([z.literal('max'), z.number()]),
      timeZone: z.string(),
      demoBars: z.number(),
      autostart: z.boolean(),
      replay: replaySettingsSchema,
      live: liveSettingsSchema,
    })
    .partial()
    .optional(),
  notifications: notificationsConfigSchema.optional(),
  /** Interactive Brokers (ibSettings.ts). */
  ib: ibSettingsSchema.optional(),
});
export type ConfigFileDoc = z.output<typeof configFileSchema>;

/** Secrets stay in the environment: a config file is copied, committed and shown in logs more than env is. */
const SECRET_KEYS: Readonly<Record<string, string>> = {
  adminpassword: 'PI5_ADMIN_PASSWORD',
  pi5adminpassword: 'PI5_ADMIN_PASSWORD',
  jwtsecret: 'PI5_JWT_SECRET',
  pi5jwtsecret: 'PI5_JWT_SECRET',
  // Notification channels read theirs from variables they name (docs/notifications.md).
  password: 'PI5_SMTP_PASSWORD (or the channel\'s passwordEnv)',
  bottoken: 'PI5_TELEGRAM_BOT_TOKEN (or the channel\'s botTokenEnv)',
  token: 'the variable the channel\'s tokenEnv names',
};

/** Every key in the document that names a secret, with the variable to use instead. */
export function secretKeys(doc: unknown, path: PropertyKey[] = []): { path: PropertyKey[]; variable: string }[] {
  if (doc === null || typeof doc !== 'object') return [];
  const found: { path: PropertyKey[]; variable: string }[] = [];
  for (const [k, v] of Object.entries(doc)) {
    const key = Array.isArray(doc) ? Number(k) : k;
    const variable = typeof key === 'string' ? SECRET_KEYS[key.toLowerCase().replace(/[^a-z0-9]/g, '')] : undefined;
    if (variable !== undefined) found.push({ path: [...path, key], variable });
    else found.push(...secretKeys(v, [...path, key]));
  }
  return found;
}
