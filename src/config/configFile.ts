// The one configuration loader: finds the config file (`--config PATH`, else ./pi5.config.yaml when present),
// parses and validates it, and merges it under the environment and the flags into the server's configuration.
// Every problem names the file and the YAML path and stops the start (exit 2) before anything is opened.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { Pi5Error } from '../core/errors.js';
import { describeIssues, yamlPath } from './issues.js';
import { configFileSchema, PAPER_KEYS, secretKeys, type ConfigFileDoc, type ReplaySettings } from './schema.js';
import { loadServerConfig, type ConfigLayer, type ConfigValues, type ServerConfig } from './serverConfig.js';

export const DEFAULT_CONFIG_FILE = 'pi5.config.yaml';

export interface LoadedConfig {
  readonly server: ServerConfig;
  /** Bars to replay (flags over the file's session.replay); undefined: the generated demo data. */
  readonly replay: ReplaySettings | undefined;
  /** The file read, as given (null: none). */
  readonly file: string | null;
}

export interface LoadOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly flags?: ConfigValues;
  /** `--config PATH`: must exist. Without it ./pi5.config.yaml is read when present. */
  readonly configPath?: string;
  readonly cwd?: string;
  /** `--replay-*` flags: replace the file's session.replay as a whole. */
  readonly replayFlags?: ReplaySettings;
}

function fail(file: string, problems: readonly string[]): never {
  throw new Pi5Error('PI5_ERR_BAD_CONFIG', problems.map((p) => `${file}: ${p}`).join('\n'), { file, problems });
}

/** Parses and validates the text of a config file; `name` is how errors refer to it. */
export function parseConfigText(text: string, name: string): ConfigFileDoc {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    if (e instanceof YAMLParseError) fail(name, [e.message.split('\n')[0] ?? 'not valid YAML']);
    throw e;
  }
  // An empty file (or only comments) configures nothing.
  if (doc === null || doc === undefined) return {};
  const secrets = secretKeys(doc);
  if (secrets.length > 0) {
    fail(name, secrets.map((s) => `${yamlPath(s.path)}: secrets do not belong in the config file; set ${s.variable} in the environment`));
  }
  const r = configFileSchema.safeParse(doc, { reportInput: true });
  if (!r.success) fail(name, describeIssues(r.error.issues));
  return r.data;
}

/** Reads a config file; a missing `--config` file is an error, a missing default one means no file. */
export function readConfigFile(configPath: string | undefined, cwd = process.cwd()): { file: string; doc: ConfigFileDoc } | null {
  const file = configPath ?? DEFAULT_CONFIG_FILE;
  const full = resolve(cwd, file);
  if (!existsSync(full)) {
    if (configPath === undefined) return null;
    fail(file, ['no such file']);
  }
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    fail(file, [`cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`]);
  }
  return { file, doc: parseConfigText(text, file) };
}

/** The file's values under the server config's keys, each with its YAML path for error messages. */
export function fileLayer(doc: ConfigFileDoc, file: string): ConfigLayer {
  const values: ConfigValues = {};
  const sources: ConfigLayer['sources'] = {};
  const put = (key: keyof ServerConfig, value: unknown, path: string): void => {
    if (value === undefined) return;
    values[key] = value;
    sources[key] = `${file}: ${path}`;
  };
  for (const [k, v] of Object.entries(doc.server ?? {})) put(k as keyof ServerConfig, v, `server.${k}`);
  put('databaseUrl', doc.database?.url, 'database.url');
  put('redisUrl', doc.redis?.url, 'redis.url');
  put('broker', doc.broker, 'broker');
  const s = doc.session ?? {};
  put('sessionId', s.id, 'session.id');
  for (const k of ['stepIntervalMs', 'speed', 'timeZone', 'demoBars', 'autostart', 'live'] as const) put(k, s[k], `session.${k}`);
  const paper = Object.fromEntries(PAPER_KEYS.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));
  put('paper', paper, 'session');
  put('notifications', doc.notifications, 'notifications');
  put('ib', doc.ib, 'ib');
  return { values, sources };
}

/**
 * File < environment < flags. A replay or a live session is another session than the demo: each gets its own
 * default id. A session trades either a replay or live data, never both.
 */
export function loadConfig(opts: LoadOptions): LoadedConfig {
  const read = readConfigFile(opts.configPath, opts.cwd);
  const replay = opts.replayFlags ?? read?.doc.session?.replay;
  const layer = read === null ? undefined : fileLayer(read.doc, read.file);
  const live = opts.flags?.live ?? read?.doc.session?.live;
  const defaults = replay !== undefined ? { sessionId: 'replay' } : live !== undefined ? { sessionId: 'live' } : {};
  const server = loadServerConfig(opts.env, opts.flags, layer, defaults);
  if (server.live !== undefined && replay !== undefined) {
    throw new Pi5Error('PI5_ERR_BAD_CONFIG', 'session.live and session.replay (or --live and --replay-*) exclude each other: a session trades live data or a replay');
  }
  return { server, replay, file: read?.file ?? null };
}
